// Identification and self-service orders end to end through the kiosk API: a kiosk core on a real
// SQLite file, a real hub on loopback (demo customers seeded), the ID card read from a simulator
// card profile. Card → customer → orders → refund; SMS codes; the customer session token revoked
// at the hub when the kiosk session ends; offline reads fail with `offline`, offline requests are
// queued (sealed) in the outbox; no ID number, phone or name in any log line or on kiosk disk.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { idNumberValid } from '../../../contracts/identity.ts';
import type { KioskMethod } from '../../../contracts/kiosk-api.ts';
import { openKioskCore, type KioskCore } from '../../../core/kiosk-core.ts';
import { HubDb } from '../../../hub/db/open.ts';
import { DEMO_CUSTOMERS, seedDemo } from '../../../hub/identity/demo.ts';
import { listInbox } from '../../../hub/inbox/inbox.ts';
import { buildHubServer } from '../../../hub/server/server.ts';
import { CARD_PROFILES, findProfile } from '../../../native/simulators/profiles.ts';
import { callCore } from '../api/harness.ts';
import { startHub, type TestHub } from '../../hub/harness.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { bytesUnder } from '../../helpers/files.ts';

let core: KioskCore | undefined;
let hub: TestHub | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close().catch(() => {});
  core = hub = undefined;
});

const call = (method: KioskMethod, args: unknown = {}) => callCore(core!, method, args);

async function setup(options: { card?: string | (() => Promise<{ idNumber: string }>) } = {}) {
  const hubLog: string[] = [];
  const sent: Array<{ phone: string; code: string }> = [];
  hub = await startHub('sqlite', {
    logger: { stream: new Writable({ write: (chunk: Buffer, _e, done) => void (hubLog.push(chunk.toString()), done()) }) },
    identity: { sms: { send: async (phone, code) => void sent.push({ phone, code }) } },
  });
  await seedDemo(hub.hub);
  const { token } = await hub.addKiosk('lobby-1');
  const dir = tempDir();
  const card = options.card ?? 'zhang';
  core = openKioskCore({
    mode: 'browser',
    dbPath: join(dir, 'kiosk.db'),
    logDir: join(dir, 'logs'),
    env: { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token },
    autoSync: false,
    cardSource: typeof card === 'string' ? async () => ({ idNumber: findProfile(card)!.idNumber }) : card,
  });
  return { dir, hubLog, sent };
}

const kioskBytes = bytesUnder;

function expectNoPersonalData(bytes: Buffer | string): void {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  for (const c of DEMO_CUSTOMERS) {
    for (const secret of [c.idNumber, c.phone, c.name]) expect(b.includes(Buffer.from(secret)), `found ${c.profile}`).toBe(false);
  }
}

