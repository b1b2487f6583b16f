// A kiosk's last 24 hours of polls and device health, kept cheap at fleet scale: the hub already
// buffers each kiosk's status in memory and flushes it every 5 s; this folds each flush into one
// accumulator per kiosk per 5-minute bucket, in memory, and writes a bucket once it has closed —
// one row per kiosk per 5 minutes (10 000 kiosks: ~33 rows/s, whatever they poll), pruned after
// 24 h. Rows are upserted additively (polls add up, the worst health and largest backlog win), so
// an open bucket written at shutdown and continued after a restart, or one written by two
// replicas, stays right. The open bucket is read from memory, so the chart is never 5 min late.
import { sql } from 'kysely';
import { HISTORY_BUCKET_SECONDS, HISTORY_KEEP_HOURS, type HealthLevel, type StatusBucket } from '../../contracts/fleet-view.ts';
import type { HubDb, HubTx } from '../db/open.ts';
import type { KioskStatusHistoryTable } from '../db/schema.ts';
import { deviceHealthOf } from './device-health.ts';

/** What one status flush says about one kiosk (the poll status buffer, hub/server). */
export interface FlushedStatus {
  at: string;
  cursor: number;
  appVersion: string | null;
  backlog: number | null;
  updateState: string | null;
  /** canonical text (hub/fleet/device-health.ts) */
  deviceHealth: string | null;
  /** polls folded into this flush (≥ 1) */
  polls: number;
}

const RANK: Record<string, number> = { ok: 1, warning: 2, error: 3 };
const worse = (a: string | null, b: string | null) => ((RANK[b ?? ''] ?? 0) > (RANK[a ?? ''] ?? 0) ? b : a);

export function bucketStart(at: string | number, bucketSeconds = HISTORY_BUCKET_SECONDS): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  const size = bucketSeconds * 1000;
  return new Date(Math.floor(ms / size) * size).toISOString();
}

export interface StatusHistoryOptions {
  bucketSeconds?: number;
  keepHours?: number;
  now?: () => number;
}

export class StatusHistory {
  private readonly open = new Map<string, KioskStatusHistoryTable>();
  private closed: KioskStatusHistoryTable[] = [];
  private lastPrune = 0;
  readonly bucketSeconds: number;
  private readonly keepMs: number;
  private readonly now: () => number;

  constructor(options: StatusHistoryOptions = {}) {
    this.bucketSeconds = options.bucketSeconds ?? HISTORY_BUCKET_SECONDS;
    this.keepMs = (options.keepHours ?? HISTORY_KEEP_HOURS) * 3600_000;
    this.now = options.now ?? Date.now;
  }

  /** Folds one flushed status into the kiosk's bucket (health: the level of this report). */
  record(kioskId: string, s: FlushedStatus, health: HealthLevel | null): void {
    const start = bucketStart(s.at, this.bucketSeconds);
    let acc = this.open.get(kioskId);
    if (acc && acc.bucket_start !== start) {
      this.closed.push(acc);
      acc = undefined;
    }
    if (!acc) {
      acc = { kiosk_id: kioskId, bucket_start: start, polls: 0, app_version: null, update_state: null, health: null, device_health: null, outbox_backlog: null, last_cursor: null };
      this.open.set(kioskId, acc);
    }
    acc.polls += s.polls;
    if (s.appVersion !== null) acc.app_version = s.appVersion;
    if (s.updateState !== null) acc.update_state = s.updateState;
    if (s.deviceHealth !== null) acc.device_health = s.deviceHealth;
    acc.health = worse(acc.health, health);
    if (s.backlog !== null) acc.outbox_backlog = Math.max(acc.outbox_backlog ?? 0, s.backlog);
    acc.last_cursor = s.cursor;
  }

  /** Buckets of this kiosk held in memory (open, or closed and not yet written). */
  pending(kioskId: string): KioskStatusHistoryTable[] {
    const open = this.open.get(kioskId);
    return [...this.closed.filter((r) => r.kiosk_id === kioskId), ...(open ? [open] : [])];
  }

