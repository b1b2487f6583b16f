// Self-service orders on the kiosk. Reads go to the hub (the order system) and fail with a clear
// `offline` error when it cannot be reached. Changes and refund/return requests go to the hub
// online with an idempotency key (a retried request has one effect); when the hub cannot be
// reached they are queued in the outbox (modification-request / refund-request, personal fields
// sealed) and answered as queued, with the reference the customer keeps.
// Amounts cross the kiosk API in major units (yuan: 110.5), the hub keeps minor units (fen).
import { v7 as uuidv7 } from 'uuid';
import { OrderRequestResult, OrderView } from '../../contracts/identity.ts';
import { KioskApiError, type KioskMethod, type OrderDetail, type OrderSummary } from '../../contracts/kiosk-api.ts';
import type { OutboxPayload } from '../../contracts/outbox.ts';
import type { Logger } from '../log/logger.ts';
import type { HubEndpoint } from '../sync/http.ts';
import type { HubLink } from './hub-link.ts';
import { hubJson, type CustomerIdentity } from './identity.ts';
import type { ReceiptBook } from './receipt-book.ts';
import type { CustomerSession } from './session.ts';

export interface OrdersDeps {
  endpoint: HubEndpoint | null;
  identity: CustomerIdentity;
  session: CustomerSession;
  hub?: HubLink;
  /** Receipts of the session: each request's reference is printable with print.receipt. */
  receipts?: ReceiptBook;
  branchName?: string;
  logger?: Logger;
}

export const queuedReference = (prefix: string, key: string) => `${prefix}-${key.replace(/-/g, '').slice(-8).toUpperCase()}`;

/** Minor units (fen) → major units (yuan) for the screen. */
const major = (minor: number) => minor / 100;

function summary(o: OrderView): OrderSummary {
  return { id: o.id, title: o.title, status: o.status, placedAt: o.placedAt, total: { amount: major(o.total.amount), currency: o.total.currency }, allowedChanges: o.allowedChanges };
}

function detail(o: OrderView): OrderDetail {
  return {
    ...summary(o),
    items: o.items.map((i) => ({ sku: i.sku, title: i.title, quantity: i.quantity, unitPrice: major(i.unitPrice) })),
    delivery: o.delivery,
    timeline: o.timeline,
    paid: major(o.paid),
    refunded: major(o.refunded),
    refundable: major(Math.max(0, o.paid - o.refunded)),
  };
}

type ChangeArgs = { id: string; change: 'address' | 'delivery-time' | 'cancel'; value?: string | undefined };
type RefundArgs = { id: string; kind: 'refund' | 'return'; reason: string; comment?: string | undefined };

/** The kiosk API's change as the hub's change (delivery time: "from/to", two ISO times). */
function hubChange(a: ChangeArgs) {
  if (a.change === 'cancel') return { type: 'cancel' as const };
  const value = a.value?.trim();
  if (!value) throw new KioskApiError('invalid_argument', `${a.change} needs a value`, { issues: [{ path: 'value', message: 'required for this change' }] });
  if (a.change === 'address') return { type: 'address' as const, address: value };
  const [from, to, extra] = value.split('/');
  if (!from || !to || extra !== undefined || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    throw new KioskApiError('invalid_argument', 'delivery-time value is "from/to" (two ISO times)', { issues: [{ path: 'value', message: 'from/to ISO times' }] });
  }
  return { type: 'delivery-time' as const, from, to };
}

export class CustomerOrders {
  constructor(private readonly deps: OrdersDeps) {}

  async list(): Promise<OrderSummary[]> {
    const { token } = this.deps.identity.require('orders.list');
    const r = (await hubJson(this.deps.endpoint, 'orders.list', 'v1/customer/orders', { customerToken: token })) as { orders?: unknown };
    this.deps.session.touch();
    return OrderView.array().parse(r?.orders).map(summary);
  }

  async get(id: string): Promise<OrderDetail> {
    const { token } = this.deps.identity.require('orders.get');
    const r = await hubJson(this.deps.endpoint, 'orders.get', `v1/customer/orders/${encodeURIComponent(id)}`, { customerToken: token });
    this.deps.session.touch();
    return detail(OrderView.parse(r));
  }

  change(a: ChangeArgs): Promise<{ reference: string; queued: boolean }> {
    const change = hubChange(a);
    return this.send('orders.change', a.id, { change }, (customerRef) => {
      const queued =
        change.type === 'address'
          ? ({ type: 'delivery-address', address: change.address } as const)
          : change.type === 'delivery-time'
            ? ({ type: 'delivery-time', from: change.from, to: change.to } as const)
            : ({ type: 'cancel' } as const);
      return ['modification-request', { orderId: a.id, customerRef, change: queued }, 'M'];
    }, 'changes');
  }

  refund(a: RefundArgs): Promise<{ reference: string; queued: boolean }> {
    const body = { kind: a.kind, reason: a.reason, ...(a.comment ? { comment: a.comment } : {}) };
    return this.send('orders.refund', a.id, body, (customerRef) => ['refund-request', { orderId: a.id, customerRef, kind: a.kind, reason: a.reason, ...(a.comment ? { comment: a.comment } : {}) }, 'R'], 'refunds');
  }

  private async send(
    method: KioskMethod,
    orderId: string,
    body: object,
    offline: (customerRef: string) => ['modification-request', OutboxPayload<'modification-request'>, string] | ['refund-request', OutboxPayload<'refund-request'>, string],
    path: 'changes' | 'refunds',
  ): Promise<{ reference: string; queued: boolean }> {
    const { token, customerRef } = this.deps.identity.require(method);
    this.deps.session.touch();
    const key = uuidv7();
    try {
      const r = OrderRequestResult.parse(
        await hubJson(this.deps.endpoint, method, `v1/customer/orders/${encodeURIComponent(orderId)}/${path}`, { method: 'POST', body: { key, ...body }, customerToken: token }),
      );
      return { reference: r.reference, queued: false };
    } catch (err) {
      if (!(err instanceof KioskApiError) || err.code !== 'offline' || !this.deps.hub) throw err;
      const [kind, payload, prefix] = offline(customerRef);
      const queuedKey = kind === 'refund-request' ? this.deps.hub.outbox.enqueue(kind, payload) : this.deps.hub.outbox.enqueue(kind, payload);
      this.deps.logger?.info({ kind }, 'order request queued in the outbox (hub unreachable)');
      void this.deps.hub.deliver();
      return { reference: queuedReference(prefix, queuedKey), queued: true };
    }
  }
}
