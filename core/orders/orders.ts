// Self-service orders on the kiosk. Reads go to the hub (the order system) and fail with a clear
// `offline` error when it cannot be reached. Changes and refund/return requests go to the hub
// online with an idempotency key (a retried request has one effect); when the hub cannot be
// reached they are queued in the outbox (modification-request / refund-request, personal fields
// sealed) and answered as queued, with the reference the customer keeps. A request whose answer
// was lost (the hub may have applied it) is queued under the key it already went out with, so the
// hub dedups it instead of applying it twice. Each reference goes into the session's receipt book.
// Amounts cross the kiosk API in major units (yuan: 110.5), the hub keeps minor units (fen); the
// conversion is exact (toMinor), so 0.1 + 0.2 yuan is 30 fen, not 30.000000000000004.
import { v7 as uuidv7 } from 'uuid';
import { OrderRequestResult, OrderView } from '../../contracts/identity.ts';
import { KioskApiError, type KioskMethod, type OrderDetail, type OrderSummary } from '../../contracts/kiosk-api.ts';
import type { OutboxPayload } from '../../contracts/outbox.ts';
import type { Logger } from '../log/logger.ts';
import type { HubEndpoint } from '../hub-client/http.ts';
import type { HubLink } from '../sync/hub-link.ts';
import type { CustomerIdentity } from '../identity/identity.ts';
import { hubJson } from '../hub-client/json.ts';
import { changeReceipt, receiptTime, refundReceipt } from '../devices/receipts-data.ts';
import { referenceOf, type ReceiptBook, type ReceiptEntry } from '../session/receipt-book.ts';
import type { CustomerSession } from '../session/session.ts';

export interface OrdersDeps {
  endpoint: HubEndpoint | null;
  identity: CustomerIdentity;
  session: CustomerSession;
  hub?: HubLink;
  /** Receipts of the session: each request's reference is printable with print.receipt. */
  receipts?: ReceiptBook;
  branchName?: string;
  /** A tracking URL template with `{reference}` (hub configuration); absent: the QR holds the reference. */
  trackUrl?: string;
  logger?: Logger;
}


/** Minor units (fen) → major units (yuan) for the screen. */
const major = (minor: number) => minor / 100;

/**
 * Major units (yuan) → minor units (fen), exactly: the nearest whole fen (0.1 + 0.2 → 30, 19.99 →
 * 1999, never 1998.9999…). A value farther from a whole fen than float noise (0.001) is refused.
 */
export function toMinor(amount: number): number {
  if (!Number.isFinite(amount) || amount < 0) throw new KioskApiError('invalid_argument', 'amount must be a positive number', { issues: [{ path: 'amount', message: 'not a positive number' }] });
  const cents = Math.round(amount * 100);
  if (Math.abs(cents - amount * 100) > 1e-6 * Math.max(1, amount)) {
    throw new KioskApiError('invalid_argument', 'amount has more than two decimals', { issues: [{ path: 'amount', message: 'at most two decimals' }] });
  }
  if (!Number.isSafeInteger(cents)) throw new KioskApiError('invalid_argument', 'amount is too large', { issues: [{ path: 'amount', message: 'too large' }] });
  return cents;
}

function summary(o: OrderView): OrderSummary {
  return { id: o.id, title: o.title, status: o.status, placedAt: o.placedAt, total: { amount: major(o.total.amount), currency: o.total.currency }, allowedChanges: o.allowedChanges };
}

function detail(o: OrderView): OrderDetail {
  return {
    ...summary(o),
    items: o.items.map((i) => ({ sku: i.sku, title: i.title, quantity: i.quantity, unitPrice: major(i.unitPrice), refundedQuantity: i.refundedQuantity ?? 0 })),
    delivery: o.delivery,
    timeline: o.timeline,
    paid: major(o.paid),
    refunded: major(o.refunded),
    refundable: major(Math.max(0, o.refundable ?? o.paid - o.refunded)),
  };
}

type ChangeArgs = { id: string; change: 'address' | 'delivery-time' | 'cancel'; value?: string | undefined };
type RefundArgs = {
  id: string;
  kind: 'refund' | 'return';
  reason: string;
  items?: Array<{ sku: string; quantity: number }> | undefined;
  /** Major units. */
  amount?: number | undefined;
  comment?: string | undefined;
};

const CHANGE_TEXT: Record<ChangeArgs['change'], string> = { address: '修改地址 Address', 'delivery-time': '修改配送时间 Delivery time', cancel: '取消订单 Cancel' };
/** REFUND_REASONS as printed (the receipt is bilingual, like its template). */
const REASON_TEXT: Record<string, string> = {
  'not-received': '未收到商品 Not received',
  damaged: '商品损坏 Damaged',
  'wrong-item': '发错商品 Wrong item',
  'not-as-described': '与描述不符 Not as described',
  'changed-mind': '不想要了 Changed my mind',
  other: '其他 Other',
};

