// The fleet as the console sees it live, one object per server: after each status flush (every
// 5 s) the kiosks' reports go into the 24-hour history and into coalesced kiosk.status events, a
// sweep notices kiosks that went quiet, and closed history buckets are written. Handlers that
// change a kiosk (enrol, token, revoke) announce it here so the events and the list agree.
import type { KioskSummary } from '../../contracts/fleet-view.ts';
import { healthLevel } from '../../contracts/fleet-view.ts';
import type { HubDb } from '../db/open.ts';
import type { EventBus } from '../events/bus.ts';
import type { HeadWatcher } from '../sync/head.ts';
import { deviceHealthOf } from './device-health.ts';
import { kioskSummary, type FleetClock } from './fleet-list.ts';
import { FleetError, findKiosk } from './kiosks.ts';
import { FleetStatusEvents } from './status-events.ts';
import { StatusHistory, type FlushedStatus } from './status-history.ts';

export interface FleetLiveOptions {
  /** A kiosk is online when it polled within this (default 600 s: two missed polls at the default 300 s interval). */
  onlineWithinSeconds?: number;
  now?: () => number;
  /** History bucket size (tests shorten it). */
  bucketSeconds?: number;
}

export type FlushedKiosk = readonly [string, FlushedStatus & { uptime: number | null }];

export class FleetLive {
  readonly history: StatusHistory;
  readonly status: FleetStatusEvents;
  readonly onlineWithinSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly hub: HubDb,
    private readonly head: HeadWatcher,
    private readonly bus: EventBus,
    options: FleetLiveOptions = {},
  ) {
    this.onlineWithinSeconds = options.onlineWithinSeconds ?? 600;
    this.now = options.now ?? Date.now;
    this.history = new StatusHistory({ now: this.now, ...(options.bucketSeconds ? { bucketSeconds: options.bucketSeconds } : {}) });
    this.status = new FleetStatusEvents(hub, bus, { onlineWithinSeconds: this.onlineWithinSeconds, now: this.now });
  }

  start(): Promise<void> {
    return this.status.start();
  }

  async clock(): Promise<FleetClock> {
    const state = this.head.peek() ?? (await this.head.current());
    return { head: state.head, now: this.now(), onlineWithinSeconds: this.onlineWithinSeconds };
  }

  /** Called after every status flush (also an empty one: the sweep and the history run on it). */
  async flushed(batch: readonly FlushedKiosk[]): Promise<void> {
    for (const [id, s] of batch) this.history.record(id, s, s.deviceHealth === null ? null : healthLevel(deviceHealthOf(s.deviceHealth)));
    await this.status.flushed(batch);
    this.status.sweep();
    this.status.announce();
    await this.history.persist(this.hub);
  }

  /** Reads the kiosk as stored now, updates the live view, publishes `type`, returns its summary. */
  async announceKiosk(name: string, type: 'kiosk.enrolled' | 'kiosk.revoked'): Promise<KioskSummary> {
    const row = await findKiosk(this.hub.db, name);
    if (!row) throw new FleetError(`no kiosk named '${name}'`, 'not_found');
    const summary = kioskSummary(row, await this.clock());
    this.status.update(summary);
    this.bus.publish({ type, branch: summary.branch, data: { kiosk: summary } });
    return summary;
  }

  /** At shutdown: the open history buckets are written too. */
  async close(): Promise<void> {
    await this.history.persist(this.hub, { all: true });
  }
}
