// The order system behind the hub's customer endpoints. `OrderSystem` is the adapter interface;
// `BuiltinOrderStore` (orders in the hub database) is the default; an ERP adapter implements the
// same interface over the HTTP contract in docs/hub-api.md. The state machine is
// ORDER_TRANSITIONS (contracts/identity.ts). Every change and request carries an idempotency key:
// the key row is written in the same transaction as the effect, so a retry has one effect and
// answers like the first attempt; the same key with a different request is refused.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { REFUND_REASONS } from '../../contracts/kiosk-api.ts';
import { canonicalJson } from '../../contracts/sync-protocol.ts';
import {
  ORDER_TRANSITIONS,
  type OrderAction,
  type OrderChangeRequest,
  type OrderRequestResult,
  type OrderStatus,
  type OrderView,
  type RefundRequest,
} from '../../contracts/identity.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import type { OrdersTable } from '../db/schema.ts';
import { DomainError } from '../identity/identity.ts';

export interface OrderSystem {
  list(customerId: string): Promise<OrderView[]>;
  get(customerId: string, orderId: string): Promise<OrderView>;
  change(kioskId: string, customerId: string, orderId: string, request: OrderChangeRequest): Promise<OrderRequestResult>;
  requestRefund(kioskId: string, customerId: string, orderId: string, request: RefundRequest): Promise<OrderRequestResult>;
}

type Timeline = OrderView['timeline'];

export function toView(r: OrdersTable): OrderView {
  const status = r.status as OrderStatus;
  return {
    id: r.id,
    title: r.title,
    status,
    placedAt: r.placed_at,
    total: { amount: Number(r.total), currency: r.currency },
    paid: Number(r.paid),
    refunded: Number(r.refunded),
    items: JSON.parse(r.items) as OrderView['items'],
    delivery: JSON.parse(r.delivery) as OrderView['delivery'],
    timeline: JSON.parse(r.timeline) as Timeline,
    allowedChanges: [...ORDER_TRANSITIONS[status]],
  };
}

/** Amounts earlier refund/return requests asked for, per order: they are not refundable again. */
async function requestedAmounts(db: HubTx, orderIds: readonly string[]): Promise<Map<string, number>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('order_requests')
    .select(['order_id', sql<number | string>`sum(amount)`.as('requested')])
    .where('order_id', 'in', orderIds)
    .where('kind', 'in', ['refund', 'return'])
    .groupBy('order_id')
    .execute();
  return new Map(rows.map((r) => [r.order_id, Number(r.requested ?? 0)]));
}

/** toView plus what is still refundable (paid − refunded − already requested). */
async function views(db: HubTx, rows: readonly OrdersTable[]): Promise<OrderView[]> {
  const requested = await requestedAmounts(db, rows.map((r) => r.id));
  return rows.map((r) => {
    const v = toView(r);
    return { ...v, refundable: Math.max(0, v.paid - v.refunded - (requested.get(r.id) ?? 0)) };
  });
}

const one = async (db: HubTx, row: OrdersTable) => (await views(db, [row]))[0]!;

export const orderReference = (key: string) => `RQ-${key.replace(/-/g, '').slice(-8).toUpperCase()}`;

function requireAllowed(order: OrderView, action: OrderAction): void {
  if (!ORDER_TRANSITIONS[order.status].includes(action)) {
    throw new DomainError(409, 'illegal_change', `order ${order.id} is ${order.status}: ${action} is not allowed (allowed: ${ORDER_TRANSITIONS[order.status].join(', ') || 'nothing'})`);
  }
}

export class BuiltinOrderStore implements OrderSystem {
  constructor(private readonly hub: HubDb) {}

  async list(customerId: string): Promise<OrderView[]> {
    const rows = await this.hub.db.selectFrom('orders').selectAll().where('customer_id', '=', customerId).orderBy('placed_at', 'desc').orderBy('id').execute();
    return views(this.hub.db, rows);
  }

  async get(customerId: string, orderId: string): Promise<OrderView> {
    return one(this.hub.db, await this.row(this.hub.db, customerId, orderId));
  }

  private async row(db: HubTx, customerId: string, orderId: string, lock = false): Promise<OrdersTable> {
    let q = db.selectFrom('orders').selectAll().where('id', '=', orderId).where('customer_id', '=', customerId);
    if (lock) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    // Another customer's order is "not found": nothing about it leaks.
    if (!r) throw new DomainError(404, 'not_found', `no order ${orderId}`);
    return r;
  }

  change(kioskId: string, customerId: string, orderId: string, request: OrderChangeRequest): Promise<OrderRequestResult> {
    return this.apply(kioskId, customerId, orderId, request.key, request.change.type, request, (order) => {
      requireAllowed(order, request.change.type);
      const c = request.change;
      if (c.type === 'address') return { delivery: { ...order.delivery, address: c.address }, note: 'delivery address changed' };
      if (c.type === 'delivery-time') {
        if (Date.parse(c.to) <= Date.parse(c.from)) throw new DomainError(400, 'bad_request', 'delivery time: "to" must be after "from"');
        return { delivery: { ...order.delivery, from: c.from, to: c.to }, note: 'delivery time changed' };
      }
      return { status: 'cancelled', note: 'cancelled by the customer' };
    });
  }