describe('identify and orders through the kiosk API', () => {
  it('card → customer → orders → refund, online; the session token is revoked when the session ends', async () => {
    const { dir, hubLog } = await setup();
    expect((await call('app.info')).features).toMatchObject({ identify: true, orders: true });
    await expect(call('identify.idCard', {})).rejects.toMatchObject({ code: 'no_session' });
    await call('session.start');
    await expect(call('orders.list')).rejects.toMatchObject({ code: 'unauthorized' });

    const who = await call('identify.idCard', { timeoutSec: 5 });
    expect(who).toEqual({ displayName: '张*三', maskedId: '1101**********1233', method: 'idcard' });
    expect(await call('session.status')).toMatchObject({ active: true, identified: true });

    const orders = await call('orders.list');
    expect(orders).toHaveLength(8);
    const delivered = orders.find((o) => o.status === 'delivered')!;
    expect(delivered).toMatchObject({ allowedChanges: ['refund', 'return'], total: { currency: 'CNY', amount: expect.any(Number) } });
    expect(await call('orders.get', { id: delivered.id as string })).toMatchObject({ ...delivered, items: expect.any(Array), refundable: expect.any(Number) });
    await expect(call('orders.get', { id: 'DEMO-LI-001' })).rejects.toMatchObject({ code: 'not_found' });

    const refund = await call('orders.refund', { id: delivered.id as string, kind: 'refund', reason: 'damaged', comment: '包装破损' });
    expect(refund).toMatchObject({ queued: false, reference: expect.stringMatching(/^RQ-[0-9A-F]{8}$/) });
    expect(await call('orders.get', { id: delivered.id as string })).toMatchObject({ status: 'refund-requested', allowedChanges: [] });
    // A second request on the same order is refused by the state machine, with the hub's reason.
    await expect(call('orders.refund', { id: delivered.id as string, kind: 'return', reason: 'damaged' })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('refund-requested'),
    });

    const placed = orders.find((o) => o.status === 'placed')!;
    expect(await call('orders.change', { id: placed.id as string, change: 'delivery-time', value: '2026-12-01T09:00:00+08:00/2026-12-01T12:00:00+08:00' })).toMatchObject({ queued: false });
    expect(await call('orders.change', { id: placed.id as string, change: 'address', value: '示例市新区新路 8 号' })).toMatchObject({ queued: false });
    await expect(call('orders.change', { id: placed.id as string, change: 'address' })).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await call('orders.change', { id: placed.id as string, change: 'cancel' })).toMatchObject({ queued: false });
    expect(await call('orders.get', { id: placed.id as string })).toMatchObject({ status: 'cancelled' });

    await call('session.end', { reason: 'finish' });
    await core!.service.identity.revoking;
    const sessions = await hub!.hub.db.selectFrom('customer_sessions').selectAll().execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.revoked_at).not.toBeNull();
    // A new customer starts unidentified.
    await call('session.start');
    expect(await call('session.status')).toMatchObject({ identified: false });
    await expect(call('orders.list')).rejects.toMatchObject({ code: 'unauthorized' });
    await call('session.end', { reason: 'finish' });

    await core!.close();
    core = undefined;
    await hub!.close();
    expectNoPersonalData(kioskBytes(dir));
    expect(hubLog.length).toBeGreaterThan(5);
    expectNoPersonalData(hubLog.join(''));
  });

  it('SMS code: wrong code refused, right code identifies; cool-down answered as not sent', async () => {
    const { sent, dir, hubLog } = await setup();
    await call('session.start');
    await expect(call('identify.smsVerify', { code: '123456' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await call('identify.smsRequest', { phone: DEMO_CUSTOMERS[1].phone })).toEqual({ sent: true, resendAfterSec: 60 });
    const again = await call('identify.smsRequest', { phone: DEMO_CUSTOMERS[1].phone });
    expect(again).toMatchObject({ sent: false });
    expect(again.resendAfterSec).toBeGreaterThan(0);
    const code = sent[0]!.code;
    await expect(call('identify.smsVerify', { code: code === '000000' ? '111111' : '000000' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(await call('identify.smsVerify', { code })).toEqual({ displayName: '李*', maskedId: '138****8002', method: 'sms' });
    expect(await call('orders.list')).toHaveLength(8);
    await call('session.end', { reason: 'idle' });
    await core!.service.identity.revoking;
    await core!.close();
    core = undefined;
    await hub!.close();
    expectNoPersonalData(kioskBytes(dir));
    expectNoPersonalData(hubLog.join(''));
  });

  it('card problems: a bad check character or a failed read is a device error, an unknown card not_found', async () => {
    await setup({ card: 'bad-check' });
    await call('session.start');
    await expect(call('identify.idCard')).rejects.toMatchObject({ code: 'device' });
    await core!.close();
    core = undefined;
    await hub!.close();

    await setup({ card: async () => Promise.reject(new Error('reader timeout')) });
    await call('session.start');
    await expect(call('identify.idCard')).rejects.toMatchObject({ code: 'device' });
    await core!.close();
    core = undefined;
    await hub!.close();

    const stranger = [...'0123456789X'].map((c) => `11010119800101001${c}`).find(idNumberValid)!;
    expect(CARD_PROFILES.some((p) => p.idNumber === stranger)).toBe(false);
    await setup({ card: async () => ({ idNumber: stranger }) });
    await call('session.start');
    await expect(call('identify.idCard')).rejects.toMatchObject({ code: 'not_found' });
    expect(await call('session.status')).toMatchObject({ identified: false });
  });

  it('offline: reads fail with `offline`; a refund request is queued in the outbox, sealed', async () => {
    const { dir } = await setup({ card: 'ouyang' });
    await call('session.start');
    await call('identify.idCard');
    const orders = await call('orders.list');
    const delivered = orders.find((o) => o.status === 'delivered')!;

    const port = Number(new URL(hub!.url).port);
    const spec = hub!.hub.spec;
    await hub!.close();
    await expect(call('orders.list')).rejects.toMatchObject({ code: 'offline', message: expect.stringContaining('offline') });
    await expect(call('orders.get', { id: delivered.id as string })).rejects.toMatchObject({ code: 'offline' });
    const queued = await call('orders.refund', { id: delivered.id as string, kind: 'return', reason: 'wrong-item', comment: '尺码不对' });
    expect(queued).toMatchObject({ queued: true, reference: expect.stringMatching(/^R-[0-9A-F]{8}$/) });
    const placed = orders.find((o) => o.status === 'placed')!.id as string;
    const change = await call('orders.change', { id: placed, change: 'address', value: '示例市新区新路 8 号' });
    expect(change).toMatchObject({ queued: true, reference: expect.stringMatching(/^M-[0-9A-F]{8}$/) });

    const rows = core!.store.db.prepare('SELECT kind, payload, sealed FROM outbox ORDER BY key').all() as Array<{ kind: string; payload: string; sealed: Buffer | null }>;
    const kinds = rows.map((r) => r.kind);
    expect(kinds).toContain('refund-request');
    expect(kinds).toContain('modification-request');
    const refundRow = rows.find((r) => r.kind === 'refund-request')!;
    expect(JSON.parse(refundRow.payload)).toMatchObject({ orderId: delivered.id, kind: 'return', reason: 'wrong-item' });
    expect(refundRow.payload).not.toContain('C-DEMO');
    expect(refundRow.payload).not.toContain('尺码');
    expect(refundRow.sealed).not.toBeNull();
    const modRow = rows.find((r) => r.kind === 'modification-request')!;
    expect(modRow.payload).not.toContain('新路');
    const list = core!.hub.outbox.list({ state: 'pending' });
    expect(list.length).toBeGreaterThanOrEqual(2);

    // Identifying needs the hub too.
    await call('session.end', { reason: 'finish' });
    await call('session.start');
    await expect(call('identify.idCard')).rejects.toMatchObject({ code: 'offline' });
    await call('session.end', { reason: 'finish' });

    // A forged request for a customer this kiosk never identified is stored but not applied.
    core!.hub.outbox.enqueue('refund-request', { orderId: 'DEMO-LI-004', customerRef: 'C-DEMO-LI', kind: 'refund', reason: 'forged' });

    // The hub comes back (same database, same address): the queued requests take effect once.
    const reopened = await HubDb.open(spec);
    const server = await buildHubServer(reopened, { authCacheMs: 0, rateLimitPerMinute: 1_000_000 });
    await server.app.listen({ port, host: '127.0.0.1' });
    try {
      await core!.hub.deliver(); // one that failed while the hub was away may still be settling
      core!.hub.outbox.retry(); // due now, not after the back-off
      await core!.hub.deliver();
      expect(core!.hub.outbox.counts()).toEqual({ pending: 0, quarantined: 0 });
      const status = async (id: string) => (await reopened.db.selectFrom('orders').select(['status', 'delivery']).where('id', '=', id).executeTakeFirstOrThrow());
      expect((await status(delivered.id as string)).status).toBe('return-requested');
      expect(JSON.parse((await status(placed)).delivery).address).toBe('示例市新区新路 8 号');
      expect((await status('DEMO-LI-004')).status).toBe('delivered');
      expect(await reopened.db.selectFrom('order_requests').select('key').execute()).toHaveLength(2);
      expect((await listInbox(reopened.db, 'refund-request', 10)).length).toBe(2);
    } finally {
      await server.close();
      await reopened.close();
    }
    await core!.close();
    core = undefined;
    expectNoPersonalData(kioskBytes(dir));
  });
});