interface ReceiptCommon {
  reference: string;
  orderId: string;
  branchName: string;
  requestedAt: Date;
  qr: string;
  /** The session's masked name (张*三): the builders mask again, never unmask. */
  customerName?: string;
}

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
    const r = (await hubJson(this.deps.endpoint, 'orders.list', 'orders.list', { customerToken: token })) as { orders?: unknown };
    this.deps.session.touch();
    return OrderView.array().parse(r?.orders).map(summary);
  }

  async get(id: string): Promise<OrderDetail> {
    const { token } = this.deps.identity.require('orders.get');
    const r = await hubJson(this.deps.endpoint, 'orders.get', 'orders.get', { params: { id }, customerToken: token });
    this.deps.session.touch();
    return detail(OrderView.parse(r));
  }

  change(a: ChangeArgs): Promise<{ reference: string; queued: boolean }> {
    const change = hubChange(a);
    const queued =
      change.type === 'address'
        ? ({ type: 'delivery-address', address: change.address } as const)
        : change.type === 'delivery-time'
          ? ({ type: 'delivery-time', from: change.from, to: change.to } as const)
          : ({ type: 'cancel' } as const);
    return this.send({
      method: 'orders.change',
      orderId: a.id,
      route: 'orders.change',
      body: { change },
      offline: (customerRef) => ['modification-request', { orderId: a.id, customerRef, change: queued }],
      prefix: 'M',
      // The new address stays off the paper (a receipt may be left behind); a time window is fine.
      receipt: (common) =>
        changeReceipt({ ...common, change: CHANGE_TEXT[a.change], ...(change.type === 'delivery-time' ? { newValue: `${receiptTime(change.from)} – ${receiptTime(change.to)}` } : {}) }),
    });
  }

  refund(a: RefundArgs): Promise<{ reference: string; queued: boolean }> {
    // One object for both paths: the hub must see the same request online and from the outbox.
    const request = {
      kind: a.kind,
      reason: a.reason,
      ...(a.items ? { items: a.items.map((i) => ({ sku: i.sku, quantity: i.quantity })) } : {}),
      ...(a.amount !== undefined ? { amount: toMinor(a.amount) } : {}),
      ...(a.comment ? { comment: a.comment } : {}),
    };
    return this.send({
      method: 'orders.refund',
      orderId: a.id,
      route: 'orders.refund',
      body: request,
      offline: (customerRef) => ['refund-request', { orderId: a.id, customerRef, ...request }],
      prefix: 'R',
      amount: request.amount,
      receipt: (common, amount) => {
        const entry = refundReceipt({ ...common, customerName: common.customerName ?? '', amount: major(amount ?? 0), reason: REASON_TEXT[a.reason] ?? a.reason });
        // Queued without an amount: the hub decides it (everything still refundable) when it arrives.
        if (amount === undefined) entry.data.amount = '全部可退金额 All refundable';
        if (a.items) entry.data.items = a.items.map((i) => `${i.sku}×${i.quantity}`).join(' ');
        return entry;
      },
    });
  }

  private async send(o: {
    method: KioskMethod;
    orderId: string;
    route: 'orders.change' | 'orders.refund';
    body: object;
    offline: (customerRef: string) => ['modification-request', OutboxPayload<'modification-request'>] | ['refund-request', OutboxPayload<'refund-request'>];
    prefix: string;
    /** Minor units the kiosk asked for (refunds), if any. */
    amount?: number | undefined;
    receipt: (common: ReceiptCommon, amount: number | undefined) => ReceiptEntry;
  }): Promise<{ reference: string; queued: boolean }> {
    const { token, customerRef } = this.deps.identity.require(o.method);
    this.deps.session.touch();
    const key = uuidv7();
    let result: { reference: string; queued: boolean; amount: number | undefined };
    try {
      const r = OrderRequestResult.parse(
        await hubJson(this.deps.endpoint, o.method, o.route, { params: { id: o.orderId }, body: { key, ...o.body }, customerToken: token }),
      );
      result = { reference: r.reference, queued: false, amount: r.amount ?? o.amount };
    } catch (err) {
      if (!(err instanceof KioskApiError) || err.code !== 'offline' || !this.deps.hub) throw err;
      // The request may have reached the hub and only its answer been lost: the same key lets the
      // hub recognise it when the queued copy arrives (one effect, never two).
      const [kind, payload] = o.offline(customerRef);
      const queuedKey = kind === 'refund-request' ? this.deps.hub.outbox.enqueue(kind, payload, { key }) : this.deps.hub.outbox.enqueue(kind, payload, { key });
      this.deps.logger?.info({ kind }, 'order request queued in the outbox (hub unreachable or its answer lost)');
      void this.deps.hub.deliver();
      result = { reference: referenceOf(o.prefix, queuedKey), queued: true, amount: o.amount };
    }
    // The receipt print.receipt may print for this reference (session memory only).
    if (this.deps.receipts) {
      const qr = this.deps.trackUrl ? this.deps.trackUrl.replace('{reference}', encodeURIComponent(result.reference)) : result.reference;
      const common: ReceiptCommon = {
        reference: result.reference,
        orderId: o.orderId,
        branchName: this.deps.branchName ?? '',
        requestedAt: new Date(),
        qr,
        ...(this.deps.session.customer ? { customerName: this.deps.session.customer.displayName } : {}),
      };
      this.deps.receipts.add(result.reference, o.receipt(common, result.amount));
    }
    return { reference: result.reference, queued: result.queued };
  }
}
