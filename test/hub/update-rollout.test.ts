// End to end (issue 13 §4): central IT uploads a release to the hub (yml, artifact, publish) and
// points the fleet at the hub's feed through the configuration; a kiosk core syncs it, builds its
// updater from the synced settings (core/update/update-config.ts) with electron-updater's real
// Linux classes (Node adapter, as test/update does), and is offered the release at 100 % but not at
// 0 % — and at a middle percentage exactly when its planted updater id falls under it. Its next
// poll reports the new update state; the fleet API and a live console show it; once it runs the
// new version, adoption counts it. The hub is the real server on loopback (SQLite and PostgreSQL).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openKioskCore, type KioskCore } from '../../core/kiosk-core.ts';
import { openKioskDatabase } from '../../core/kiosk-db.ts';
import { NodeAppAdapter, createLinuxUpdater } from '../../core/update/node-updater.ts';
import { updateSettings } from '../../core/update/update-config.ts';
import { UpdateService } from '../../core/update/update-service.ts';
import { tempDir } from '../helpers/tmp.ts';
import { api, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';
import { releaseFixture } from './releases-fixture.ts';
import { openSse } from './sse-client.ts';

const pgSkip = await postgresUnavailable();

let hub: TestHub | undefined;
let core: KioskCore | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close();
  core = hub = undefined;
});

