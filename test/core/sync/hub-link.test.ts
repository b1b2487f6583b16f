// The running kiosk's link to the hub: tickets and ratings go to the encrypted outbox and reach a
// real hub (an in-process Fastify server on loopback) exactly once; "sync now" pulls the hub's KB.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskMethod } from '../../../contracts/kiosk-api.ts';
import { openKioskCore, type KioskCore } from '../../../core/kiosk-core.ts';
import { listInbox } from '../../../hub/inbox/inbox.ts';
import { startHub, type TestHub } from '../../hub/harness.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { STAFF_PIN, callCore } from '../api/harness.ts';

let core: KioskCore | undefined;
let hub: TestHub | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close();
  core = hub = undefined;
});

const call = (method: KioskMethod, args: unknown = {}) => callCore<Record<string, unknown>>(core!, method, args);

function openCore(env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir();
  core = openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: 'none', env: { KIOSK_STAFF_PIN: STAFF_PIN, ...env }, autoSync: false });
  return dir;
}

describe('kiosk ↔ hub link', () => {
  it('offline: a ticket is queued encrypted, sync says there is no hub', async () => {
    openCore();
    await call('session.start');
    const t = await call('tickets.submit', { category: 'general', text: '我的卡被吞了，电话13812345678', contact: '13812345678' });
    expect(t).toMatchObject({ queued: true, reference: expect.stringMatching(/^T-[0-9A-F]{8}$/) });
    const rows = core!.store.db.prepare('SELECT payload, sealed FROM outbox').all() as Array<{ payload: string; sealed: Buffer | null }>;
    expect(rows).toHaveLength(1);
    // Personal fields are sealed: neither the text nor the phone number is on disk in clear.
    expect(rows[0]!.payload).not.toContain('13812345678');
    expect(rows[0]!.payload).not.toContain('被吞');
    expect(rows[0]!.sealed).not.toBeNull();
    expect(await call('sync.status')).toMatchObject({ online: false, cursor: null, error: expect.stringContaining('no hub') });
    await call('staff.unlock', { pin: STAFF_PIN });
    // The ticket, and the audit entry of the staff sign-in.
    expect(await call('outbox.status')).toMatchObject({ pending: 2, oldestAt: expect.any(String) });
    await expect(call('staff.syncNow')).rejects.toMatchObject({ code: 'not_available' });
    await expect(call('tickets.submit', { category: 'general', text: 'x', contact: 'not a contact' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('online: sync now pulls the hub KB; tickets and ratings arrive at the hub once', async () => {
    hub = await startHub('sqlite');
    const { token } = await hub.addKiosk('lobby-1');
    await hub.publish([{ type: 'article', id: 'hub-only', locale: 'zh-CN', title: '总部发布的新业务说明', body: '总部刚刚发布。' }]);
    openCore({ KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token });

    await call('staff.unlock', { pin: STAFF_PIN });
    await call('staff.syncNow');
    const status = await call('sync.status');
    expect(status).toMatchObject({ online: true, error: null });
    expect(Number(status.cursor)).toBeGreaterThan(0);
    const { hits } = (await call('kb.search', { query: '总部发布的新业务', locale: 'zh-CN' })) as { hits: Array<{ id: string }> };
    expect(hits[0]?.id).toBe('hub-only');

    await call('session.start');
    await call('tickets.submit', { category: 'general', text: '需要人工帮助' });
    await call('ratings.submit', { score: 5, tags: ['fast'] });
    await core!.hub.deliver();
    await core!.hub.deliver(); // a second delivery finds nothing left to send
    expect(await listInbox(hub.hub.db, 'ticket', 10)).toHaveLength(1);
    expect(await listInbox(hub.hub.db, 'rating', 10)).toHaveLength(1);
    expect(await call('outbox.status')).toMatchObject({ pending: 0 });
  });
});

describe('staff audit', () => {
  it('every staff action, refused ones too, is queued for the hub', async () => {
    openCore();
    await core!.service.dispatcher.call('staff.unlock', { pin: '000000' });
    await call('staff.unlock', { pin: STAFF_PIN });
    await core!.service.dispatcher.call('staff.syncNow', {}); // refused: no hub
    const items = core!.hub.outbox.list().filter((i) => i.kind === 'audit');
    expect(items).toHaveLength(3);
    const payloads = (core!.store.db.prepare("SELECT payload FROM outbox WHERE kind = 'audit' ORDER BY id").all() as Array<{ payload: string }>).map((r) => JSON.parse(r.payload));
    expect(payloads.map((p) => p.outcome)).toEqual(['denied', 'ok', 'denied']);
    expect(JSON.stringify(payloads)).not.toContain(STAFF_PIN);
  });
});

describe('search analytics', () => {
  it('searches are queued for the hub with personal data masked; they reach the hub analytics', async () => {
    hub = await startHub('sqlite');
    const { token } = await hub.addKiosk('lobby-2');
    openCore({ KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token });
    await call('session.start');
    await call('kb.search', { query: '挂失', locale: 'zh-CN' });
    await call('kb.search', { query: '我的身份证号110101199003071233', locale: 'zh-CN' });
    await call('assistant.ask', { text: 'qqqzzzxxx', locale: 'en' });
    const queued = (core!.store.db.prepare("SELECT payload FROM outbox WHERE kind = 'search'").all() as Array<{ payload: string }>).map((r) => JSON.parse(r.payload));
    expect(queued.map((q) => q.query)).toEqual(['挂失', '我的身份证号[number]', 'qqqzzzxxx']);
    expect(queued[2]).toMatchObject({ locale: 'en', results: 0 });
    await core!.hub.deliver();
    const events = await listInbox(hub.hub.db, 'search', 10);
    expect(events).toHaveLength(3);
    expect(JSON.stringify(events)).not.toContain('110101199003071233');
  });
});
