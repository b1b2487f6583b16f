// One contract suite, run against both transports of the kiosk API: the browser-mode WebSocket
// bridge (real socket over loopback) and Electron IPC (main handler + preload bridge over the fake
// ipcMain/ipcRenderer). Same core, same answers, same refusals.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KIOSK_METHOD_NAMES, KioskApiError, type WireResult } from '../../../contracts/kiosk-api.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { STAFF_PIN, connectViaBridge, connectViaIpc, type Connected } from './harness.ts';

const transports = [
  ['browser bridge (WebSocket)', connectViaBridge],
  ['electron IPC (preload + ipcMain)', connectViaIpc],
] as const;

const expectError = (r: WireResult, code: string) => {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected an error');
  expect(r.error.code).toBe(code);
  return r.error;
};

describe.each(transports)('kiosk API over %s', (_name, connect) => {
  let c: Connected;
  beforeEach(async () => {
    c = await connect(tempDir());
  });
  afterEach(async () => {
    await c.close();
  });

  it('describes the app and which areas are present', async () => {
    const info = await c.client.call('app.info');
    expect(info.apiVersion).toBe(1);
    expect(info.locales).toEqual(['zh-CN', 'en']);
    expect(info.features).toMatchObject({ kb: true, session: true, staff: true, orders: false, tickets: true, ratings: true, sync: false });
  });

  it('browses categories and articles of the starter KB in both languages', async () => {
    const zh = await c.client.call('kb.categories', { locale: 'zh-CN' });
    const en = await c.client.call('kb.categories', { locale: 'en' });
    expect(zh.map((x) => x.title)).toContain('账户与密码');
    expect(en.map((x) => x.title)).toContain('Account and password');
    const inAccount = await c.client.call('kb.articles', { locale: 'zh-CN', categoryId: 'account' });
    expect(inAccount.length).toBeGreaterThan(0);
    expect(inAccount.every((a) => a.categoryId === 'account')).toBe(true);
  });

  it('searches with highlighted segments and suggests by pinyin initials', async () => {
    const { hits } = await c.client.call('kb.search', { query: '密码忘了', locale: 'zh-CN' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.titleHighlighted.some((s) => s.hit && s.text.includes('密码'))).toBe(true);
    const sugg = await c.client.call('kb.suggest', { prefix: 'mmzh', locale: 'zh-CN' });
    expect(sugg.map((s) => s.text)).toContain('密码找回');
    expect(sugg.find((s) => s.text === '密码找回')!.match).toBe('initials');
  });

  it('opens an article with related articles and nothing the contract does not declare', async () => {
    const { hits } = await c.client.call('kb.search', { query: '密码找回', locale: 'zh-CN', limit: 1 });
    const a = await c.client.call('kb.article', { id: hits[0]!.id, locale: 'zh-CN' });
    expect(a.title).toBe('密码找回');
    expect(a.related.length).toBeGreaterThan(0);
    expect(a.related.map((r) => r.id)).not.toContain(a.id);
    expect(Object.keys(a).sort()).toEqual(['body', 'categoryId', 'id', 'locale', 'related', 'tags', 'title', 'updatedAt']);
    expectError(await c.raw('kb.article', { id: 'no-such-article', locale: 'zh-CN' }), 'not_found');
  });

  it('serves article images by digest', async () => {
    const row = c.core.store.db.prepare('SELECT sha256, media_type FROM blobs LIMIT 1').get() as { sha256: string; media_type: string };
    const blob = await c.client.call('kb.blob', { sha256: row.sha256 });
    expect(blob.mediaType).toBe(row.media_type);
    expect(Buffer.from(blob.base64, 'base64').equals(c.core.store.blobs.get(row.sha256)!)).toBe(true);
    expectError(await c.raw('kb.blob', { sha256: '0'.repeat(64) }), 'not_found');
  });

  it('records "was this helpful?"', async () => {
    const { hits } = await c.client.call('kb.search', { query: '密码找回', locale: 'zh-CN', limit: 1 });
    await c.client.call('kb.feedback', { id: hits[0]!.id, locale: 'zh-CN', helpful: true });
    const row = c.core.store.db.prepare('SELECT helpful FROM article_stats WHERE article_id = ?').get(hits[0]!.id) as { helpful: number };
    expect(row.helpful).toBe(1);
  });

  describe('rejects invalid arguments before any handler runs', () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['wrong type', 'kb.search', { query: 42, locale: 'zh-CN' }, 'query'],
      ['unknown locale', 'kb.search', { query: 'x', locale: 'fr' }, 'locale'],
      ['oversized text', 'kb.search', { query: 'x'.repeat(501), locale: 'zh-CN' }, 'query'],
      ['extra key', 'kb.search', { query: 'x', locale: 'zh-CN', sql: 'DROP TABLE articles' }, '(arguments)'],
      ['not an object', 'kb.search', 'select *', '(arguments)'],
      ['null', 'kb.search', null, '(arguments)'],
      ['array', 'kb.categories', ['zh-CN'], '(arguments)'],
      ['bad id', 'kb.article', { id: '../../etc/passwd', locale: 'zh-CN' }, 'id'],
      ['bad digest', 'kb.blob', { sha256: '../kiosk.db' }, 'sha256'],
      ['limit out of range', 'kb.suggest', { prefix: 'm', locale: 'zh-CN', limit: 1000 }, 'limit'],
      ['PIN with letters', 'staff.unlock', { pin: '12ab' }, 'pin'],
      ['score out of range', 'ratings.submit', { score: 9, tags: [] }, 'score'],
    ];
    it.each(cases)('%s', async (_label, method, args, path) => {
      const spy = vi.fn();
      const handlers = c.core.service.handlers as unknown as Record<string, unknown>;
      handlers[method] = spy;
      const error = expectError(await c.raw(method, args), 'invalid_argument');
      expect(error.message).toContain(method);
      expect(error.issues?.map((i) => i.path)).toContain(path);
      expect(spy).not.toHaveBeenCalled();
    });

    it('does not echo the input back (it may be personal)', async () => {
      const error = expectError(await c.raw('staff.unlock', { pin: '1234567890123456789' }), 'invalid_argument');
      expect(JSON.stringify(error)).not.toContain('1234567890123456789');
    });

    it('refuses unknown and prototype method names', async () => {
      for (const m of ['kb.drop', '__proto__', 'constructor', 'toString', '', 42]) {
        expectError(await c.raw(m as string, {}), 'unknown_method');
      }
    });

    it('the client refuses invalid arguments without sending them', async () => {
      const spy = vi.fn();
      (c.core.service.handlers as unknown as Record<string, unknown>)['kb.search'] = spy;
      await expect(c.client.call('kb.search', { query: 7 as unknown as string, locale: 'zh-CN' })).rejects.toMatchObject({ code: 'invalid_argument' });
      expect(spy).not.toHaveBeenCalled();
    });
  });

  it('customer methods need a session; ending it wipes it and tells the renderer', async () => {
    expectError(await c.raw('tickets.submit', { category: 'general', text: 'help' }), 'no_session');
    const started = await c.client.call('session.start');
    expect(started.active).toBe(true);
    const ended = new Promise((resolve) => c.client.on('session.ended', resolve));
    const after = await c.client.call('session.end', { reason: 'finish' });
    expect(after).toMatchObject({ active: false, identified: false });
    await expect(ended).resolves.toEqual({ reason: 'finish' });
    expect((await c.client.call('session.status')).active).toBe(false);
  });

  it('areas whose device or hub this kiosk lacks answer not_available, saying which', async () => {
    await c.client.call('session.start');
    await c.client.call('staff.unlock', { pin: STAFF_PIN });
    expectError(await c.raw('devices.status', {}), 'not_available');
    // Queue numbers work without a hub: the kiosk's own counter (core/queue/queue.ts).
    expect(await c.client.call('queue.take', { service: 'general' })).toMatchObject({ number: 'AZ001', queued: true, reference: expect.stringMatching(/^Q-\d{8}-AZ001$/) });
    // Printing needs a reference this session produced; staff device tests need the device.
    expectError(await c.raw('print.receipt', { reference: 'R1' }), 'not_found');
    expectError(await c.raw('staff.testPrint', {}), 'not_available');
    expectError(await c.raw('staff.testCardRead', {}), 'not_available');
    // Identification needs a hub (and a card reader); orders need an identified customer.
    expectError(await c.raw('identify.idCard', {}), 'not_available');
    expectError(await c.raw('identify.smsRequest', { phone: '13800138000' }), 'not_available');
    // Fingerprint needs a sensor and a hub; the message says which is missing.
    expect(expectError(await c.raw('identify.fingerprint', { phone: '13800138000' }), 'not_available').message).toMatch(/no fingerprint sensor/);
    expect(expectError(await c.raw('staff.enrolFingerprint', { customerRef: 'c1' }), 'not_available').message).toMatch(/no fingerprint sensor/);
    expectError(await c.raw('identify.smsVerify', { code: '123456' }), 'not_found');
    for (const [method, args] of [
      ['orders.list', {}],
      ['orders.get', { id: 'o1' }],
      ['orders.change', { id: 'o1', change: 'cancel' }],
      ['orders.refund', { id: 'o1', kind: 'refund', reason: 'damaged' }],
    ] as const) {
      expectError(await c.raw(method, args), 'unauthorized');
    }
  });

  it('staff mode: actions need the PIN, wrong PINs lock the pad, every action is audited', async () => {
    expectError(await c.raw('staff.restartApp', {}), 'unauthorized');
    expect(c.host.restarts).toBe(0);
    for (let i = 1; i <= 4; i++) expectError(await c.raw('staff.unlock', { pin: '0000' }), 'unauthorized');
    const locked = expectError(await c.raw('staff.unlock', { pin: '0000' }), 'locked');
    expect(Date.parse(locked.until!)).toBeGreaterThan(Date.now());
    // Even the right PIN is refused while locked.
    expectError(await c.raw('staff.unlock', { pin: STAFF_PIN }), 'locked');
    expect((await c.client.call('staff.status')).lockedUntil).not.toBeNull();
  });

  it('staff mode unlocked: restart runs the host action and ends the customer session', async () => {
    await c.client.call('session.start');
    const state = await c.client.call('staff.unlock', { pin: STAFF_PIN });
    expect(state.unlocked).toBe(true);
    await c.client.call('staff.restartApp');
    expect(c.host.restarts).toBe(1);
    expect((await c.client.call('session.status')).active).toBe(false);
    const logs = await c.client.call('staff.logs', { limit: 50 });
    expect(logs.some((l) => l.msg === 'staff action')).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(STAFF_PIN);
    await c.client.call('staff.lock');
    expectError(await c.raw('staff.restartApp', {}), 'unauthorized');
  });

  it('system status (disk of the data folder, uptime) needs staff mode', async () => {
    expectError(await c.raw('system.status', {}), 'unauthorized');
    await c.client.call('staff.unlock', { pin: STAFF_PIN });
    const s = await c.client.call('system.status');
    expect(s.diskTotalBytes).toBeGreaterThan(0);
    expect(s.diskFreeBytes).toBeGreaterThan(0);
    expect(s.diskFreeBytes).toBeLessThanOrEqual(s.diskTotalBytes);
    expect(s.uptimeSec).toBeGreaterThanOrEqual(0);
    await c.client.call('staff.lock');
  });

  it('update status is reported (disabled without a feed)', async () => {
    const s = await c.client.call('update.status');
    expect(s.state).toBe('disabled');
  });

  it('a failing handler is an internal error with a generic message', async () => {
    (c.core.service.handlers as unknown as Record<string, unknown>)['kb.categories'] = () => {
      throw new Error('SQLITE_CORRUPT at /secret/path');
    };
    const error = expectError(await c.raw('kb.categories', { locale: 'zh-CN' }), 'internal');
    expect(error.message).not.toContain('/secret/path');
  });

  it('a handler result that breaks the contract never leaves the core', async () => {
    (c.core.service.handlers as unknown as Record<string, unknown>)['kb.categories'] = () => [{ id: 1 }];
    expectError(await c.raw('kb.categories', { locale: 'zh-CN' }), 'internal');
  });

  it('declares a handler for every method of the contract', () => {
    for (const m of KIOSK_METHOD_NAMES) expect(typeof c.core.service.handlers[m]).toBe('function');
  });

  it('the client throws KioskApiError with the code', async () => {
    await expect(c.client.call('kb.article', { id: 'nope', locale: 'en' })).rejects.toBeInstanceOf(KioskApiError);
  });
});
