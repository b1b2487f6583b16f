// Refunds, returns and order changes through the kiosk API, end to end: a kiosk core on a real
// SQLite file, a real hub on loopback (demo customers), and for lost answers an HTTP proxy between
// them that forwards the request to the hub and then cuts the connection instead of answering.
// Partial refunds by items and amount, exact major → minor conversion, a lost answer and an offline
// request each applied exactly once, receipts in the session's receipt book (wiped at session end),
// hostile arguments refused before anything is sent.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskMethod } from '../../../contracts/kiosk-api.ts';
import { openKioskCore, type KioskCore } from '../../../core/kiosk-core.ts';
import { toMinor } from '../../../core/orders/orders.ts';
import { HubDb } from '../../../hub/db/open.ts';
import { seedDemo } from '../../../hub/identity/demo.ts';
import { buildHubServer } from '../../../hub/server/server.ts';
import { findProfile } from '../../../native/simulators/profiles.ts';
import { callCore } from '../api/harness.ts';
import { startHub, type TestHub } from '../../hub/harness.ts';
import { TamperProxy } from '../sync/proxies.ts';
import { tempDir } from '../../helpers/tmp.ts';

let core: KioskCore | undefined;
let hub: TestHub | undefined;
let proxy: TamperProxy | undefined;
afterEach(async () => {
  await core?.close();
  await proxy?.close();
  await hub?.close().catch(() => {});
  core = hub = proxy = undefined;
});

const call = (method: KioskMethod, args: unknown = {}) => callCore(core!, method, args);

/** Hub with demo data, a kiosk core (through a proxy when asked), the customer 张小三 identified. */
async function setup(options: { viaProxy?: boolean } = {}) {
  hub = await startHub('sqlite');
  await seedDemo(hub.hub);
  const { token } = await hub.addKiosk('lobby-1');
  if (options.viaProxy) proxy = await TamperProxy.start(hub.url);
  const dir = tempDir();
  core = openKioskCore({
    mode: 'browser',
    dbPath: join(dir, 'kiosk.db'),
    logDir: join(dir, 'logs'),
    env: { KIOSK_HUB_URL: proxy?.url ?? hub.url, KIOSK_HUB_TOKEN: token },
    autoSync: false,
    config: { branchName: '示例支行 Demo Branch' },
    cardSource: async () => ({ idNumber: findProfile('zhang')!.idNumber }),
  });
  await call('session.start');
  await call('identify.idCard');
  return { id: 'DEMO-ZHANG-004' };
}

const requestsOf = (id: string) => hub!.hub.db.selectFrom('order_requests').selectAll().where('order_id', '=', id).execute();

describe('money: major units in, minor units out, exactly', () => {
  it('toMinor is exact for two decimals and refuses more', () => {
    expect(toMinor(0.1 + 0.2)).toBe(30);
    expect(toMinor(19.99)).toBe(1999);
    expect(toMinor(1.005 * 1000)).toBe(100500);
    expect(toMinor(10_000_000)).toBe(1_000_000_000);
    expect(() => toMinor(0.001)).toThrow(/two decimals/);
    expect(() => toMinor(-1)).toThrow(/positive/);
    expect(() => toMinor(Number.NaN)).toThrow(/positive/);
  });
});

