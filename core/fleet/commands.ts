// Commands from central IT (sync, restart, update-now; docs/sync-protocol.md "Hub commands").
// After each sync poll that reached the hub, the kiosk fetches its open commands, runs each one at
// most once and reports the outcome. What it decided is kept in the kiosk database before it acts,
// so a lost answer is re-sent (never re-run) and a restart command does not loop. A restart never
// interrupts a customer: it waits ('deferred') for the session to end. Every outcome is audited.
import { FLEET_COMMAND_TYPES, FLEET_LIMITS, type FleetCommandResult, type OpenFleetCommand } from '../../contracts/sync-protocol.ts';
import type { UpdateStatus } from '../../contracts/kiosk-api.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log/logger.ts';
import type { AuditSink } from '../staff/audit.ts';
import type { SyncEngine, SyncStatus } from '../sync/engine.ts';
import { callHub, HubClientError } from '../hub-client/client.ts';
import type { HubEndpoint } from '../hub-client/http.ts';
import type { HostActions } from '../shell/host-actions.ts';
import type { UpdateSource } from '../update/update-service.ts';

type Outcome = FleetCommandResult['state'];
/** 'running' is local only: set before acting, so a crash or a restart mid-command is noticed. */
type LocalState = Outcome | 'running';

interface LocalRow {
  id: string;
  type: string;
  state: LocalState;
  detail: string | null;
  reported: number;
}

export interface FleetCommandsOptions {
  db: Db;
  endpoint: HubEndpoint;
  sync: SyncEngine;
  host?: HostActions | undefined;
  /** The app updater; `installNow` (core/update/update-service.ts) installs outside the maintenance window. */
  updates?: (UpdateSource & { installNow?: () => Promise<UpdateStatus> }) | undefined;
  sessionActive: () => boolean;
  /** Subscribes to the end of customer sessions; returns the unsubscribe function. */
  onSessionEnded: (listener: () => void) => () => void;
  audit: AuditSink;
  appVersion: string;
  logger?: Logger | undefined;
  staleAfterSeconds?: number;
}

const KEEP_ROWS = 200;

