// The hub's head sequence and horizons, cached in memory so the "nothing changed" poll — the
// request a whole fleet makes every few minutes — never touches the database. The cache is
// invalidated when the database says it may be stale: SQLite's data_version (another connection,
// e.g. the admin CLI, committed) or PostgreSQL NOTIFY on every publish. Without a working LISTEN
// connection the PostgreSQL watcher reads the database on every call (slower, still correct).
import pg from 'pg';
import { HEAD_CHANNEL, type HubDb } from '../db/open.ts';

export interface HeadState {
  hubId: string;
  head: number;
  tombstoneHorizon: number;
  snapshotHorizon: number;
}

export class HeadWatcher {
  private cached: HeadState | null = null;
  private loading: Promise<HeadState> | null = null;
  private dataVersion: number | null = null;
  private listener: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly hub: HubDb) {}

  async start(): Promise<void> {
    if (this.hub.dialect === 'postgres') await this.listen().catch(() => this.scheduleReconnect());
    await this.current();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.hub.spec });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (msg.channel !== HEAD_CHANNEL) return;
      // Horizons can change too (gc notifies with 'gc'): reload rather than trust the payload.
      this.cached = null;
    });
    await client.connect();
    await client.query(`LISTEN ${HEAD_CHANNEL}`);
    this.listener = client;
    this.listening = true;
    this.cached = null; // anything published before LISTEN took effect
  }

  private lost(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listening = false;
    this.listener = null;
    this.cached = null;
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().catch(() => this.scheduleReconnect());
    }, 1000);
    this.reconnectTimer.unref();
  }

  /** Forget the cached state (this process just published). */
  invalidate(): void {
    this.cached = null;
  }

  /** Synchronous fast path: the cached state if it is known to be current, else null. */
  peek(): HeadState | null {
    if (!this.cached) return null;
    if (this.hub.dialect === 'sqlite') {
      const v = this.hub.dataVersion();
      if (v !== this.dataVersion) return null;
    } else if (!this.listening) return null;
    return this.cached;
  }

  async current(): Promise<HeadState> {
    const fresh = this.peek();
    if (fresh) return fresh;
    if (this.loading) return this.loading;
    this.loading = this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<HeadState> {
    const version = this.hub.dataVersion();
    const rows = await this.hub.db.selectFrom('meta').select(['key', 'value']).where('key', 'in', ['hub_id', 'head', 'tombstone_horizon', 'snapshot_horizon']).execute();
    const m = new Map(rows.map((r) => [r.key, r.value]));
    const state: HeadState = {
      hubId: m.get('hub_id')!,
      head: Number(m.get('head')),
      tombstoneHorizon: Number(m.get('tombstone_horizon')),
      snapshotHorizon: Number(m.get('snapshot_horizon')),
    };
    this.cached = state;
    this.dataVersion = version;
    return state;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const l = this.listener;
    this.listener = null;
    this.listening = false;
    if (l) await l.end().catch(() => {});
  }
}
