// Customer identification and self-service orders between a kiosk and the hub: request and
// response shapes of /v1/identity/*, /v1/customer/*. The kiosk sends an ID number read from the
// card (over TLS or loopback) or a phone number; the hub keeps only keyed hashes and masked forms,
// and answers with a short-lived customer session token scoped to the asking kiosk.
import { z } from 'zod';
import { REFUND_REASONS } from './kiosk-api.ts';

const Id = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'id may use letters, digits, . _ : -');
const Text = (max: number) => z.string().max(max, `longer than ${max} characters`);

/** Header carrying the customer session token (beside the kiosk's own device token). */
export const CUSTOMER_SESSION_HEADER = 'x-customer-session';

/** A resident ID number: 17 digits and a check character (validated again with the check). */
export const IdNumber = z.string().regex(/^\d{17}[\dX]$/, 'an ID number is 17 digits and a check character');
export const MobilePhone = z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number');

const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
/** GB 11643 check: the 18th character from the first 17 digits. */
export function idNumberValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * CHECK_WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11] === id[17];
}

/** 张*三, 李*, 欧**月: first and last character kept. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
/** 1101**********1234 */
export const maskIdNumber = (id: string) => `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}`;
/** 138****5678 */
export const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

export const IdCardIdentifyRequest = z.strictObject({ idNumber: IdNumber });
export const SmsRequest = z.strictObject({ phone: MobilePhone });
export const SmsRequestResponse = z.strictObject({ challengeId: z.string(), sent: z.boolean(), resendAfterSec: z.number().int() });
export const SmsVerifyRequest = z.strictObject({ challengeId: z.string().min(1).max(64), code: z.string().regex(/^\d{4,8}$/) });

export const IdentifiedCustomer = z.strictObject({
  displayName: z.string().max(64),
  maskedId: z.string().max(64),
  method: z.enum(['idcard', 'fingerprint', 'sms']),
  /** The order system's reference of the customer (never the ID number). */
  customerRef: z.string(),
});
export const CustomerSessionGrant = z.strictObject({
  session: z.strictObject({ id: z.string(), token: z.string(), expiresAt: z.string() }),
  customer: IdentifiedCustomer,
});
export type CustomerSessionGrant = z.infer<typeof CustomerSessionGrant>;

// ---- orders ------------------------------------------------------------------------------------

export const ORDER_STATUSES = ['placed', 'processing', 'shipped', 'delivered', 'cancelled', 'refund-requested', 'return-requested', 'refunded'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const ORDER_ACTIONS = ['address', 'delivery-time', 'cancel', 'refund', 'return'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** Which actions each status allows (the order state machine; the hub enforces it). */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderAction[]>> = {
  placed: ['address', 'delivery-time', 'cancel'],
  processing: ['address', 'delivery-time', 'cancel'],
  shipped: [],
  delivered: ['refund', 'return'],
  cancelled: [],
  'refund-requested': [],
  'return-requested': [],
  refunded: [],
};

const Money = z.strictObject({ amount: z.number().int().min(0), currency: z.string().length(3) });
export const OrderItem = z.strictObject({
  sku: Id,
  title: z.string(),
  quantity: z.number().int().min(1),
  unitPrice: z.number().int().min(0),
  /** How many of this item earlier refund/return requests already asked for (absent: none). */
  refundedQuantity: z.number().int().min(0).optional(),
});
export const OrderView = z.strictObject({
  id: Id,
  title: z.string(),
  status: OrderStatus,
  placedAt: z.string(),
  /** Amounts in minor units (fen). */
  total: Money,
  paid: z.number().int().min(0),
  refunded: z.number().int().min(0),
  /** What a new refund/return may still ask for: paid − refunded − amounts already requested. */
  refundable: z.number().int().min(0).optional(),
  items: z.array(OrderItem),
  delivery: z.strictObject({ address: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
  timeline: z.array(z.strictObject({ at: z.string(), status: OrderStatus, note: z.string() })),
  allowedChanges: z.array(z.enum(ORDER_ACTIONS)),
});
export type OrderView = z.infer<typeof OrderView>;

const UUIDv7 = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a lowercase UUIDv7');

export const OrderChangeRequest = z.strictObject({
  key: UUIDv7,
  change: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('address'), address: Text(500).min(1) }),
    z.strictObject({ type: z.literal('delivery-time'), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }),
    z.strictObject({ type: z.literal('cancel') }),
  ]),
});
export type OrderChangeRequest = z.infer<typeof OrderChangeRequest>;

/** Items a refund/return is about: each SKU once, a whole quantity. */
export const RefundItems = z
  .array(z.strictObject({ sku: Id, quantity: z.number().int().min(1).max(999) }))
  .min(1)
  .max(50)
  .refine((items) => new Set(items.map((i) => i.sku)).size === items.length, 'each sku may appear once');

export const RefundRequest = z.strictObject({
  key: UUIDv7,
  kind: z.enum(['refund', 'return']),
  reason: z.enum(REFUND_REASONS),
  /** Which items (default: none named; the amount alone decides). */
  items: RefundItems.optional(),
  /** Minor units; default: the items' value (capped by what is refundable), else everything refundable. */
  amount: z.number().int().min(1).max(1_000_000_000).optional(),
  comment: Text(2000).optional(),
});
export type RefundRequest = z.infer<typeof RefundRequest>;

export const OrderRequestResult = z.strictObject({
  reference: z.string(),
  order: OrderView,
  duplicate: z.boolean(),
  /** Refund/return: the amount this request asked for (minor units), also on a duplicate. */
  amount: z.number().int().min(0).optional(),
});
export type OrderRequestResult = z.infer<typeof OrderRequestResult>;
