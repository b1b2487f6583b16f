// The console's fleet data, against real SQLite files and PostgreSQL schemas: the kiosk list's
// filters, sorting, paging and counts, restricted per branch; the bounded 24-hour status history;
// coalesced status events; the configuration editor (layers, effective config, sources, stale
// edits); version adoption.
import { afterEach, describe, expect, it } from 'vitest';
import { healthLevel, type KioskListQuery } from '../../contracts/fleet-view.ts';
import { parseDeviceHealth } from '../../contracts/device-health.ts';
import type { HubEvent } from '../../contracts/hub-events.ts';
import { HubDb } from '../../hub/db/open.ts';
import { configSources, configView, writeConfig } from '../../hub/fleet/config-editor.ts';
import { listFleet } from '../../hub/fleet/fleet-list.ts';
import { addKiosk, revokeKiosk } from '../../hub/fleet/kiosks.ts';
import { ALL_KIOSKS, fleetScope } from '../../hub/fleet/scope.ts';
import { FleetStatusEvents } from '../../hub/fleet/status-events.ts';
import { bucketStart, readHistory, StatusHistory, type FlushedStatus } from '../../hub/fleet/status-history.ts';
import { MemoryEventBus } from '../../hub/events/bus.ts';
import { adoption } from '../../hub/updates/adoption.ts';
import { versionSortKey } from '../../hub/updates/versions.ts';
import { freshDbSpec, postgresUnavailable, type BackendName } from './harness.ts';

const pgSkip = await postgresUnavailable();

let hub: HubDb | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** What a status flush writes for one kiosk (the columns the list reads). */
async function report(h: HubDb, name: string, s: { at: number; cursor?: number; version?: string; health?: string; backlog?: number; updateState?: string; uptime?: number }) {
  await h.write((trx) =>
    trx
      .updateTable('kiosks')
      .set({
        last_seen_at: iso(s.at),
        last_cursor: s.cursor ?? 0,
        ...(s.version ? { app_version: s.version, app_version_key: versionSortKey(s.version) } : {}),
        ...(s.health ? { device_health: s.health, health: healthLevel(parseDeviceHealth(s.health)) } : {}),
        ...(s.backlog !== undefined ? { outbox_backlog: s.backlog } : {}),
        ...(s.updateState ? { update_state: s.updateState } : {}),
        ...(s.uptime !== undefined ? { uptime_seconds: s.uptime, uptime_at: iso(s.at) } : {}),
      })
      .where('name', '=', name)
      .execute(),
  );
}

const clock = { head: 10, now: T0, onlineWithinSeconds: 600 };

