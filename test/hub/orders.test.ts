// The hub's built-in order system through its HTTP endpoints (real hub on loopback, SQLite file or
// PostgreSQL schema): the state machine as a table (every status × every action: allowed ones
// change the order and add to its timeline, refused ones answer illegal_change and change
// nothing), idempotent retries, refund amounts within what was paid, partial refunds by items and
// amount (each item at most what was ordered and not yet asked for), hostile request bodies, other
// customers' orders.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import {
  CUSTOMER_SESSION_HEADER,
  CustomerSessionGrant,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  OrderRequestResult,
  OrderView,
  type OrderAction,
} from '../../contracts/identity.ts';
import { DEMO_CUSTOMERS, seedDemo } from '../../hub/identity/demo.ts';
import { BuiltinOrderStore } from '../../hub/orders/orders.ts';
import { api, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();

function requestFor(action: OrderAction, key: string): { path: string; body: object } {
  switch (action) {
    case 'address':
      return { path: 'changes', body: { key, change: { type: 'address', address: '示例市新区新路 8 号' } } };
    case 'delivery-time':
      return { path: 'changes', body: { key, change: { type: 'delivery-time', from: '2026-12-01T09:00:00+08:00', to: '2026-12-01T12:00:00+08:00' } } };
    case 'cancel':
      return { path: 'changes', body: { key, change: { type: 'cancel' } } };
    case 'refund':
    case 'return':
      return { path: 'refunds', body: { key, kind: action, reason: 'damaged' } };
  }
}

const EXPECTED_STATUS: Partial<Record<OrderAction, string>> = { cancel: 'cancelled', refund: 'refund-requested', return: 'return-requested' };

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`orders on ${backend}`, () => {
    let t: TestHub;
    let kiosk: { id: string; token: string };
    let session: Record<string, string>;
    const orderOf = (status: string) => `DEMO-ZHANG-${String(ORDER_STATUSES.indexOf(status as never) + 1).padStart(3, '0')}`;
    const get = async (id: string) => OrderView.parse((await api(t, `/v1/customer/orders/${id}`, { token: kiosk.token, headers: session })).json);
    const send = (id: string, path: string, body: object) => api(t, `/v1/customer/orders/${id}/${path}`, { method: 'POST', token: kiosk.token, headers: session, body: JSON.stringify(body) });

    beforeEach(async () => {
      t = await startHub(backend);
      await seedDemo(t.hub);
      kiosk = await t.addKiosk('lobby-1');
      const g = CustomerSessionGrant.parse(
        (await api(t, '/v1/identity/idcard', { method: 'POST', token: kiosk.token, body: JSON.stringify({ idNumber: DEMO_CUSTOMERS[0].idNumber }) })).json,
      );
      session = { [CUSTOMER_SESSION_HEADER]: g.session.token };
    });
    afterEach(async () => {
      await t.close();
    });

    it('lists the customer orders in every state, with items, amounts, delivery and timeline', async () => {
      const r = await api(t, '/v1/customer/orders', { token: kiosk.token, headers: session });
      const orders = OrderView.array().parse((r.json as { orders: unknown }).orders);
      expect(new Set(orders.map((o) => o.status))).toEqual(new Set(ORDER_STATUSES));
      for (const o of orders) {
        expect(o.items.reduce((s, i) => s + i.quantity * i.unitPrice, 0)).toBe(o.total.amount);
        expect(o.timeline.at(-1)!.status).toBe(o.status);
        expect(o.allowedChanges).toEqual(ORDER_TRANSITIONS[o.status]);
        expect(o.id.startsWith('DEMO-ZHANG-')).toBe(true);
      }
    });

    it('state machine: every status × every action', async () => {
      for (const status of ORDER_STATUSES) {
        for (const action of ORDER_ACTIONS) {
          // Fresh demo orders under the same ids: their earlier requests go too (they reserve amounts).
          await t.hub.db.deleteFrom('order_requests').execute();
          await seedDemo(t.hub);
          const id = orderOf(status);
          const before = await get(id);
          expect(before.status).toBe(status);
          const { path, body } = requestFor(action, uuidv7());
          const r = await send(id, path, body);
          const allowed = ORDER_TRANSITIONS[status].includes(action);
          if (allowed) {
            expect(r.status, `${status} × ${action}`).toBe(200);
            const after = OrderRequestResult.parse(r.json).order;
            expect(after.status).toBe(EXPECTED_STATUS[action] ?? status);
            expect(after.timeline).toHaveLength(before.timeline.length + 1);
            if (action === 'address') expect(after.delivery.address).toBe('示例市新区新路 8 号');
            if (action === 'delivery-time') expect(after.delivery.from).toBe('2026-12-01T09:00:00+08:00');
          } else {
            expect(r.status, `${status} × ${action}`).toBe(409);
            expect(r.json).toMatchObject({ error: { code: 'illegal_change', message: expect.stringContaining(`is ${status}`) } });
            expect(await get(id)).toEqual(before);
          }
        }
      }
    });

    it('a refund request retried 5 times exists once; a key reused for another request is refused', async () => {
      const id = orderOf('delivered');
      const key = uuidv7();
      const results = [];
      for (let i = 0; i < 5; i++) {
        const r = await send(id, 'refunds', { key, kind: 'refund', reason: 'damaged', amount: 1000 });
        expect(r.status).toBe(200);
        results.push(OrderRequestResult.parse(r.json));
      }
      expect(results.map((r) => r.duplicate)).toEqual([false, true, true, true, true]);
      expect(results.map((r) => r.amount)).toEqual([1000, 1000, 1000, 1000, 1000]);
      expect(new Set(results.map((r) => r.reference)).size).toBe(1);
      const order = await get(id);
      // A partial amount leaves the order open for further requests; the amount is reserved once.
      expect(order.status).toBe('delivered');
      expect(order.refundable).toBe(order.paid - 1000);
      expect(order.timeline.filter((e) => e.note.startsWith('refund requested'))).toHaveLength(1);
      const rows = await t.hub.db.selectFrom('order_requests').selectAll().where('order_id', '=', id).execute();
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.amount)).toBe(1000);
      const reused = await send(id, 'refunds', { key, kind: 'return', reason: 'damaged' });
      expect(reused).toMatchObject({ status: 409, json: { error: { code: 'conflict' } } });
      expect(await get(id)).toEqual(order);
    });

    it('concurrent retries of one key have one effect; concurrent cancels with different keys: one wins', async () => {
      const id = orderOf('delivered');
      const key = uuidv7();
      const same = await Promise.all(Array.from({ length: 5 }, () => send(id, 'refunds', { key, kind: 'refund', reason: 'damaged' })));
      expect(same.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(same.map((r) => OrderRequestResult.parse(r.json).duplicate).filter((d) => !d)).toHaveLength(1);
      expect((await get(id)).timeline.filter((e) => e.status === 'refund-requested')).toHaveLength(1);

      const placed = orderOf('placed');
      const cancels = await Promise.all(Array.from({ length: 5 }, () => send(placed, 'changes', { key: uuidv7(), change: { type: 'cancel' } })));
      expect(cancels.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect((await get(placed)).timeline.filter((e) => e.status === 'cancelled')).toHaveLength(1);
    });

    it('refund amounts stay within what was paid; bad requests change nothing', async () => {
      const id = orderOf('delivered');
      const before = await get(id);
      for (const body of [
        { key: uuidv7(), kind: 'refund', reason: 'damaged', amount: before.paid + 1 },
        { key: uuidv7(), kind: 'refund', reason: 'damaged', amount: 0 },
        { key: uuidv7(), kind: 'refund', reason: 'bad reason!' },
        { key: 'not-a-uuid', kind: 'refund', reason: 'damaged' },
        { key: uuidv7(), kind: 'exchange', reason: 'damaged' },
      ]) {
        const r = await send(id, 'refunds', body);
        expect(r.status).toBe(400);
        expect(await get(id)).toEqual(before);
      }
      const placed = orderOf('placed');
      const badTime = await send(placed, 'changes', { key: uuidv7(), change: { type: 'delivery-time', from: '2026-12-01T12:00:00+08:00', to: '2026-12-01T09:00:00+08:00' } });
      expect(badTime.status).toBe(400);
      const ok = await send(id, 'refunds', { key: uuidv7(), kind: 'refund', reason: 'damaged', amount: before.paid });
      expect(ok.status).toBe(200);
    });

    it('partial refund/return by items: within what was ordered and not already asked for; the rest stays refundable', async () => {
      const id = orderOf('delivered');
      const before = await get(id);
      expect(before.items.map((i) => [i.sku, i.quantity])).toEqual([
        ['ROUTER-AX3', 1],
        ['SHIPPING', 1],
      ]);
      expect(before.refundable).toBe(before.paid);
      const ship = await send(id, 'refunds', { key: uuidv7(), kind: 'return', reason: 'wrong-item', items: [{ sku: 'SHIPPING', quantity: 1 }] });
      expect(ship.status).toBe(200);
      const r1 = OrderRequestResult.parse(ship.json);
      expect(r1.amount).toBe(1000);
      expect(r1.order.status).toBe('delivered');
      expect(r1.order.refundable).toBe(before.paid - 1000);
      expect(r1.order.items.find((i) => i.sku === 'SHIPPING')!.refundedQuantity).toBe(1);
      expect(r1.order.timeline.at(-1)!.note).toContain('SHIPPING×1');

      // Refused, and nothing changes: the same item again, an unknown item, more than ordered,
      // an amount above the items' value or above what is left, a reason not on the list.
      const mid = await get(id);
      for (const [body, message] of [
        [{ items: [{ sku: 'SHIPPING', quantity: 1 }] }, '0 left'],
        [{ items: [{ sku: 'NO-SUCH', quantity: 1 }] }, 'no item NO-SUCH'],
        [{ items: [{ sku: 'ROUTER-AX3', quantity: 2 }] }, '1 left'],
        [{ items: [{ sku: 'ROUTER-AX3', quantity: 1 }], amount: 29901 }, 'more than the items are worth'],
        [{ amount: mid.refundable! + 1 }, 'outside what can be refunded'],
      ] as const) {
        const r = await send(id, 'refunds', { key: uuidv7(), kind: 'refund', reason: 'damaged', ...body });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect((r.json as { error: { message: string } }).error.message).toContain(message);
        expect(await get(id)).toEqual(mid);
      }
      // The order system's own check of the reason (queued requests skip the HTTP schema).
      await expect(new BuiltinOrderStore(t.hub).requestRefund(kiosk.id, 'C-DEMO-ZHANG', id, { key: uuidv7(), kind: 'refund', reason: 'forged' as never })).rejects.toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining('reason must be one of'),
      });
      expect(await get(id)).toEqual(mid);

      // The rest: the router with a smaller amount (a partial refund of an item), then what is left.
      const router = OrderRequestResult.parse((await send(id, 'refunds', { key: uuidv7(), kind: 'refund', reason: 'damaged', items: [{ sku: 'ROUTER-AX3', quantity: 1 }], amount: 20000 })).json);
      expect(router.order).toMatchObject({ status: 'delivered', refundable: before.paid - 21000 });
      const last = OrderRequestResult.parse((await send(id, 'refunds', { key: uuidv7(), kind: 'refund', reason: 'damaged' })).json);
      expect(last.amount).toBe(before.paid - 21000);
      expect(last.order).toMatchObject({ status: 'refund-requested', refundable: 0, allowedChanges: [] });
      const rows = await t.hub.db.selectFrom('order_requests').select(['amount']).where('order_id', '=', id).execute();
      expect(rows.reduce((s, r) => s + Number(r.amount), 0)).toBe(before.paid);
    });

    it('hostile refund bodies are refused with a clear error and change nothing', async () => {
      const id = orderOf('delivered');
      const before = await get(id);
      const base = { kind: 'refund', reason: 'damaged' };
      for (const extra of [
        { items: [] },
        { items: [{ sku: 'SHIPPING', quantity: 0 }] },
        { items: [{ sku: 'SHIPPING', quantity: 1.5 }] },
        { items: [{ sku: 'SHIPPING', quantity: 1000 }] },
        { items: [{ sku: 'SHIPPING', quantity: 1 }, { sku: 'SHIPPING', quantity: 1 }] },
        { items: Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) },
        { items: [{ sku: '../etc', quantity: 1 }] },
        { items: [{ sku: 'SHIPPING', quantity: 1, price: 0 }] },
        { items: 'SHIPPING' },
        { amount: 10.5 },
        { amount: -5 },
        { amount: 1e12 },
        { amount: '1000' },
        { reason: 'forged' },
        { reason: '' },
        { refundTo: 'elsewhere' },
      ]) {
        const r = await send(id, 'refunds', { key: uuidv7(), ...base, ...extra });
        expect(r.status, JSON.stringify(extra).slice(0, 80)).toBe(400);
        expect(r.json).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('bad refund request') } });
      }
      const truncated = await api(t, `/v1/customer/orders/${id}/refunds`, { method: 'POST', token: kiosk.token, headers: session, body: '{"key":"' });
      expect(truncated.status).toBe(400);
      expect(await get(id)).toEqual(before);
      expect(await t.hub.db.selectFrom('order_requests').select('key').where('order_id', '=', id).execute()).toHaveLength(0);
    });

    it("another customer's order is not found; requests need a customer session", async () => {
      expect((await api(t, '/v1/customer/orders/DEMO-LI-004', { token: kiosk.token, headers: session })).status).toBe(404);
      expect((await send('DEMO-LI-001', 'changes', { key: uuidv7(), change: { type: 'cancel' } })).status).toBe(404);
      const noSession = await api(t, `/v1/customer/orders/${orderOf('placed')}/changes`, { method: 'POST', token: kiosk.token, body: JSON.stringify({ key: uuidv7(), change: { type: 'cancel' } }) });
      expect(noSession.status).toBe(401);
      expect((await get(orderOf('placed'))).status).toBe('placed');
    });
  });
}