  /**
   * Writes closed buckets (all buckets with `all`, at shutdown) and, once per bucket period,
   * prunes rows older than the kept hours. A failed write keeps the rows for the next attempt.
   */
  async persist(hub: HubDb, options: { all?: boolean } = {}): Promise<number> {
    const now = this.now();
    const current = bucketStart(now, this.bucketSeconds);
    // An open bucket whose period has passed is closed even if its kiosk went quiet.
    for (const [id, acc] of this.open) {
      if (options.all || acc.bucket_start < current) {
        this.closed.push(acc);
        this.open.delete(id);
      }
    }
    const rows = this.closed;
    this.closed = [];
    try {
      if (rows.length) await hub.write((trx) => upsertBuckets(trx, rows));
    } catch (err) {
      this.closed = rows.concat(this.closed).slice(-200_000); // bounded: a long outage drops the oldest
      throw err;
    }
    if (now - this.lastPrune >= this.bucketSeconds * 1000) {
      this.lastPrune = now;
      await pruneHistory(hub, new Date(now - this.keepMs).toISOString());
    }
    return rows.length;
  }
}

const CHUNK = 500;

async function upsertBuckets(trx: HubTx, rows: KioskStatusHistoryTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('kiosk_status_history')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['kiosk_id', 'bucket_start']).doUpdateSet({
          polls: sql`kiosk_status_history.polls + excluded.polls`,
          app_version: sql`coalesce(excluded.app_version, kiosk_status_history.app_version)`,
          update_state: sql`coalesce(excluded.update_state, kiosk_status_history.update_state)`,
          device_health: sql`coalesce(excluded.device_health, kiosk_status_history.device_health)`,
          health: sql`CASE WHEN ${rank(sql`excluded.health`)} > ${rank(sql`kiosk_status_history.health`)} THEN excluded.health ELSE kiosk_status_history.health END`,
          outbox_backlog: sql`CASE WHEN kiosk_status_history.outbox_backlog IS NULL OR excluded.outbox_backlog > kiosk_status_history.outbox_backlog THEN excluded.outbox_backlog ELSE kiosk_status_history.outbox_backlog END`,
          last_cursor: sql`coalesce(excluded.last_cursor, kiosk_status_history.last_cursor)`,
        }),
      )
      .execute();
  }
}

const rank = (expr: ReturnType<typeof sql>) => sql`CASE ${expr} WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'ok' THEN 1 ELSE 0 END`;

export async function pruneHistory(hub: HubDb, before: string): Promise<void> {
  await hub.write((trx) => trx.deleteFrom('kiosk_status_history').where('bucket_start', '<', before).execute());
}

const toBucket = (r: KioskStatusHistoryTable): StatusBucket => ({
  start: r.bucket_start,
  polls: Number(r.polls),
  appVersion: r.app_version,
  updateState: r.update_state,
  health: r.health as HealthLevel | null,
  deviceHealth: deviceHealthOf(r.device_health),
  outboxBacklog: r.outbox_backlog === null ? null : Number(r.outbox_backlog),
  lastCursor: r.last_cursor === null ? null : Number(r.last_cursor),
});

/** A kiosk's buckets since `from`, oldest first: the written ones merged with those in memory. */
export async function readHistory(db: HubTx, kioskId: string, from: string, memory?: StatusHistory): Promise<StatusBucket[]> {
  const rows = await db.selectFrom('kiosk_status_history').selectAll().where('kiosk_id', '=', kioskId).where('bucket_start', '>=', from).orderBy('bucket_start').execute();
  const byStart = new Map(rows.map((r) => [r.bucket_start, { ...r }]));
  for (const m of memory?.pending(kioskId) ?? []) {
    if (m.bucket_start < from) continue;
    const w = byStart.get(m.bucket_start);
    if (!w) {
      byStart.set(m.bucket_start, { ...m });
      continue;
    }
    // the same bucket partly written (a restart) and partly in memory: add up as the upsert will
    w.polls = Number(w.polls) + m.polls;
    w.app_version = m.app_version ?? w.app_version;
    w.update_state = m.update_state ?? w.update_state;
    w.device_health = m.device_health ?? w.device_health;
    w.health = worse(w.health, m.health);
    if (m.outbox_backlog !== null) w.outbox_backlog = Math.max(Number(w.outbox_backlog ?? 0), m.outbox_backlog);
    w.last_cursor = m.last_cursor ?? w.last_cursor;
  }
  return [...byStart.values()].sort((a, b) => (a.bucket_start < b.bucket_start ? -1 : 1)).map(toBucket);
}
