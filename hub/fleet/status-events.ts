// Kiosk status changes for the live console, coalesced: a fleet of 10 000 kiosks polling every
// 30 s makes 333 polls a second, and a console needs none of them — only the changes a person can
// see (online ↔ offline, version, update state, health, backlog, sync cursor). Each status flush
// (every 5 s) is compared with what was last announced per kiosk; the kiosks that changed go out
// as one `kiosk.status` event per branch (at most CHUNK kiosks each). Going offline is noticed by
// a sweep on the same tick: no poll arrives to say so. Uptime and last-seen times alone are not
// announced (they move with every poll); the console computes them from the row it has.
import { healthLevel, type KioskSummary } from '../../contracts/fleet-view.ts';
import type { HubDb } from '../db/open.ts';
import type { EventBus } from '../events/bus.ts';
import { deviceHealthOf } from './device-health.ts';
import { kioskSummary, onlineCutoff } from './fleet-list.ts';
import type { FlushedStatus } from './status-history.ts';

const CHUNK = 200;

export interface StatusEventsOptions {
  onlineWithinSeconds: number;
  now?: () => number;
}

const fingerprint = (k: KioskSummary) =>
  JSON.stringify([k.online, k.appVersion, k.updateState, k.deviceHealth, k.outboxBacklog, k.lastCursor, k.branch, k.revokedAt]);

export class FleetStatusEvents {
  /** Every active kiosk's current summary and what was last announced about it. */
  private readonly known = new Map<string, { summary: KioskSummary; announced: string }>();
  private readonly changed = new Set<string>();
  private readonly now: () => number;

  constructor(
    private readonly hub: HubDb,
    private readonly bus: EventBus,
    private readonly options: StatusEventsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private clock() {
    return { now: this.now(), onlineWithinSeconds: this.options.onlineWithinSeconds };
  }

  /** Loads every active kiosk (once, at start; ~10 000 small rows). */
  async start(): Promise<void> {
    const rows = await this.hub.db.selectFrom('kiosks').selectAll().where('revoked_at', 'is', null).execute();
    for (const r of rows) {
      const summary = kioskSummary(r, this.clock());
      this.known.set(r.id, { summary, announced: fingerprint(summary) });
    }
  }

  /**
   * After a status flush: folds what each kiosk reported into its summary (in memory, as the flush
   * wrote it); kiosks this process does not know yet (enrolled by the CLI) are read once.
   */
  async flushed(batch: ReadonlyArray<readonly [string, FlushedStatus & { uptime: number | null }]>): Promise<void> {
    const unknown: string[] = [];
    const cutoff = onlineCutoff(this.clock());
    for (const [id, s] of batch) {
      const e = this.known.get(id);
      if (!e) {
        unknown.push(id);
        continue;
      }
      const deviceHealth = s.deviceHealth === null ? e.summary.deviceHealth : deviceHealthOf(s.deviceHealth);
      this.update({
        ...e.summary,
        online: s.at >= cutoff,
        lastSeenAt: s.at,
        lastCursor: s.cursor,
        appVersion: s.appVersion ?? e.summary.appVersion,
        outboxBacklog: s.backlog ?? e.summary.outboxBacklog,
        updateState: s.updateState ?? e.summary.updateState,
        deviceHealth,
        health: healthLevel(deviceHealth),
        ...(s.uptime !== null ? { uptimeSeconds: s.uptime, uptimeAt: s.at } : {}),
      });
    }
    for (let i = 0; i < unknown.length; i += 500) {
      const rows = await this.hub.db
        .selectFrom('kiosks')
        .selectAll()
        .where('id', 'in', unknown.slice(i, i + 500))
        .execute();
      // new to this process: announced as changed so consoles add the row
      for (const r of rows) {
        if (r.revoked_at !== null) continue;
        this.known.set(r.id, { summary: kioskSummary(r, this.clock()), announced: '' });
        this.changed.add(r.id);
      }
    }
  }

  /** A kiosk whose summary is known from elsewhere (enrolled, revoked, token renewed). */
  update(summary: KioskSummary): void {
    const entry = this.known.get(summary.id);
    if (summary.revokedAt !== null) {
      // announced by kiosk.revoked; a revoked kiosk no longer polls
      this.known.delete(summary.id);
      this.changed.delete(summary.id);
      return;
    }
    if (!entry) {
      this.known.set(summary.id, { summary, announced: fingerprint(summary) });
      return;
    }
    entry.summary = summary;
    if (fingerprint(summary) !== entry.announced) this.changed.add(summary.id);
    else this.changed.delete(summary.id);
  }

  /** Marks kiosks whose last poll has grown older than the threshold as offline. */
  sweep(): void {
    const cutoff = onlineCutoff(this.clock());
    for (const [id, e] of this.known) {
      if (e.summary.online && (e.summary.lastSeenAt === null || e.summary.lastSeenAt < cutoff)) {
        e.summary = { ...e.summary, online: false };
        if (fingerprint(e.summary) !== e.announced) this.changed.add(id);
        else this.changed.delete(id);
      }
    }
  }

  /** Publishes what changed since the last call, one event per branch (chunked). Returns the count. */
  announce(): number {
    if (this.changed.size === 0) return 0;
    const byBranch = new Map<string | null, KioskSummary[]>();
    for (const id of this.changed) {
      const e = this.known.get(id);
      if (!e) continue;
      e.announced = fingerprint(e.summary);
      const list = byBranch.get(e.summary.branch) ?? [];
      list.push(e.summary);
      byBranch.set(e.summary.branch, list);
    }
    const n = this.changed.size;
    this.changed.clear();
    for (const [branch, kiosks] of byBranch) {
      kiosks.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (let i = 0; i < kiosks.length; i += CHUNK) this.bus.publish({ type: 'kiosk.status', branch, data: { kiosks: kiosks.slice(i, i + CHUNK) } });
    }
    return n;
  }

  get size(): number {
    return this.known.size;
  }
}