describe('health levels', () => {
  it('error when a device is not connected, warning when one reports a code, ok otherwise; null when never reported', () => {
    expect(healthLevel(null)).toBeNull();
    expect(healthLevel([])).toBe('ok');
    expect(healthLevel(parseDeviceHealth('printer:connected,idcard:connected'))).toBe('ok');
    expect(healthLevel(parseDeviceHealth('printer:connected:paper-near-end'))).toBe('warning');
    expect(healthLevel(parseDeviceHealth('printer:connected:paper-near-end,idcard:disconnected'))).toBe('error');
    expect(healthLevel(parseDeviceHealth('hid:connecting'))).toBe('error');
  });

  it('sorts versions as semver', () => {
    const v = ['1.10.0', '1.9.0', '1.10.0-beta.1', '2.0.0', 'dev'].sort((a, b) => (versionSortKey(a) < versionSortKey(b) ? -1 : 1));
    expect(v).toEqual(['dev', '1.9.0', '1.10.0-beta.1', '1.10.0', '2.0.0']);
  });
});

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`fleet view on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    async function fleetOf(n: number) {
      const h = await HubDb.open(await freshDbSpec(backend));
      hub = h;
      for (let i = 0; i < n; i++) await addKiosk(h, `k${String(i).padStart(3, '0')}`, ['north', 'south', null][i % 3]!);
      return h;
    }
    const names = (r: { kiosks: Array<{ name: string }> }) => r.kiosks.map((k) => k.name);

    it('filters, sorts and pages on the server, with counts over everything the caller may see', async () => {
      const h = await fleetOf(30);
      for (let i = 0; i < 30; i++) {
        if (i % 5 === 4) continue; // never polled
        await report(h, `k${String(i).padStart(3, '0')}`, {
          at: i < 10 ? T0 - 60_000 : T0 - 3600_000, // 0–9 online, the rest an hour ago
          cursor: i % 2 ? 10 : 7,
          version: ['1.9.0', '1.10.0', '1.10.1-beta.1'][i % 3],
          health: ['none', 'printer:connected:paper-near-end', 'idcard:disconnected'][i % 3],
          backlog: i,
          updateState: i % 4 === 0 ? 'downloading' : 'idle',
          uptime: 1000 + i,
        });
      }
      const list = (q: KioskListQuery) => listFleet(h.db, ALL_KIOSKS, q, clock);

      const all = await list({});
      expect(all.total).toBe(30);
      expect(all.kiosks).toHaveLength(30);
      expect(all.counts).toEqual({ total: 30, online: 8, health: { ok: 8, warning: 8, error: 8, unknown: 6 }, behind: 12 });
      expect(all.kiosks[0]).toMatchObject({ name: 'k000', branch: 'north', online: true, appVersion: '1.9.0', health: 'ok', deviceHealth: [], lastCursor: 7, outboxBacklog: 0, uptimeSeconds: 1000 });

      // paging: stable order, no overlap, total unchanged
      const p1 = await list({ limit: 7 });
      const p2 = await list({ limit: 7, offset: 7 });
      expect(names(p1)).toEqual(names(all).slice(0, 7));
      expect(names(p2)).toEqual(names(all).slice(7, 14));
      expect(p2.total).toBe(30);

      expect(names(await list({ online: 'true' }))).toEqual(['k000', 'k001', 'k002', 'k003', 'k005', 'k006', 'k007', 'k008']);
      expect((await list({ online: 'false' })).total).toBe(22);
      expect((await list({ health: 'error' })).kiosks.every((k) => k.health === 'error')).toBe(true);
      expect((await list({ health: 'unknown' })).total).toBe(6);
      expect((await list({ behind: 'true' })).kiosks.every((k) => k.lastCursor === 7)).toBe(true);
      expect((await list({ branch: 'south' })).kiosks.every((k) => k.branch === 'south')).toBe(true);
      expect((await list({ updateState: 'downloading' })).total).toBe(6);
      expect((await list({ appVersion: '1.10.0' })).kiosks.every((k) => k.appVersion === '1.10.0')).toBe(true);
      expect(names(await list({ q: 'K01' }))).toEqual(['k010', 'k011', 'k012', 'k013', 'k014', 'k015', 'k016', 'k017', 'k018', 'k019']);
      // LIKE wildcards in the search are literal
      expect((await list({ q: '%' })).total).toBe(0);
      expect((await list({ q: '_' })).total).toBe(0);

      // semver order, nulls last in both directions
      const byVersion = await list({ sort: 'appVersion', order: 'desc' });
      expect(byVersion.kiosks.slice(0, 8).every((k) => k.appVersion === '1.10.1-beta.1')).toBe(true);
      expect(byVersion.kiosks.slice(8, 16).every((k) => k.appVersion === '1.10.0')).toBe(true);
      expect(byVersion.kiosks.slice(-6).every((k) => k.appVersion === null)).toBe(true);
      const asc = await list({ sort: 'appVersion' });
      expect(asc.kiosks[0]!.appVersion).toBe('1.9.0');
      expect(asc.kiosks.at(-1)!.appVersion).toBeNull();
      const backlog = await list({ sort: 'outboxBacklog', order: 'desc', limit: 3 });
      expect(backlog.kiosks.map((k) => k.outboxBacklog)).toEqual([28, 27, 26]);
      expect((await list({ sort: 'health', order: 'desc', limit: 8 })).kiosks.every((k) => k.health === 'error')).toBe(true);
      expect((await list({ sort: 'lag', order: 'desc', limit: 12 })).kiosks.every((k) => k.lastCursor === 7)).toBe(true);
      expect((await list({ sort: 'lastSeenAt', order: 'desc', limit: 1 })).kiosks[0]!.online).toBe(true);
      expect((await list({ sort: 'uptime', order: 'desc', limit: 1 })).kiosks[0]!.name).toBe('k028');

      // revoked kiosks leave the active list and the counts
      await revokeKiosk(h, 'k000');
      expect((await list({})).total).toBe(29);
      expect(names(await list({ status: 'revoked' }))).toEqual(['k000']);
      expect((await list({ status: 'all' })).total).toBe(30);
      expect((await list({})).counts.total).toBe(29);
    });

    it('a branch manager sees their branch only — in the list, the counts and adoption; without a branch, nothing', async () => {
      const h = await fleetOf(9);
      for (let i = 0; i < 9; i++) await report(h, `k00${i}`, { at: T0, version: i < 5 ? '1.0.0' : '1.1.0', updateState: 'idle' });
      const north = fleetScope({ role: 'branch-manager', branch: 'north' });
      const r = await listFleet(h.db, north, {}, clock);
      expect(names(r)).toEqual(['k000', 'k003', 'k006']);
      expect(r.counts.total).toBe(3);
      // asking for another branch within their scope finds nothing
      expect((await listFleet(h.db, north, { branch: 'south' }, clock)).total).toBe(0);
      expect((await listFleet(h.db, fleetScope({ role: 'branch-manager', branch: null }), {}, clock)).total).toBe(0);
      expect(fleetScope({ role: 'admin', branch: null })).toEqual(ALL_KIOSKS);

      const a = await adoption(h.db, north, clock);
      expect(a).toEqual({
        total: 3,
        versions: [
          { version: '1.1.0', kiosks: 1, online: 1, updateStates: { idle: 1 } },
          { version: '1.0.0', kiosks: 2, online: 2, updateStates: { idle: 2 } },
        ],
      });
      expect((await adoption(h.db, ALL_KIOSKS, clock)).total).toBe(9);
    });

    it('keeps one row per kiosk per 5-minute bucket, adds up across restarts, prunes after 24 h', async () => {
      const h = await fleetOf(2);
      const id = (await h.db.selectFrom('kiosks').select('id').where('name', '=', 'k000').executeTakeFirstOrThrow()).id;
      let now = T0;
      const history = new StatusHistory({ now: () => now });
      const flush = (at: number, extra: Partial<FlushedStatus> = {}, health: 'ok' | 'warning' | 'error' | null = 'ok') =>
        history.record(id, { at: iso(at), cursor: 5, appVersion: '1.0.0', backlog: 1, updateState: 'idle', deviceHealth: 'none', polls: 1, ...extra }, health);

      // 10 polls in one bucket (one every 30 s) → one row, polls 10, worst health and max backlog
      for (let i = 0; i < 10; i++) flush(T0 + i * 30_000, { backlog: i === 3 ? 9 : 1, deviceHealth: i === 5 ? 'printer:disconnected' : 'none' }, i === 5 ? 'error' : 'ok');
      // nothing written while the bucket is open, but readable
      expect(await history.persist(h)).toBe(0);
      const open = await readHistory(h.db, id, iso(T0 - 3600_000), history);
      expect(open).toEqual([{ start: bucketStart(T0), polls: 10, appVersion: '1.0.0', updateState: 'idle', health: 'error', deviceHealth: [], outboxBacklog: 9, lastCursor: 5 }]);
      expect(await readHistory(h.db, id, iso(T0 - 3600_000))).toEqual([]);

      // the next bucket closes the first: it is written once
      flush(T0 + 300_000);
      now = T0 + 300_000;
      expect(await history.persist(h)).toBe(1);
      const rows = await h.db.selectFrom('kiosk_status_history').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.polls)).toBe(10);

      // shutdown writes the open bucket; after a restart the same bucket adds up
      expect(await history.persist(h, { all: true })).toBe(1);
      const again = new StatusHistory({ now: () => now });
      again.record(id, { at: iso(T0 + 330_000), cursor: 6, appVersion: '1.0.1', backlog: 0, updateState: 'downloading', deviceHealth: null, polls: 2 }, null);
      const merged = await readHistory(h.db, id, iso(T0 - 3600_000), again);
      expect(merged.map((b) => [b.start, b.polls, b.appVersion, b.lastCursor])).toEqual([
        [bucketStart(T0), 10, '1.0.0', 5],
        [bucketStart(T0 + 300_000), 3, '1.0.1', 6],
      ]);
      await again.persist(h, { all: true });
      expect(await readHistory(h.db, id, iso(T0 - 3600_000))).toEqual(merged);

      // a day later the old rows are pruned on the next persist
      now = T0 + 25 * 3600_000;
      const later = new StatusHistory({ now: () => now });
      later.record(id, { at: iso(now), cursor: 7, appVersion: '1.0.1', backlog: 0, updateState: 'idle', deviceHealth: 'none', polls: 1 }, 'ok');
      await later.persist(h, { all: true });
      expect((await h.db.selectFrom('kiosk_status_history').select('bucket_start').execute()).map((r) => r.bucket_start)).toEqual([bucketStart(now)]);
    });

    it('announces status changes coalesced per branch, not polls; offline by sweep', async () => {
      const h = await fleetOf(4);
      const ids = new Map((await h.db.selectFrom('kiosks').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
      let now = T0;
      const bus = new MemoryEventBus();
      const events: HubEvent[] = [];
      bus.subscribe({}, (e) => events.push(e));
      const watch = new FleetStatusEvents(h, bus, { onlineWithinSeconds: 600, now: () => now });
      await watch.start();
      expect(watch.size).toBe(4);
      const poll = (name: string, extra: Partial<FlushedStatus & { uptime: number }> = {}) =>
        [ids.get(name)!, { at: iso(now), cursor: 3, appVersion: '1.0.0', backlog: 0, updateState: 'idle', deviceHealth: 'none', polls: 1, uptime: 50, ...extra }] as const;

      await watch.flushed([poll('k000'), poll('k001'), poll('k003')]);
      expect(watch.announce()).toBe(3);
      expect(events.map((e) => [e.type, e.branch, (e.data as { kiosks: Array<{ name: string }> }).kiosks.map((k) => k.name)])).toEqual([
        ['kiosk.status', 'north', ['k000', 'k003']],
        ['kiosk.status', 'south', ['k001']],
      ]);
      // the same again, later: only uptime and last-seen moved → nothing announced
      now += 30_000;
      await watch.flushed([poll('k000', { uptime: 80 }), poll('k001'), poll('k003')]);
      expect(watch.announce()).toBe(0);
      // a change that reverts before the flush is announced is not announced
      await watch.flushed([poll('k000', { backlog: 4 })]);
      await watch.flushed([poll('k000', { backlog: 0 })]);
      expect(watch.announce()).toBe(0);
      // a new version on one kiosk: one event with that kiosk
      await watch.flushed([poll('k001', { appVersion: '1.1.0', updateState: 'installing' })]);
      expect(watch.announce()).toBe(1);
      expect(events.at(-1)!.data).toMatchObject({ kiosks: [{ name: 'k001', appVersion: '1.1.0', updateState: 'installing', online: true }] });
      // ten minutes of silence: the sweep says offline, once
      now += 11 * 60_000;
      watch.sweep();
      expect(watch.announce()).toBe(3);
      watch.sweep();
      expect(watch.announce()).toBe(0);
      // a kiosk enrolled elsewhere (the CLI) is read once when it first polls
      const extra = await addKiosk(h, 'k-new', 'north');
      await watch.flushed([[extra.kiosk.id, { at: iso(now), cursor: 3, appVersion: '1.0.0', backlog: 0, updateState: 'idle', deviceHealth: null, polls: 1, uptime: null }]]);
      expect(watch.announce()).toBe(1);
      expect(events.at(-1)!.data).toMatchObject({ kiosks: [{ name: 'k-new' }] });
    });

    it('edits configuration layers: effective config by the kiosk merge, sources per field, stale edits refused, branch scope', async () => {
      const h = await fleetOf(3);
      await writeConfig(h, ALL_KIOSKS, { target: { scope: 'fleet' }, config: { idleTimeoutSeconds: 120, sync: { intervalSeconds: 60 } } });
      const branch = await writeConfig(h, ALL_KIOSKS, { target: { scope: 'branch', branch: 'north' }, config: { branchName: '北区 <b>', sync: { maxBackoffSeconds: 900 } }, expectedHash: null });
      expect(branch.published).toMatchObject({ revision: expect.any(Number), head: expect.any(Number) });

      const view = await configView(h.db, ALL_KIOSKS, { scope: 'kiosk', kiosk: 'k000' });
      expect(view.layer).toBeNull();
      expect(view.inherited.fleet).toEqual({ idleTimeoutSeconds: 120, sync: { intervalSeconds: 60 } });
      expect(view.inherited.branch).toEqual({ branchName: '北区 <b>', sync: { maxBackoffSeconds: 900 } });
      expect(view.effective).toMatchObject({ branchName: '北区 <b>', idleTimeoutSeconds: 120, idleCountdownSeconds: 15, sync: { intervalSeconds: 60, maxBackoffSeconds: 900 } });
      expect(view.sources).toMatchObject({ branchName: 'branch', idleTimeoutSeconds: 'fleet', idleCountdownSeconds: 'default', 'sync.intervalSeconds': 'fleet', 'sync.maxBackoffSeconds': 'branch' });

      // a stale edit (someone changed the branch layer since) is refused and changes nothing
      const bView = await configView(h.db, ALL_KIOSKS, { scope: 'branch', branch: 'north' });
      await writeConfig(h, ALL_KIOSKS, { target: { scope: 'branch', branch: 'north' }, config: { branchName: 'North' }, expectedHash: bView.hash });
      await expect(writeConfig(h, ALL_KIOSKS, { target: { scope: 'branch', branch: 'north' }, config: { branchName: 'Mine' }, expectedHash: bView.hash })).rejects.toMatchObject({ code: 'conflict' });
      expect((await configView(h.db, ALL_KIOSKS, { scope: 'branch', branch: 'north' })).layer).toEqual({ branchName: 'North' });

      // dry run: the resulting view, nothing published
      const head = (await h.db.selectFrom('meta').select('value').where('key', '=', 'head').executeTakeFirstOrThrow()).value;
      const dry = await writeConfig(h, ALL_KIOSKS, { target: { scope: 'kiosk', kiosk: 'k000' }, config: { idleTimeoutSeconds: 30 }, dryRun: true });
      expect(dry.published).toBeNull();
      expect(dry.view.effective.idleTimeoutSeconds).toBe(30);
      expect(dry.view.sources.idleTimeoutSeconds).toBe('kiosk');
      expect((await h.db.selectFrom('meta').select('value').where('key', '=', 'head').executeTakeFirstOrThrow()).value).toBe(head);
      // writing the same layer again publishes nothing
      expect((await writeConfig(h, ALL_KIOSKS, { target: { scope: 'branch', branch: 'north' }, config: { branchName: 'North' } })).published).toBeNull();

      // a branch manager reads their branch and its kiosks, and the fleet layer — nothing else
      const north = fleetScope({ role: 'branch-manager', branch: 'north' });
      expect((await configView(h.db, north, { scope: 'kiosk', kiosk: 'k000' })).effective.branchName).toBe('North');
      expect((await configView(h.db, north, { scope: 'fleet' })).layer).toEqual({ idleTimeoutSeconds: 120, sync: { intervalSeconds: 60 } });
      await expect(configView(h.db, north, { scope: 'kiosk', kiosk: 'k001' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(configView(h.db, north, { scope: 'branch', branch: 'south' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(writeConfig(h, north, { target: { scope: 'branch', branch: 'south' }, config: {} })).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}

describe('configuration sources', () => {
  it('names the layer of each field and each key of the objects that merge per key', () => {
    const s = configSources({ fleet: { printer: { header: 'A' }, languages: ['en'] }, kiosk: { printer: { footer: 'B' } } });
    expect(s).toMatchObject({ 'printer.enabled': 'default', 'printer.header': 'fleet', 'printer.footer': 'kiosk', languages: 'fleet', defaultLanguage: 'default' });
  });
});
