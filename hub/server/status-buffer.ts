// What kiosks report with each poll (last seen, cursor, version, backlog, update state, device
// health, uptime), kept in memory and written in one transaction every few seconds: the poll a
// fleet makes every few minutes never waits for a database write. Each flush is handed on (the
// console's history and live events, hub/fleet/live.ts) — also an empty one, which is the tick
// that notices kiosks going quiet.
import type { IncomingHttpHeaders } from 'node:http';
import { KIOSK_HEADERS } from '../../contracts/sync-protocol.ts';
import { nowIso, type HubDb } from '../db/open.ts';
import { healthLevel } from '../../contracts/fleet-view.ts';
import { deviceHealthFromHeader, deviceHealthOf } from '../fleet/device-health.ts';
import { uptimeFromHeader } from '../fleet/kiosks.ts';
import type { FlushedKiosk } from '../fleet/live.ts';
import type { FlushedStatus } from '../fleet/status-history.ts';
import { versionSortKey } from '../updates/versions.ts';

type KioskStatus = FlushedStatus & { uptime: number | null };

export class KioskStatusBuffer {
  private readonly buffer = new Map<string, KioskStatus>();
  private timer: NodeJS.Timeout | null = null;
  /** Flushes run one after another (a slow one never overlaps the next tick). */
  private last: Promise<void> = Promise.resolve();

  /** `flushed`: told about each flush once it is written (an empty batch too, on the timer). */
  constructor(
    private readonly hub: HubDb,
    private readonly flushed?: (batch: readonly FlushedKiosk[]) => Promise<void>,
  ) {}

  /** Buffers one poll's report; malformed headers are ignored, never refused. */
  note(kioskId: string, headers: IncomingHttpHeaders, cursor: number): void {
    const appVersion = headers[KIOSK_HEADERS.appVersion];
    const backlog = Number(headers[KIOSK_HEADERS.outboxBacklog]);
    const updateState = headers[KIOSK_HEADERS.updateState];
    const before = this.buffer.get(kioskId);
    this.buffer.set(kioskId, {
      at: nowIso(),
      cursor,
      appVersion: typeof appVersion === 'string' ? appVersion.slice(0, 64) : null,
      backlog: Number.isInteger(backlog) && backlog >= 0 ? backlog : null,
      updateState: typeof updateState === 'string' && /^[a-z-]{1,32}$/.test(updateState) ? updateState : null,
      // a malformed report is ignored (hub/fleet/device-health.ts); a good one buffered earlier stays
      deviceHealth: deviceHealthFromHeader(headers[KIOSK_HEADERS.deviceHealth]) ?? before?.deviceHealth ?? null,
      // hostile or absent: ignored (null), the stored value and its report time stay
      uptime: uptimeFromHeader(headers[KIOSK_HEADERS.uptime]),
      // the history counts polls, not flushes
      polls: (before?.polls ?? 0) + 1,
    });
  }

  /** Writes what is buffered now (after any flush under way). */
  flush(): Promise<void> {
    const run = this.last.catch(() => {}).then(async () => {
      const batch = [...this.buffer];
      this.buffer.clear();
      if (batch.length) await this.write(batch);
      await this.flushed?.(batch);
    });
    this.last = run;
    return run;
  }

  private async write(batch: Array<[string, KioskStatus]>): Promise<void> {
    await this.hub.write(async (trx) => {
      for (const [id, s] of batch) {
        await trx
          .updateTable('kiosks')
          .set({
            last_seen_at: s.at,
            last_cursor: s.cursor,
            ...(s.appVersion ? { app_version: s.appVersion, app_version_key: versionSortKey(s.appVersion) } : {}),
            ...(s.backlog !== null ? { outbox_backlog: s.backlog } : {}),
            ...(s.updateState ? { update_state: s.updateState } : {}),
            ...(s.deviceHealth ? { device_health: s.deviceHealth, health: healthLevel(deviceHealthOf(s.deviceHealth)) } : {}),
            ...(s.uptime !== null ? { uptime_seconds: s.uptime, uptime_at: s.at } : {}),
          })
          .where('id', '=', id)
          .execute();
      }
    });
  }

  /** Flushes every `everyMs` until stop(); a failed flush is reported and tried again next time. */
  start(onError: (err: Error) => void, everyMs = 5000): void {
    this.timer = setInterval(() => void this.flush().catch(onError), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch(() => {});
  }
}
