// What a kiosk sends the hub through its outbox (PRODUCT.md "Offline first"): one schema per item
// kind, validated by the kiosk before it queues an item and again by the hub before it takes it.
// PERSONAL_FIELDS names, per kind, the fields the kiosk encrypts at rest (AES-256-GCM) and that
// must never appear in logs. Each item carries an idempotency key (UUIDv7): the hub applies an
// item once, however often it arrives.
import { z } from 'zod';
import { Locale } from './kb-bundle.ts';

const Text = (max: number) => z.string().max(max, `longer than ${max} characters`);
const Id = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'id may use letters, digits, . _ : -');
/** Contact the customer chose to give: a phone number or an e-mail address. */
const Contact = z.strictObject({
  phone: z.string().regex(/^\+?[0-9 -]{5,20}$/, 'not a phone number').optional(),
  email: z.email().max(200).optional(),
  name: Text(100).optional(),
});

export const TicketItem = z.strictObject({
  category: Id,
  text: Text(4000).min(1, 'text is empty'),
  locale: Locale,
  contact: Contact.optional(),
});

export const RatingItem = z.strictObject({
  score: z.number().int().min(1).max(5),
  tags: z.array(Text(40).min(1)).max(20).optional(),
  comment: Text(2000).optional(),
  locale: Locale,
});

export const ArticleFeedbackItem = z.strictObject({
  articleId: Id,
  locale: Locale,
  helpful: z.boolean(),
  comment: Text(2000).optional(),
});

const OrderRequest = {
  orderId: Id,
  /** Who asked: a reference the order system gave at identification, never the ID number itself. */
  customerRef: Text(200).min(1),
  comment: Text(2000).optional(),
};

export const RefundRequestItem = z.strictObject({
  ...OrderRequest,
  kind: z.enum(['refund', 'return']),
  reason: Id,
  /** Which items (sku + quantity); absent: the amount alone decides. */
  items: z.array(z.strictObject({ sku: Id, quantity: z.number().int().min(1).max(999) })).min(1).max(50).optional(),
  /** Minor units (fen), converted exactly by the kiosk; absent: the items' value or everything refundable. */
  amount: z.number().int().min(1).max(1_000_000_000).optional(),
});

export const ModificationRequestItem = z.strictObject({
  ...OrderRequest,
  change: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('delivery-address'), address: Text(500).min(1) }),
    z.strictObject({ type: z.literal('delivery-time'), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }),
    z.strictObject({ type: z.literal('cancel') }),
  ]),
});

export const SearchEventItem = z.strictObject({
  locale: Locale,
  /** Normalised query with digit runs and e-mail addresses already masked by the kiosk. */
  query: Text(200).min(1),
  results: z.number().int().min(0).max(100_000),
});

export const AuditItem = z.strictObject({
  staffId: Id,
  action: Id,
  outcome: z.enum(['ok', 'denied', 'failed']),
  detail: Text(2000).optional(),
});

export const OUTBOX_SCHEMAS = {
  ticket: TicketItem,
  rating: RatingItem,
  'article-feedback': ArticleFeedbackItem,
  'refund-request': RefundRequestItem,
  'modification-request': ModificationRequestItem,
  search: SearchEventItem,
  audit: AuditItem,
} as const;

export type OutboxKind = keyof typeof OUTBOX_SCHEMAS;
export const OUTBOX_KINDS = Object.keys(OUTBOX_SCHEMAS) as OutboxKind[];
export const OutboxKindSchema = z.enum(OUTBOX_KINDS as [OutboxKind, ...OutboxKind[]]);
export type OutboxPayload<K extends OutboxKind> = z.infer<(typeof OUTBOX_SCHEMAS)[K]>;

/** Top-level payload fields that are personal: encrypted at rest, never logged. */
export const PERSONAL_FIELDS: { readonly [K in OutboxKind]: readonly string[] } = {
  ticket: ['text', 'contact'],
  rating: ['comment'],
  'article-feedback': ['comment'],
  'refund-request': ['customerRef', 'comment'],
  'modification-request': ['customerRef', 'comment', 'change'],
  search: [],
  audit: ['detail'],
};

/** UUIDv7 (time-ordered): the item's identity from the moment it is queued. */
export const IdempotencyKey = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a lowercase UUIDv7');

export const OUTBOX_LIMITS = { maxBatchItems: 100, maxBatchBytes: 1024 * 1024 } as const;

/** POST /v1/outbox body. Items are validated one by one, so one bad item fails only itself. */
export const OutboxBatch = z.strictObject({
  items: z
    .array(
      z.strictObject({
        key: IdempotencyKey,
        kind: z.string().min(1).max(64),
        /** When the customer did it (kiosk clock). */
        createdAt: z.iso.datetime({ offset: true }),
        payload: z.unknown(),
      }),
    )
    .min(1)
    .max(OUTBOX_LIMITS.maxBatchItems),
});
export type OutboxBatch = z.infer<typeof OutboxBatch>;

export const OutboxItemResult = z.strictObject({
  key: z.string(),
  /** accepted: applied now · duplicate: applied before (same key, same content) · rejected: never will be. */
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  reason: z.string().optional(),
});
export type OutboxItemResult = z.infer<typeof OutboxItemResult>;

export const OutboxBatchResult = z.strictObject({ results: z.array(OutboxItemResult) });
export type OutboxBatchResult = z.infer<typeof OutboxBatchResult>;

/** Validates one item's payload; returns a one-line reason on failure. */
export function validateOutboxPayload(kind: string, payload: unknown): { ok: true; kind: OutboxKind; value: unknown } | { ok: false; reason: string } {
  if (!(kind in OUTBOX_SCHEMAS)) return { ok: false, reason: `unknown item kind '${kind.slice(0, 64)}' (known: ${OUTBOX_KINDS.join(', ')})` };
  const parsed = OUTBOX_SCHEMAS[kind as OutboxKind].safeParse(payload);
  if (parsed.success) return { ok: true, kind: kind as OutboxKind, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, reason: `${issue.path.length ? `field '${issue.path.join('.')}': ` : ''}${issue.message}` };
}
