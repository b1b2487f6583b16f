// Queue numbers through the kiosk API: a kiosk core on a real SQLite file and a real hub on
// loopback. Online the hub's number (queued: false); with the hub gone, the kiosk's own per-day
// counter with the offline letter the hub gave it (AD001 …), unique under 50 concurrent takes and
// kept across a restart; with no hub at all, the fallback letter. Each number is a 'queue-number'
// receipt, wiped at session end; hostile arguments are refused.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskMethod } from '../../../contracts/kiosk-api.ts';
import { openKioskCore, type KioskCore } from '../../../core/kiosk-core.ts';
import { HubDb } from '../../../hub/db/open.ts';
import { buildHubServer } from '../../../hub/server/server.ts';
import { callCore } from '../api/harness.ts';
import { startHub, type TestHub } from '../../hub/harness.ts';
import { tempDir } from '../../helpers/tmp.ts';

let core: KioskCore | undefined;
let hub: TestHub | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close().catch(() => {});
  core = hub = undefined;
});

const call = (method: KioskMethod, args: unknown = {}) => callCore<{ number: string; waiting: number; reference: string; queued: boolean } & Record<string, unknown>>(core!, method, args);

function openCore(dbPath: string, env: NodeJS.ProcessEnv) {
  core = openKioskCore({ mode: 'browser', dbPath, logDir: join(tempDir(), 'logs'), env, autoSync: false, config: { branchName: '示例支行' } });
}

describe('queue numbers through the kiosk API', () => {
  it('online: the hub number; offline: the kiosk number with its letter; back online: the hub again', async () => {
    hub = await startHub('sqlite');
    const { token } = await hub.addKiosk('lobby-1', 'central');
    const dbPath = join(tempDir(), 'kiosk.db');
    openCore(dbPath, { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token });
    expect((await call('app.info')).features).toMatchObject({ queue: true });
    await expect(call('queue.take', { service: 'general' })).rejects.toMatchObject({ code: 'no_session' });
    await call('session.start');

    const a1 = await call('queue.take', { service: 'general' });
    expect(a1).toMatchObject({ number: 'A001', waiting: 0, queued: false, reference: expect.stringMatching(/^Q-\d{8}-A001$/) });
    expect(await call('queue.take', { service: 'general' })).toMatchObject({ number: 'A002', waiting: 1, queued: false });
    expect(core!.service.receipts.get(a1.reference)).toMatchObject({
      template: 'queue-number',
      qr: a1.reference,
      data: { queueNumber: 'A001', waiting: '0', branchName: '示例支行', service: expect.stringContaining('General'), issuedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) },
    });

    const port = Number(new URL(hub.url).port);
    const spec = hub.hub.spec;
    await hub.close();
    hub = undefined;
    // The hub gave this kiosk the branch's first offline letter, D.
    const off1 = await call('queue.take', { service: 'general' });
    expect(off1).toMatchObject({ number: 'AD001', queued: true, waiting: 2 });
    expect(await call('queue.take', { service: 'general' })).toMatchObject({ number: 'AD002', waiting: 3 });
    expect(await call('queue.take', { service: 'cash' })).toMatchObject({ number: 'CD001', waiting: 0 });
    expect(core!.service.receipts.get(off1.reference)).toMatchObject({ template: 'queue-number', data: { queueNumber: 'AD001' } });

    // 50 concurrent takes while offline: 50 different numbers.
    const many = await Promise.all(Array.from({ length: 50 }, () => call('queue.take', { service: 'orders' })));
    expect(new Set(many.map((m) => m.number)).size).toBe(50);
    expect(many.map((m) => m.number).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `BD${String(i + 1).padStart(3, '0')}`));

    // A restart keeps the counter (numbers are never handed out twice in a day).
    await core!.close();
    openCore(dbPath, { KIOSK_HUB_URL: `http://127.0.0.1:${port}`, KIOSK_HUB_TOKEN: token });
    await call('session.start');
    expect((await call('queue.take', { service: 'general' })).number).toBe('AD003');

    const reopened = await HubDb.open(spec);
    const server = await buildHubServer(reopened, { authCacheMs: 0, rateLimitPerMinute: 1_000_000 });
    await server.app.listen({ port, host: '127.0.0.1' });
    try {
      expect(await call('queue.take', { service: 'general' })).toMatchObject({ number: 'A003', queued: false });
    } finally {
      await server.close();
      await reopened.close();
    }
    const size = core!.service.receipts.size;
    expect(size).toBeGreaterThanOrEqual(2);
    await call('session.end', { reason: 'finish' });
    expect(core!.service.receipts.size).toBe(0);
  });

  it('no hub configured: numbers of the kiosk alone; hostile arguments refused', async () => {
    openCore(join(tempDir(), 'kiosk.db'), {});
    await call('session.start');
    expect(await call('queue.take', { service: 'general' })).toMatchObject({ number: 'AZ001', queued: true, waiting: 0 });
    expect(await call('queue.take', { service: 'general' })).toMatchObject({ number: 'AZ002', waiting: 1 });
    for (const args of [{ service: 'vip' }, {}, { service: 'general', priority: 1 }, { service: ['general'] }, null]) {
      await expect(call('queue.take', args)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    expect(await call('queue.take', { service: 'general' })).toMatchObject({ number: 'AZ003' });
  });
});