describe('refunds and returns through the kiosk API', () => {
  it('partial by items, then by amount (0.1 + 0.2 yuan is 30 fen), then the rest; over-asking changes nothing', async () => {
    const { id } = await setup();
    const before = await call('orders.get', { id });
    expect(before).toMatchObject({ status: 'delivered', paid: 309, refunded: 0, refundable: 309 });

    const byItem = await call('orders.refund', { id, kind: 'return', reason: 'wrong-item', items: [{ sku: 'SHIPPING', quantity: 1 }] });
    expect(byItem).toMatchObject({ queued: false, reference: expect.stringMatching(/^RQ-[0-9A-F]{8}$/) });
    expect(await call('orders.get', { id })).toMatchObject({ status: 'delivered', refundable: 299, allowedChanges: ['refund', 'return'] });

    const cents = await call('orders.refund', { id, kind: 'refund', reason: 'damaged', amount: 0.1 + 0.2 });
    expect(cents.queued).toBe(false);
    expect((await requestsOf(id)).map((r) => Number(r.amount)).sort((a, b) => a - b)).toEqual([30, 1000]);
    expect((await call('orders.get', { id })).refundable).toBe(298.7);

    // Above what is left, above the items' value, an item already returned: refused, nothing changes.
    const mid = await call('orders.get', { id });
    await expect(call('orders.refund', { id, kind: 'refund', reason: 'damaged', amount: 298.71 })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('outside what can be refunded') });
    await expect(call('orders.refund', { id, kind: 'refund', reason: 'damaged', items: [{ sku: 'ROUTER-AX3', quantity: 1 }], amount: 299.01 })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('items are worth') });
    await expect(call('orders.refund', { id, kind: 'return', reason: 'damaged', items: [{ sku: 'SHIPPING', quantity: 1 }] })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('0 left') });
    expect(await call('orders.get', { id })).toEqual(mid);
    expect(await requestsOf(id)).toHaveLength(2);

    const rest = await call('orders.refund', { id, kind: 'refund', reason: 'not-as-described', amount: 298.7 });
    expect(rest.queued).toBe(false);
    expect(await call('orders.get', { id })).toMatchObject({ status: 'refund-requested', refundable: 0, allowedChanges: [] });
    expect((await requestsOf(id)).reduce((s, r) => s + Number(r.amount), 0)).toBe(30900);
  });

  it('hostile arguments are refused before anything reaches the hub', async () => {
    const { id } = await setup();
    for (const args of [
      { id, kind: 'refund', reason: 'damaged', amount: 0.001 },
      { id, kind: 'refund', reason: 'damaged', amount: -1 },
      { id, kind: 'refund', reason: 'damaged', amount: 0 },
      { id, kind: 'refund', reason: 'damaged', amount: 1e9 },
      { id, kind: 'refund', reason: 'damaged', amount: '10' },
      { id, kind: 'refund', reason: 'forged' },
      { id, kind: 'exchange', reason: 'damaged' },
      { id, kind: 'refund', reason: 'damaged', items: [] },
      { id, kind: 'refund', reason: 'damaged', items: [{ sku: 'SHIPPING', quantity: 0 }] },
      { id, kind: 'refund', reason: 'damaged', items: [{ sku: '../../x', quantity: 1 }] },
      { id, kind: 'refund', reason: 'damaged', items: [{ sku: 'SHIPPING', quantity: 1, unitPrice: 0 }] },
      { id: '../orders', kind: 'refund', reason: 'damaged' },
      { id, kind: 'refund', reason: 'damaged', comment: 'x'.repeat(501) },
    ]) {
      await expect(call('orders.refund', args), JSON.stringify(args).slice(0, 80)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    // Duplicate SKUs pass the kiosk schema; the hub refuses them with a clear error.
    await expect(call('orders.refund', { id, kind: 'refund', reason: 'damaged', items: [{ sku: 'SHIPPING', quantity: 1 }, { sku: 'SHIPPING', quantity: 1 }] })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('once'),
    });
    expect(await requestsOf(id)).toHaveLength(0);
    expect(core!.hub.outbox.counts().pending).toBe(0);
  });

  it('an answer lost after the hub applied the refund: queued under the same key, applied exactly once', async () => {
    const { id } = await setup({ viaProxy: true });
    // The proxy forwards the request, the hub applies it, then the connection is cut.
    proxy!.tamper = (req, res) => {
      if (req.url.includes('/refunds')) throw new Error('cut after forwarding');
      return res;
    };
    const r = await call('orders.refund', { id, kind: 'refund', reason: 'damaged', items: [{ sku: 'SHIPPING', quantity: 1 }], comment: '盒子压坏了' });
    expect(r).toMatchObject({ queued: true, reference: expect.stringMatching(/^R-[0-9A-F]{8}$/) });
    const applied = await requestsOf(id);
    expect(applied).toHaveLength(1);
    // The queued copy carries the key the hub already saw.
    const [item] = core!.hub.outbox.list({ state: 'pending' });
    expect(item).toMatchObject({ kind: 'refund-request', key: applied[0]!.key });
    expect(r.reference).toBe(`R-${applied[0]!.key.replace(/-/g, '').slice(-8).toUpperCase()}`);

    proxy!.tamper = null;
    await core!.hub.deliver();
    core!.hub.outbox.retry();
    await core!.hub.deliver();
    expect(core!.hub.outbox.counts()).toEqual({ pending: 0, quarantined: 0 });
    expect(await requestsOf(id)).toHaveLength(1);
    const order = await call('orders.get', { id });
    expect(order).toMatchObject({ refundable: 299, status: 'delivered' });
    expect((order.timeline as Array<{ note: string }>).filter((e) => e.note.startsWith('refund requested'))).toHaveLength(1);
    // Delivered again (a hub that lost our acknowledgement): still once.
    core!.hub.outbox.enqueue('refund-request', { orderId: id, customerRef: 'C-DEMO-ZHANG', kind: 'refund', reason: 'damaged', items: [{ sku: 'SHIPPING', quantity: 1 }], comment: '盒子压坏了' }, { key: applied[0]!.key });
    await core!.hub.deliver();
    expect(core!.hub.outbox.counts()).toEqual({ pending: 0, quarantined: 0 });
    expect(await requestsOf(id)).toHaveLength(1);
    expect((await call('orders.get', { id })).refundable).toBe(299);

    // An order change whose answer is lost: the same, once.
    proxy!.tamper = (req, res) => {
      if (req.url.includes('/changes')) throw new Error('cut after forwarding');
      return res;
    };
    const placed = 'DEMO-ZHANG-001';
    expect(await call('orders.change', { id: placed, change: 'cancel' })).toMatchObject({ queued: true, reference: expect.stringMatching(/^M-[0-9A-F]{8}$/) });
    expect(await requestsOf(placed)).toHaveLength(1);
    proxy!.tamper = null;
    core!.hub.outbox.retry();
    await core!.hub.deliver();
    expect(core!.hub.outbox.counts()).toEqual({ pending: 0, quarantined: 0 });
    expect(await requestsOf(placed)).toHaveLength(1);
    const cancelled = await call('orders.get', { id: placed });
    expect(cancelled.status).toBe('cancelled');
    expect((cancelled.timeline as Array<{ status: string }>).filter((e) => e.status === 'cancelled')).toHaveLength(1);
  });

  it('a refund whose answers are lost 5 times over (request, then 4 deliveries): one refund', async () => {
    const { id } = await setup({ viaProxy: true });
    let cut = 0;
    proxy!.tamper = (req, res) => {
      if (req.url.includes('/refunds') || req.url.startsWith('/v1/outbox')) {
        cut++;
        throw new Error('cut after forwarding');
      }
      return res;
    };
    await call('orders.refund', { id, kind: 'refund', reason: 'damaged', amount: 12.34 });
    for (let i = 0; i < 4; i++) {
      core!.hub.outbox.retry();
      await core!.hub.deliver();
      expect(core!.hub.outbox.counts().pending).toBe(1);
    }
    expect(cut).toBeGreaterThanOrEqual(5);
    proxy!.tamper = null;
    core!.hub.outbox.retry();
    await core!.hub.deliver();
    expect(core!.hub.outbox.counts()).toEqual({ pending: 0, quarantined: 0 });
    const rows = await requestsOf(id);
    expect(rows.map((r) => Number(r.amount))).toEqual([1234]);
    expect((await call('orders.get', { id })).refundable).toBe(296.66);
    // A key that is not a UUIDv7 is refused by the outbox (nothing queued).
    expect(() => core!.hub.outbox.enqueue('ticket', { category: 'general', text: 'x', locale: 'en' }, { key: 'not-a-key' })).toThrow(/UUIDv7/);
    expect(core!.hub.outbox.counts().pending).toBe(0);
  });

  it('offline: a refund with items and amount is queued, and applied once when the hub returns', async () => {
    const { id } = await setup();
    const port = Number(new URL(hub!.url).port);
    const spec = hub!.hub.spec;
    await hub!.close();
    const q = await call('orders.refund', { id, kind: 'return', reason: 'wrong-item', items: [{ sku: 'ROUTER-AX3', quantity: 1 }], amount: 199.99 });
    expect(q).toMatchObject({ queued: true, reference: expect.stringMatching(/^R-[0-9A-F]{8}$/) });
    const receipt = core!.service.receipts.get(q.reference as string)!;
    expect(receipt).toMatchObject({ template: 'refund-request', qr: q.reference, data: { amount: '¥199.99', orderNumber: id, reason: '发错商品 Wrong item', customerName: '张*三', branchName: '示例支行 Demo Branch' } });

    const reopened = await HubDb.open(spec);
    const server = await buildHubServer(reopened, { authCacheMs: 0, rateLimitPerMinute: 1_000_000 });
    await server.app.listen({ port, host: '127.0.0.1' });
    try {
      for (let i = 0; i < 3; i++) {
        core!.hub.outbox.retry();
        await core!.hub.deliver();
      }
      expect(core!.hub.outbox.counts()).toEqual({ pending: 0, quarantined: 0 });
      const rows = await reopened.db.selectFrom('order_requests').selectAll().where('order_id', '=', id).execute();
      expect(rows.map((r) => [r.kind, Number(r.amount)])).toEqual([['return', 19999]]);
      const order = await reopened.db.selectFrom('orders').select(['status', 'items']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(order.status).toBe('delivered');
      expect(JSON.parse(order.items)).toContainEqual(expect.objectContaining({ sku: 'ROUTER-AX3', refundedQuantity: 1 }));
    } finally {
      await server.close();
      await reopened.close();
    }
  });

  it('receipts: every change, refund and ticket is printable by its reference; session end wipes them', async () => {
    await setup();
    const refund = await call('orders.refund', { id: 'DEMO-ZHANG-004', kind: 'refund', reason: 'damaged', items: [{ sku: 'SHIPPING', quantity: 1 }] });
    const change = await call('orders.change', { id: 'DEMO-ZHANG-001', change: 'address', value: '示例市新区新路 8 号' });
    const ticket = await call('tickets.submit', { category: 'general', text: '我的手机号 13800138001 收不到短信', contact: '13800138001' });
    const book = core!.service.receipts;
    expect(book.size).toBe(3);
    expect(book.get(refund.reference as string)).toMatchObject({
      template: 'refund-request',
      qr: refund.reference,
      data: { reference: refund.reference, orderNumber: 'DEMO-ZHANG-004', amount: '¥10.00', reason: '商品损坏 Damaged', customerName: '张*三', branchName: '示例支行 Demo Branch', items: 'SHIPPING×1' },
    });
    expect(book.get(refund.reference as string)!.data.requestedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(book.get(change.reference as string)).toMatchObject({ template: 'change-request', data: { orderNumber: 'DEMO-ZHANG-001', customerName: '张*三', change: expect.stringContaining('Address') } });
    expect(book.get(change.reference as string)!.data).not.toHaveProperty('amount');
    const t = book.get(ticket.reference as string)!;
    expect(t).toMatchObject({ template: 'ticket', data: { reference: ticket.reference, category: 'general' } });
    // What the customer typed stays off the receipt.
    expect(JSON.stringify(t)).not.toContain('13800138001');
    // No full name or ID number on any receipt.
    expect(JSON.stringify([...['refund', 'change'].map((k) => book.get((k === 'refund' ? refund : change).reference as string))])).not.toMatch(/张小三|110101199003071233/);

    await call('session.end', { reason: 'finish' });
    expect(book.size).toBe(0);
    expect(book.get(refund.reference as string)).toBeUndefined();
  });
});