/** An updater id whose staging value electron-updater computes as 0.3 (bytes 12–15 = 0x4ccccccc). */
const ID_AT_30_PERCENT = '3f1c2a7e-9b0d-4c3e-8a1f-00004ccccccc';

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`a release rolled out from the hub reaches a kiosk on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    it('upload → configure → offered at 100 % not at 0 % (and by id in between) → reported → shown', async () => {
      hub = await startHub(backend);
      const admin = (path: string, init: RequestInit = {}) => api(hub!, path, { token: hub!.adminToken, ...init });
      const { token } = await hub.addKiosk('lobby-1', 'north');

      // 1. central IT uploads 1.2.0 and publishes it at 0 %
      const rel = releaseFixture('1.2.0');
      const created = await admin('/v1/updates/releases', { method: 'POST', body: JSON.stringify({ channel: 'stable', yml: rel.yml }) });
      expect(created.status, created.text).toBe(201);
      const id = (created.json as { release: { id: string } }).release.id;
      const up = await admin(`/v1/updates/releases/${id}/files/${rel.name}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: rel.artifact });
      expect(up.status, up.text).toBe(200);
      const pub = await admin(`/v1/updates/releases/${id}/publish`, { method: 'POST', body: JSON.stringify({ stagingPercentage: 0 }) });
      expect(pub.status, pub.text).toBe(200);

      // 2. … and points the fleet at the hub's feed through the configuration
      const feedUrl = `${hub.url}/updates/stable/`;
      const cfg = await admin('/v1/config', { method: 'PUT', body: JSON.stringify({ target: { scope: 'fleet' }, config: { update: { feedUrl } } }) });
      expect(cfg.status, cfg.text).toBe(200);

      // 3. the kiosk syncs its configuration, then (as at its next start) builds its updater from it
      const dir = tempDir();
      const dbPath = join(dir, 'kiosk.db');
      const env = { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token };
      const first = openKioskCore({ mode: 'browser', dbPath, logDir: 'none', autoSync: false, env, appVersion: '1.0.0' });
      await first.hub.sync!.syncNow();
      await first.close();
      const settingsDb = openKioskDatabase(dbPath, { readonly: true });
      const settings = updateSettings(settingsDb, {});
      settingsDb.close();
      expect(settings.feedUrl).toBe(feedUrl);
      const userData = join(dir, 'userData');
      mkdirSync(userData, { recursive: true });
      writeFileSync(join(userData, '.updaterId'), ID_AT_30_PERCENT);
      const app = new NodeAppAdapter({ version: '1.0.0', userDataPath: userData, cachePath: join(dir, 'cache') });
      const updater = createLinuxUpdater({ app, feed: { url: settings.feedUrl!, channel: settings.channel } });
      const install = vi.spyOn(updater, 'quitAndInstall').mockImplementation(() => {});
      const updates = new UpdateService({ updater: updater as AppUpdater, currentVersion: '1.0.0', sessionActive: () => false, window: null });
      core = openKioskCore({ mode: 'browser', dbPath, logDir: 'none', autoSync: false, env, appVersion: '1.0.0', updates });

      // a console watches the fleet live
      const console = await openSse(`${hub.url}/v1/events`, { authorization: `Bearer ${hub.adminToken}` });
      expect(console.status).toBe(200);

      // 0 %: not offered
      expect((await updates.checkNow()).state).toBe('up-to-date');
      // 29 %: this kiosk's id is at 30 % — still not
      expect((await admin('/v1/updates/channels/stable', { method: 'PATCH', body: JSON.stringify({ stagingPercentage: 29 }) })).status).toBe(200);
      expect((await updates.checkNow()).state).toBe('up-to-date');
      expect(install).not.toHaveBeenCalled();
      // 31 %: offered, downloaded from the hub with its sha512 checked, installed (no customer, no window)
      expect((await admin('/v1/updates/channels/stable', { method: 'PATCH', body: JSON.stringify({ stagingPercentage: 31 }) })).status).toBe(200);
      expect(await updates.checkNow()).toMatchObject({ state: 'installing', availableVersion: '1.2.0' });
      expect(install).toHaveBeenCalledWith(true, true);
      // the planted id was the one compared (electron-updater replaces an id it cannot read)
      expect(readFileSync(join(userData, '.updaterId'), 'utf8')).toBe(ID_AT_30_PERCENT);

      // 4. its next poll reports the state; the fleet API and the console show it
      await core.hub.sync!.syncNow();
      await hub.server.flushStatus();
      const k = await admin('/v1/kiosks/lobby-1');
      expect(k.json).toMatchObject({ kiosk: { name: 'lobby-1', appVersion: '1.0.0', updateState: 'installing', online: true } });
      await console.waitFor((f) => f.event === 'kiosk.status' && f.data.includes('"updateState":"installing"'), 'the kiosk installing');

      // 5. after the install the kiosk runs 1.2.0: adoption counts it
      await core.close();
      core = openKioskCore({ mode: 'browser', dbPath, logDir: 'none', autoSync: false, env, appVersion: '1.2.0' });
      await core.hub.sync!.syncNow();
      await hub.server.flushStatus();
      const adoption = await admin('/v1/updates/adoption');
      expect(adoption.json).toMatchObject({ total: 1, versions: [{ version: '1.2.0', kiosks: 1, online: 1 }] });
      console.close();
    });

    it('100 % offers it to a kiosk with a fresh updater id; 0 % to none', async () => {
      hub = await startHub(backend);
      const admin = (path: string, init: RequestInit = {}) => api(hub!, path, { token: hub!.adminToken, ...init });
      const rel = releaseFixture('2.0.0', { stagingPercentage: 100 });
      const id = ((await admin('/v1/updates/releases', { method: 'POST', body: JSON.stringify({ channel: 'latest', yml: rel.yml }) })).json as { release: { id: string } }).release.id;
      expect((await admin(`/v1/updates/releases/${id}/files/${rel.name}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: rel.artifact })).status).toBe(200);
      expect((await admin(`/v1/updates/releases/${id}/publish`, { method: 'POST', body: '{}' })).status).toBe(200);
      const check = async () => {
        const d = tempDir();
        const app = new NodeAppAdapter({ version: '1.0.0', userDataPath: join(d, 'u'), cachePath: join(d, 'c') });
        const updater = createLinuxUpdater({ app, feed: { url: `${hub!.url}/updates/latest/` } });
        vi.spyOn(updater, 'quitAndInstall').mockImplementation(() => {});
        return (await new UpdateService({ updater: updater as AppUpdater, currentVersion: '1.0.0', sessionActive: () => false, window: null }).checkNow()).state;
      };
      for (let i = 0; i < 3; i++) expect(await check()).toBe('installing');
      expect((await admin('/v1/updates/channels/latest', { method: 'PATCH', body: JSON.stringify({ stagingPercentage: 0 }) })).status).toBe(200);
      for (let i = 0; i < 3; i++) expect(await check()).toBe('up-to-date');
    });
  });
}