  requestRefund(kioskId: string, customerId: string, orderId: string, request: RefundRequest): Promise<OrderRequestResult> {
    return this.apply(kioskId, customerId, orderId, request.key, request.kind, request, (order) => {
      requireAllowed(order, request.kind);
      // Queued requests arrive through the outbox, whose schema takes any id: check the list here.
      if (!(REFUND_REASONS as readonly string[]).includes(request.reason)) {
        throw new DomainError(400, 'bad_request', `reason must be one of ${REFUND_REASONS.join(', ')}`);
      }
      const refundable = order.refundable ?? order.paid - order.refunded;
      if (refundable < 1) throw new DomainError(409, 'illegal_change', `order ${order.id}: nothing is left to refund`);
      let items = order.items;
      let itemsValue: number | undefined;
      if (request.items) {
        itemsValue = 0;
        items = order.items.map((line) => ({ ...line }));
        for (const want of request.items) {
          const line = items.find((l) => l.sku === want.sku);
          if (!line) throw new DomainError(400, 'bad_request', `order ${order.id} has no item ${want.sku}`);
          const left = line.quantity - (line.refundedQuantity ?? 0);
          if (want.quantity > left) throw new DomainError(400, 'bad_request', `item ${want.sku}: ${want.quantity} asked for, ${left} left to refund or return`);
          line.refundedQuantity = (line.refundedQuantity ?? 0) + want.quantity;
          itemsValue += want.quantity * line.unitPrice;
        }
      }
      const amount = request.amount ?? (itemsValue !== undefined ? Math.min(itemsValue, refundable) : refundable);
      if (itemsValue !== undefined && amount > itemsValue) throw new DomainError(400, 'bad_request', `amount ${amount} is more than the items are worth (${itemsValue})`);
      if (amount < 1 || amount > refundable) throw new DomainError(400, 'bad_request', `amount ${amount} is outside what can be refunded (1–${refundable})`);
      // Only a request for everything that is left closes the order to further requests.
      const whole = amount === refundable;
      const what = request.items ? `, items ${request.items.map((i) => `${i.sku}×${i.quantity}`).join(' ')}` : '';
      return {
        ...(whole ? { status: request.kind === 'refund' ? ('refund-requested' as const) : ('return-requested' as const) } : {}),
        ...(request.items ? { items } : {}),
        amount,
        note: `${request.kind} requested (${request.reason}, ${amount}${what})`,
      };
    });
  }

  private async apply(
    kioskId: string,
    customerId: string,
    orderId: string,
    key: string,
    kind: string,
    request: object,
    decide: (order: OrderView) => { status?: OrderStatus; delivery?: OrderView['delivery']; items?: OrderView['items']; amount?: number; note: string },
  ): Promise<OrderRequestResult> {
    const hash = createHash('sha256').update(canonicalJson({ orderId, customerId, request })).digest('hex');
    return this.hub.write(async (trx) => {
      // PostgreSQL: lock the order row, so concurrent requests on one order apply one after the
      // other (SQLite's write transaction is already exclusive).
      const order = await one(trx, await this.row(trx, customerId, orderId, this.hub.dialect === 'postgres'));
      // The key first, ON CONFLICT DO NOTHING: a concurrent retry of the same key waits for the
      // first transaction and then sees it as a duplicate instead of failing.
      const at = nowIso();
      const inserted = await trx
        .insertInto('order_requests')
        .values({ key, kiosk_id: kioskId, order_id: orderId, request_hash: hash, kind, amount: null, created_at: at })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!inserted) {
        const prior = await trx.selectFrom('order_requests').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
        if (prior.request_hash !== hash || prior.kiosk_id !== kioskId) throw new DomainError(409, 'conflict', 'this idempotency key was already used for a different request');
        return { reference: orderReference(key), order, duplicate: true, ...(prior.amount !== null ? { amount: Number(prior.amount) } : {}) };
      }
      // A refusal throws: the transaction rolls back, key row included, and nothing changed.
      const d = decide(order);
      const status = d.status ?? order.status;
      const timeline: Timeline = [...order.timeline, { at, status, note: d.note }];
      await trx
        .updateTable('orders')
        .set({ status, delivery: JSON.stringify(d.delivery ?? order.delivery), items: JSON.stringify(d.items ?? order.items), timeline: JSON.stringify(timeline), updated_at: at })
        .where('id', '=', orderId)
        .execute();
      if (d.amount !== undefined) await trx.updateTable('order_requests').set({ amount: d.amount }).where('key', '=', key).execute();
      return { reference: orderReference(key), order: await one(trx, await this.row(trx, customerId, orderId)), duplicate: false, ...(d.amount !== undefined ? { amount: d.amount } : {}) };
    });
  }
}