export class FleetCommands {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly o: FleetCommandsOptions) {
    // Table fleet_commands: KB migration 0120 (ids and types only, nothing personal).
    this.noteInterrupted();
    const onStatus = (s: SyncStatus) => {
      if (s.state === 'idle' && s.online) void this.poll();
    };
    o.sync.on('status', onStatus);
    this.unsubscribe.push(() => o.sync.off('status', onStatus), o.onSessionEnded(() => void this.poll({ fetch: false })));
  }

  /**
   * Re-sends unreported outcomes, runs deferred commands that may run now and (unless fetch is
   * false) the hub's open commands. One pass at a time; a call during a pass runs one more.
   */
  poll(options: { fetch?: boolean } = {}): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let fetch = options.fetch ?? true;
      do {
        this.again = false;
        await this.pass(fetch).catch((err: Error) => this.o.logger?.warn({ err: err.message }, 'hub commands: pass failed'));
        fetch = true;
      } while (this.again && !this.closed);
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Resolves when no pass is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const u of this.unsubscribe) u();
    await this.settled();
  }

  // ---- one pass ---------------------------------------------------------------------------------

  private async pass(fetch: boolean): Promise<void> {
    const sent = new Set<string>();
    for (const row of this.rows('SELECT * FROM fleet_commands WHERE reported = 0 AND state != ? AND state != ?', 'running', 'deferred')) {
      sent.add(row.id);
      await this.report(row);
    }
    const open = fetch ? await this.fetchOpen() : [];
    for (const c of open) {
      if (this.closed) return;
      const local = this.local(c.id);
      if (!local) await this.first(c);
      else if (local.state === 'deferred') {
        if (c.state === 'pending' || !local.reported) await this.report(local); // our 'deferred' was lost
      } else if (local.state !== 'running' && !sent.has(c.id)) await this.report(local); // the hub missed the outcome
    }
    for (const row of this.rows('SELECT * FROM fleet_commands WHERE state = ?', 'deferred')) {
      if (this.closed) return;
      if (!this.o.sessionActive()) await this.execute(row.id, row.type);
      else if (!row.reported) await this.report(row);
    }
    this.o.db.prepare(`DELETE FROM fleet_commands WHERE reported = 1 AND state IN ('done', 'refused', 'failed') AND id NOT IN (SELECT id FROM fleet_commands ORDER BY updated_at DESC LIMIT ${KEEP_ROWS})`).run();
  }

  /** The hub's open commands for this kiosk (checked against the route table by the client). */
  private async fetchOpen(): Promise<OpenFleetCommand[]> {
    return (await callHub(this.o.endpoint, 'fleet.commands.open', { maxResponseBytes: 256 * 1024 })).commands;
  }

  /** A command this kiosk has not seen before: refuse it, or run it. */
  private async first(c: OpenFleetCommand): Promise<void> {
    const type = c.type.slice(0, 32);
    if (!(FLEET_COMMAND_TYPES as readonly string[]).includes(type)) {
      return this.decide(c.id, type, 'refused', `unknown command type '${type.replace(/[^a-z0-9-]/gi, '?')}' (this kiosk runs ${FLEET_COMMAND_TYPES.join(', ')})`);
    }
    const stale = this.o.staleAfterSeconds ?? FLEET_LIMITS.staleAfterSeconds;
    if (c.ageSeconds > stale) {
      return this.decide(c.id, type, 'refused', `stale: sent ${Math.round(c.ageSeconds / 3600)} h before this kiosk first saw it (limit ${Math.round(stale / 3600)} h); send it again if it is still wanted`);
    }
    await this.execute(c.id, type);
  }

  private async execute(id: string, type: string): Promise<void> {
    switch (type) {
      case 'sync': {
        this.save(id, type, 'running', null);
        try {
          const r = await this.o.sync.syncNow();
          return this.decide(id, type, 'done', r.changed ? `synced to cursor ${r.cursor} (${r.changes} changes)` : `already up to date (cursor ${r.cursor})`);
        } catch (err) {
          return this.decide(id, type, 'failed', (err as Error).message.slice(0, 300));
        }
      }
      case 'restart': {
        const host = this.o.host;
        if (!host) return this.decide(id, type, 'refused', 'this shell cannot restart the app');
        if (this.o.sessionActive()) return this.defer(id, type, 'a customer is using the kiosk: restarts when the session ends');
        // Decided and (if the hub answers) reported before the process goes away.
        await this.decide(id, type, 'done', 'restarting the app');
        try {
          host.restartApp();
        } catch (err) {
          await this.decide(id, type, 'failed', `restart failed: ${(err as Error).message.slice(0, 200)}`, { force: true });
        }
        return;
      }
      case 'update-now': {
        const updates = this.o.updates;
        if (!updates || updates.status().state === 'disabled') return this.decide(id, type, 'refused', 'this kiosk has no app updater (no update feed configured)');
        // The updater downloads now and keeps the session rule itself (waiting-for-window → deferred).
        this.save(id, type, 'running', null); // installing quits the app: see noteInterrupted()
        let s: UpdateStatus;
        try {
          s = await (updates.installNow ? updates.installNow() : updates.checkNow());
        } catch (err) {
          return this.decide(id, type, 'failed', (err as Error).message.slice(0, 300));
        }
        switch (s.state) {
          case 'up-to-date':
            return this.decide(id, type, 'done', `already up to date (${s.currentVersion})`);
          case 'installing':
            return this.decide(id, type, 'done', `installing ${s.availableVersion ?? 'the update'}`);
          case 'error':
            return this.decide(id, type, 'failed', s.detail ?? 'the update check failed');
          default:
            return this.defer(id, type, `update ${s.availableVersion ?? ''} ${s.state}${s.detail ? `: ${s.detail}` : ''}`.replace(/\s+/g, ' ').trim());
        }
      }
      default:
        return this.decide(id, type, 'refused', `unknown command type '${type}'`);
    }
  }

  /** A command left 'running' by the previous process: the app went away while acting on it. */
  private noteInterrupted(): void {
    for (const row of this.rows('SELECT * FROM fleet_commands WHERE state = ?', 'running')) {
      if (row.type === 'update-now') this.save(row.id, row.type, 'done', `the app restarted during the update; now running ${this.o.appVersion}`);
      else this.save(row.id, row.type, 'failed', 'interrupted: the app stopped while running it');
      this.audit(row.id, row.type, this.local(row.id)!.state as Outcome, this.local(row.id)!.detail);
    }
  }

  private async defer(id: string, type: string, detail: string): Promise<void> {
    const local = this.local(id);
    if (local?.state === 'deferred' && local.detail === detail) return; // already said so
    return this.decide(id, type, 'deferred', detail);
  }

  /** Records the outcome first (durable), audits it, then tells the hub. */
  private async decide(id: string, type: string, state: Outcome, detail: string, o: { force?: boolean } = {}): Promise<void> {
    const local = this.local(id);
    if (!o.force && local && local.state !== 'running' && local.state !== 'deferred') return; // final already
    this.save(id, type, state, detail);
    this.audit(id, type, state, detail);
    this.o.logger?.info({ command: id, type, state }, 'hub command');
    await this.report(this.local(id)!);
  }

  private async report(row: LocalRow): Promise<void> {
    if (row.state === 'running') return;
    const body: FleetCommandResult = { state: row.state, ...(row.detail ? { detail: row.detail.slice(0, 500) } : {}) };
    try {
      try {
        await callHub(this.o.endpoint, 'fleet.commands.report', { params: { id: row.id }, body, maxResponseBytes: 64 * 1024 });
      } catch (err) {
        // 404 (gone) and 409 (the hub holds another final outcome) will not change by retrying.
        if (!(err instanceof HubClientError && (err.status === 404 || err.status === 409))) throw err;
        this.o.logger?.warn({ command: row.id, status: err.status }, 'hub command: the hub did not take the outcome');
      }
      this.o.db.prepare('UPDATE fleet_commands SET reported = 1 WHERE id = ? AND state = ?').run(row.id, row.state);
    } catch (err) {
      // Kept unreported: re-sent with the next poll (the hub ignores a repeat).
      this.o.logger?.warn({ command: row.id, err: (err as Error).message }, 'hub command: outcome not delivered yet');
    }
  }

  private audit(id: string, type: string, state: Outcome, detail: string | null): void {
    this.o.audit.record({
      at: new Date().toISOString(),
      action: `hub-command:${type.replace(/[^a-z0-9-]/gi, '-')}`,
      outcome: state === 'failed' ? 'failed' : state === 'refused' ? 'denied' : 'ok',
      detail: `command ${id}: ${state}${detail ? ` — ${detail}` : ''}`,
      actor: 'hub-admin',
    });
  }

  private save(id: string, type: string, state: LocalState, detail: string | null): void {
    this.o.db
      .prepare(
        `INSERT INTO fleet_commands (id, type, state, detail, reported, updated_at) VALUES (?, ?, ?, ?, 0, ?)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, detail = excluded.detail, reported = 0, updated_at = excluded.updated_at`,
      )
      .run(id, type, state, detail, new Date().toISOString());
  }

  private local(id: string): LocalRow | undefined {
    return this.o.db.prepare('SELECT id, type, state, detail, reported FROM fleet_commands WHERE id = ?').get(id) as LocalRow | undefined;
  }

  private rows(sql: string, ...args: string[]): LocalRow[] {
    return this.o.db.prepare(sql).all(...args) as LocalRow[];
  }
}
