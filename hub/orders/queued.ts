// Order requests a kiosk queued in its outbox while the hub was unreachable (refund-request,
// modification-request) are applied to the order system when they arrive, with the outbox item's
// key as the idempotency key: a redelivered item ('duplicate') is applied again harmlessly, which
// also covers a hub that stopped between storing the item and applying it, and a kiosk that queued
// a request whose online answer was lost under the key it had already sent (the order system's
// key row answers 'duplicate'; refundRequestOf keeps both copies field for field equal). The kiosk must have
// held a session for that customer when the customer asked (a device token alone cannot act for
// any customer). A request the order system refuses stays in the inbox for staff, with its reason
// in the hub log (codes only, nothing personal).
import type { OutboxBatch, OutboxItemResult } from '../../contracts/outbox.ts';
import { validateOutboxPayload, type OutboxPayload } from '../../contracts/outbox.ts';
import type { OrderChangeRequest, RefundRequest } from '../../contracts/identity.ts';
import type { HubDb } from '../db/open.ts';
import type { OrderSystem } from './orders.ts';

/**
 * The hub request a queued refund item stands for. It must equal, field for field, the request the
 * kiosk sent online under the same key (core/api/orders.ts builds both from one object): when the
 * online answer was lost and the kiosk queued the request under that key, the order system sees
 * the same key with the same request and answers 'duplicate' instead of applying it twice.
 */
export function refundRequestOf(key: string, p: OutboxPayload<'refund-request'>): RefundRequest {
  return {
    key,
    kind: p.kind,
    reason: p.reason as RefundRequest['reason'],
    ...(p.items ? { items: p.items } : {}),
    ...(p.amount !== undefined ? { amount: p.amount } : {}),
    ...(p.comment ? { comment: p.comment } : {}),
  };
}

export interface QueuedOutcome {
  key: string;
  applied: boolean;
  reason?: string;
}

async function hadSession(hub: HubDb, kioskId: string, customerId: string, at: string): Promise<boolean> {
  const t = Date.parse(at);
  const rows = await hub.db
    .selectFrom('customer_sessions')
    .select(['created_at', 'expires_at'])
    .where('kiosk_id', '=', kioskId)
    .where('customer_id', '=', customerId)
    .execute();
  return rows.some((r) => Date.parse(r.created_at) - 60_000 <= t && Number(r.expires_at) + 60_000 >= t);
}

export async function applyQueuedOrderRequests(
  hub: HubDb,
  orders: OrderSystem,
  kioskId: string,
  batch: OutboxBatch,
  results: OutboxItemResult[],
): Promise<QueuedOutcome[]> {
  const outcomes: QueuedOutcome[] = [];
  for (const item of batch.items) {
    if (item.kind !== 'refund-request' && item.kind !== 'modification-request') continue;
    const result = results.find((r) => r.key === item.key);
    if (!result || result.status === 'rejected') continue;
    const v = validateOutboxPayload(item.kind, item.payload);
    if (!v.ok) continue;
    try {
      if (v.kind === 'refund-request') {
        const p = v.value as OutboxPayload<'refund-request'>;
        if (!(await hadSession(hub, kioskId, p.customerRef, item.createdAt))) throw Object.assign(new Error('no customer session'), { code: 'unauthorized' });
        await orders.requestRefund(kioskId, p.customerRef, p.orderId, refundRequestOf(item.key, p));
      } else {
        const p = v.value as OutboxPayload<'modification-request'>;
        if (!(await hadSession(hub, kioskId, p.customerRef, item.createdAt))) throw Object.assign(new Error('no customer session'), { code: 'unauthorized' });
        const change: OrderChangeRequest['change'] =
          p.change.type === 'delivery-address' ? { type: 'address', address: p.change.address } : p.change.type === 'delivery-time' ? { type: 'delivery-time', from: p.change.from, to: p.change.to } : { type: 'cancel' };
        await orders.change(kioskId, p.customerRef, p.orderId, { key: item.key, change });
      }
      outcomes.push({ key: item.key, applied: true });
    } catch (err) {
      outcomes.push({ key: item.key, applied: false, reason: (err as { code?: string }).code ?? 'failed' });
    }
  }
  return outcomes;
}
