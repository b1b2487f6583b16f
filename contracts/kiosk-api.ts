// The kiosk API: every method and event the renderer may use, declared once with zod schemas for
// arguments and results. Two transports carry it (Electron IPC through the preload, and the
// browser-mode loopback WebSocket bridge); both validate arguments against these schemas before any
// handler runs (core/api/dispatcher.ts), and the renderer's client is typed from the same objects
// (contracts/kiosk-api-client.ts). Adding a method here is the only way to add one anywhere.
//
// Runtime-neutral: zod only. No personal data crosses this API except what a flow needs on screen,
// and that is already masked (张*三, 1101**********1234).
import { z } from 'zod';
import { DeviceHealth } from './device-config.ts';
import { Locale } from './kb-bundle.ts';

export const KIOSK_API_VERSION = 1;

// ---- building blocks ---------------------------------------------------------------------------

const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'an id uses letters, digits, . _ : - and starts with a letter or digit');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256 digest');
const Text = (max: number) => z.string().max(max, `longer than ${max} characters`);
const IsoTime = z.string().max(40);
const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });

/** Highlighted text as plain segments: the renderer makes text nodes and <mark>s, never HTML. */
export const TextSegment = z.object({ text: z.string(), hit: z.boolean() });
export type TextSegment = z.infer<typeof TextSegment>;

export const Category = z.object({ id: z.string(), parentId: z.string().nullable(), title: z.string(), order: z.number() });
export type Category = z.infer<typeof Category>;

export const ArticleSummary = z.object({ id: z.string(), categoryId: z.string().nullable(), title: z.string() });
export type ArticleSummary = z.infer<typeof ArticleSummary>;

export const Article = z.object({
  id: z.string(),
  locale: Locale,
  categoryId: z.string().nullable(),
  title: z.string(),
  /** Markdown; images are `kb-blob:<sha256>` (fetch with kb.blob). The renderer sanitises it. */
  body: z.string(),
  tags: z.array(z.string()),
  updatedAt: z.string().nullable(),
  related: z.array(ArticleSummary),
});
export type Article = z.infer<typeof Article>;

export const SearchHit = z.object({
  id: z.string(),
  categoryId: z.string().nullable(),
  title: z.string(),
  score: z.number(),
  titleHighlighted: z.array(TextSegment),
  snippet: z.array(TextSegment),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const Suggestion = z.object({ text: z.string(), articleId: z.string(), match: z.enum(['text', 'pinyin', 'initials']) });
export type Suggestion = z.infer<typeof Suggestion>;

export const MaskedCustomer = z.object({
  /** Masked for the screen: 张*三. */
  displayName: z.string().max(64),
  /** Masked: 1101**********1234 or 138****5678. */
  maskedId: z.string().max(64),
  method: z.enum(['idcard', 'fingerprint', 'sms']),
});
export type MaskedCustomer = z.infer<typeof MaskedCustomer>;

export const OrderSummary = z.object({
  id: Id,
  title: z.string(),
  status: z.string(),
  placedAt: IsoTime,
  total: z.object({ amount: z.number(), currency: z.string().length(3) }),
  allowedChanges: z.array(z.enum(['address', 'delivery-time', 'cancel', 'refund', 'return'])),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

/** Amounts in major units (yuan: 110.5), like OrderSummary.total. */
export const OrderDetail = OrderSummary.extend({
  items: z.array(
    z.object({
      sku: Id,
      title: z.string(),
      quantity: z.number().int().min(1),
      unitPrice: z.number().min(0),
      /** Already asked back (refund/return requests): a new request may name at most quantity − this. */
      refundedQuantity: z.number().int().min(0),
    }),
  ),
  delivery: z.object({ address: z.string(), from: IsoTime.nullable(), to: IsoTime.nullable() }),
  timeline: z.array(z.object({ at: IsoTime, status: z.string(), note: z.string() })),
  paid: z.number().min(0),
  refunded: z.number().min(0),
  /** What a refund or return may still ask for: paid − refunded. */
  refundable: z.number().min(0),
});
export type OrderDetail = z.infer<typeof OrderDetail>;

/** Reasons the refund/return picker offers (ids; the UI translates them). */
export const REFUND_REASONS = ['not-received', 'damaged', 'wrong-item', 'not-as-described', 'changed-mind', 'other'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/** Actions the assistant recognises beside KB answers (core/assistant/intents.ts). */
export const ASSISTANT_INTENTS = ['order-status', 'refund', 'person'] as const;
export type AssistantIntent = (typeof ASSISTANT_INTENTS)[number];

/** Counter services a queue number can be taken for (the UI translates them). */
export const QUEUE_SERVICES = ['general', 'orders', 'cash'] as const;
export type QueueService = (typeof QUEUE_SERVICES)[number];

/** Prompts a device flow shows while it waits for the customer (or staff). */
export const DevicePrompt = z.object({
  device: z.enum(['idcard', 'fingerprint', 'printer']),
  step: z.enum(['place-card', 'place-finger', 'lift-finger', 'place-finger-again', 'working', 'done']),
});
export type DevicePrompt = z.infer<typeof DevicePrompt>;

export const Queued = z.object({
  /** Reference shown and printed for the customer. */
  reference: z.string(),
  /** true: stored in the outbox, delivered when the hub is reachable. */
  queued: z.boolean(),
});
export type Queued = z.infer<typeof Queued>;

export const PrintResult = z.object({
  printed: z.boolean(),
  /** When the printer cannot print (paper out …): the text of a QR code to show on screen instead. */
  qr: z.string().optional(),
  problem: z.string().optional(),
});
export type PrintResult = z.infer<typeof PrintResult>;

export const SessionState = z.object({
  active: z.boolean(),
  startedAt: IsoTime.nullable(),
  identified: z.boolean(),
});
export type SessionState = z.infer<typeof SessionState>;

export const SessionEndReason = z.enum(['finish', 'idle', 'staff', 'restart']);
export type SessionEndReason = z.infer<typeof SessionEndReason>;

export const UpdateStatus = z.object({
  state: z.enum(['disabled', 'idle', 'checking', 'up-to-date', 'downloading', 'downloaded', 'waiting-for-window', 'installing', 'error']),
  currentVersion: z.string(),
  availableVersion: z.string().nullable(),
  /** 0–100 while downloading. */
  progress: z.number().min(0).max(100).nullable(),
  lastCheckAt: IsoTime.nullable(),
  /** Why a downloaded update is not installed yet, or what failed. */
  detail: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const StaffState = z.object({
  unlocked: z.boolean(),
  /** Failed PIN attempts since the last success (resets after a lockout). */
  failures: z.number().int().min(0),
  lockedUntil: IsoTime.nullable(),
  configured: z.boolean(),
});
export type StaffState = z.infer<typeof StaffState>;

export const AppInfo = z.object({
  apiVersion: z.number().int(),
  appVersion: z.string(),
  mode: z.enum(['electron', 'browser']),
  locales: z.array(Locale),
  defaultLocale: Locale,
  /** Seconds of no touch before the countdown, and the countdown itself. */
  idleTimeoutSec: z.number().int().positive(),
  idleCountdownSec: z.number().int().positive(),
  branchName: z.string(),
  /** Areas whose backing module is present in this build (others answer `not_available`). */
  features: z.record(z.string(), z.boolean()),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const LogLine = z.object({ time: IsoTime, level: z.string(), msg: z.string() });

const PinArg = z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits');
const LocaleArg = z.strictObject({ locale: Locale });

// ---- methods -----------------------------------------------------------------------------------

export type Access = 'public' | 'customer' | 'staff';

interface MethodSpec<A extends z.ZodType, R extends z.ZodType> {
  args: A;
  result: R;
  /** public: any time · customer: needs an active customer session · staff: needs an unlocked staff session. */
  access: Access;
  summary: string;
}

const method = <A extends z.ZodType, R extends z.ZodType>(access: Access, summary: string, args: A, result: R): MethodSpec<A, R> => ({
  args,
  result,
  access,
  summary,
});

export const KIOSK_METHODS = {
  // app and watchdog
  'app.info': method('public', 'version, mode, locales, idle timeouts, enabled areas', Empty, AppInfo),
  'app.heartbeat': method('public', 'renderer watchdog heartbeat (main reloads the page when they stop)', z.strictObject({ at: z.number().int().nonnegative() }), Ok),

  // help centre
  'kb.categories': method('public', 'category tree of a locale', LocaleArg, z.array(Category)),
  'kb.articles': method('public', 'articles of a category (or all)', z.strictObject({ locale: Locale, categoryId: Id.optional() }), z.array(ArticleSummary)),
  'kb.article': method('public', 'one article (counts a view)', z.strictObject({ id: Id, locale: Locale }), Article),
  'kb.search': method(
    'public',
    'full-text search with highlights (records the query, personal data scrubbed)',
    z.strictObject({ query: Text(500), locale: Locale, categoryId: Id.optional(), limit: z.number().int().min(1).max(50).optional() }),
    z.object({ hits: z.array(SearchHit) }),
  ),
  'kb.suggest': method(
    'public',
    'suggestions while typing (text, pinyin, pinyin initials)',
    z.strictObject({ prefix: Text(64), locale: Locale, limit: z.number().int().min(1).max(20).optional() }),
    z.array(Suggestion),
  ),
  'kb.feedback': method('public', '"was this helpful?"', z.strictObject({ id: Id, locale: Locale, helpful: z.boolean() }), Ok),
  'kb.blob': method(
    'public',
    'an article image by digest',
    z.strictObject({ sha256: Sha256 }),
    z.object({ mediaType: z.string(), base64: z.string() }),
  ),

  // assistant
  'assistant.ask': method(
    'public',
    'answer a question from the KB; below the confidence threshold, offer choices or a person',
    z.strictObject({ text: Text(500).min(1), locale: Locale }),
    z.object({
      kind: z.enum(['answer', 'choices', 'handover']),
      article: ArticleSummary.nullable(),
      choices: z.array(ArticleSummary),
      confidence: z.number().min(0).max(1),
      /** The customer also wants an action: their orders, a refund/return, or a person. */
      intent: z.enum(ASSISTANT_INTENTS).nullable(),
    }),
  ),

  // session
  'session.start': method('public', 'a customer tapped the attract screen', Empty, SessionState),
  'session.status': method('public', 'is a customer session active', Empty, SessionState),
  'session.touch': method('public', 'customer activity (keeps the idle timer of the core in step)', Empty, Ok),
  'session.end': method('public', 'Finish or idle timeout: wipe every trace of the customer', z.strictObject({ reason: SessionEndReason }), SessionState),

  // identify (customer)
  'identify.idCard': method('customer', 'wait for an ID card on the reader', z.strictObject({ timeoutSec: z.number().int().min(1).max(120).optional() }), MaskedCustomer),
  'identify.fingerprint': method(
    'customer',
    '1:1 fingerprint verification of the customer who owns this phone number (template from the hub, matched on the sensor)',
    z.strictObject({ phone: z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number'), timeoutSec: z.number().int().min(1).max(120).optional() }),
    MaskedCustomer,
  ),
  'identify.cancel': method('customer', 'stop waiting for a card or a finger (the customer left the identify screen)', Empty, Ok),
  'identify.smsRequest': method('customer', 'send an SMS code', z.strictObject({ phone: z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number') }), z.object({ sent: z.boolean(), resendAfterSec: z.number().int() })),
  'identify.smsVerify': method('customer', 'check the SMS code', z.strictObject({ code: z.string().regex(/^\d{4,8}$/, 'a 4 to 8 digit code') }), MaskedCustomer),

  // orders (customer, identified; reads need the hub)
  'orders.list': method('customer', 'orders of the identified customer', Empty, z.array(OrderSummary)),
  'orders.get': method('customer', 'one order with items, delivery and timeline', z.strictObject({ id: Id }), OrderDetail),
  'orders.change': method(
    'customer',
    'change what the order system allows',
    z.strictObject({ id: Id, change: z.enum(['address', 'delivery-time', 'cancel']), value: Text(500).optional() }),
    Queued,
  ),
  'orders.refund': method(
    'customer',
    'request a refund or return',
    z.strictObject({
      id: Id,
      kind: z.enum(['refund', 'return']),
      reason: z.enum(REFUND_REASONS),
      /** Which items (default: the whole order). */
      items: z.array(z.strictObject({ sku: Id, quantity: z.number().int().min(1).max(999) })).min(1).max(50).optional(),
      /** Major units, at most two decimals; default: everything still refundable (or the items' value). */
      amount: z.number().positive().max(10_000_000).multipleOf(0.01).optional(),
      comment: Text(500).optional(),
    }),
    Queued,
  ),

  // help from people
  'tickets.submit': method(
    'customer',
    'submit a ticket (queued in the outbox)',
    z.strictObject({ category: Id, text: Text(2000).min(1), contact: Text(100).optional() }),
    Queued,
  ),
  'queue.take': method(
    'customer',
    'take a queue number for a counter (printable by its reference)',
    z.strictObject({ service: z.enum(QUEUE_SERVICES) }),
    z.object({ number: z.string(), waiting: z.number().int().min(0), reference: z.string(), queued: z.boolean() }),
  ),
  'ratings.submit': method(
    'customer',
    'rate the visit',
    z.strictObject({ score: z.number().int().min(1).max(5), tags: z.array(Id).max(10), comment: Text(500).optional() }),
    Queued,
  ),
  'print.receipt': method(
    'customer',
    'print the receipt of a reference given in this session (QR on screen when the printer cannot)',
    z.strictObject({ reference: Text(64).min(1) }),
    PrintResult,
  ),

  // status (staff panel and offline banner)
  'devices.status': method('public', 'health of printer, card reader, fingerprint sensor', Empty, z.array(DeviceHealth)),
  'sync.status': method(
    'public',
    'hub reachability and last sync',
    Empty,
    z.object({ online: z.boolean(), lastSyncAt: IsoTime.nullable(), cursor: z.string().nullable(), error: z.string().nullable() }),
  ),
  'outbox.status': method('staff', 'undelivered items', Empty, z.object({ pending: z.number().int().min(0), oldestAt: IsoTime.nullable() })),
  'update.status': method('public', 'app update state', Empty, UpdateStatus),
  'system.status': method(
    'staff',
    "the kiosk PC: free disk space where the kiosk keeps its data, the core's uptime",
    Empty,
    z.object({ diskFreeBytes: z.number().nonnegative(), diskTotalBytes: z.number().nonnegative(), uptimeSec: z.number().int().nonnegative() }),
  ),

  // staff
  'staff.status': method('public', 'staff mode state (lockout)', Empty, StaffState),
  'staff.unlock': method('public', 'enter the staff PIN', z.strictObject({ pin: PinArg }), StaffState),
  'staff.lock': method('public', 'leave staff mode', Empty, StaffState),
  'staff.restartApp': method('staff', 'restart the kiosk app', Empty, Ok),
  'staff.reboot': method('staff', 'reboot the PC with the configured command', Empty, Ok),
  'staff.exitKiosk': method('staff', 'leave kiosk mode (maintenance)', Empty, Ok),
  'staff.syncNow': method('staff', 'sync with the hub now', Empty, Ok),
  'staff.checkUpdate': method('staff', 'check for an app update now', Empty, UpdateStatus),
  'staff.testPrint': method('staff', 'print a test page', Empty, PrintResult),
  'staff.testCardRead': method('staff', 'read a card once (shows masked data only)', Empty, MaskedCustomer),
  'staff.enrolFingerprint': method(
    'staff',
    "enrol a customer's fingerprint for 1:1 verification (two captures, the template goes to the hub only)",
    z.strictObject({ customerRef: Id, timeoutSec: z.number().int().min(1).max(120).optional() }),
    Ok,
  ),
  'staff.logs': method('staff', 'recent log lines (no personal data)', z.strictObject({ limit: z.number().int().min(1).max(500).optional() }), z.array(LogLine)),
} as const;

export type KioskMethods = typeof KIOSK_METHODS;
export type KioskMethod = keyof KioskMethods;
export type KioskArgs<M extends KioskMethod> = z.input<KioskMethods[M]['args']>;
export type KioskParsedArgs<M extends KioskMethod> = z.output<KioskMethods[M]['args']>;
export type KioskResult<M extends KioskMethod> = z.output<KioskMethods[M]['result']>;
export const KIOSK_METHOD_NAMES = Object.keys(KIOSK_METHODS) as KioskMethod[];

export function isKioskMethod(name: unknown): name is KioskMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(KIOSK_METHODS, name);
}

// ---- events (core → renderer) ------------------------------------------------------------------

export const KIOSK_EVENTS = {
  /** The session ended (idle in the core, staff action, restart): the renderer wipes its state. */
  'session.ended': z.object({ reason: SessionEndReason }),
  'devices.health': z.array(DeviceHealth),
  'update.status': UpdateStatus,
  'sync.status': z.object({ online: z.boolean(), lastSyncAt: IsoTime.nullable() }),
  'staff.state': StaffState,
  /** What to tell the person at the device now (place the card, lift the finger …). */
  'device.prompt': DevicePrompt,
  /** The kiosk's configuration changed (synced from the hub): branch name, idle timeouts, enabled areas. */
  'app.info': AppInfo,
} as const;

export type KioskEvents = typeof KIOSK_EVENTS;
export type KioskEvent = keyof KioskEvents;
export type KioskEventPayload<E extends KioskEvent> = z.output<KioskEvents[E]>;
export const KIOSK_EVENT_NAMES = Object.keys(KIOSK_EVENTS) as KioskEvent[];

export function isKioskEvent(name: unknown): name is KioskEvent {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(KIOSK_EVENTS, name);
}

// ---- results on the wire -----------------------------------------------------------------------

export const ERROR_CODES = [
  /** Arguments failed the schema; nothing ran. */
  'invalid_argument',
  /** No such method (or event). */
  'unknown_method',
  'not_found',
  /** The area's backing module is not in this build yet (or not configured on this kiosk). */
  'not_available',
  /** Needs an active customer session, or an unlocked staff session. */
  'no_session',
  'unauthorized',
  /** Too many wrong PINs: wait until lockedUntil. */
  'locked',
  /** Needs the hub, which is unreachable. */
  'offline',
  /** A device is missing or failed. */
  'device',
  'timeout',
  /** The renderer lost its connection to the core (bridge closed); retried calls may succeed. */
  'disconnected',
  /** A bug: the message is generic, the details are in the log. */
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For invalid_argument: where and what. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** For locked: ISO time. */
  until: z.string().optional(),
});
export type WireError = z.infer<typeof WireError>;

export type WireResult<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** Thrown by the client (and by handlers in the core) for an error the UI can act on. */
export class KioskApiError extends Error {
  override name = 'KioskApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Pick<WireError, 'issues' | 'until'> = {},
  ) {
    super(message);
  }

  toWire(): WireError {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/** zod issues as short `path: message` pairs (no input values echoed: they may be personal). */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(arguments)', message: i.message }));
}

// ---- browser-mode bridge frames ----------------------------------------------------------------

export const BRIDGE_PATH = '/bridge';
/** Requests from the renderer are small (a query, a PIN): the bridge refuses larger frames. */
export const BRIDGE_MAX_REQUEST_BYTES = 64 * 1024;

export const BridgeRequest = z.strictObject({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.unknown(),
  args: z.unknown(),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export type BridgeMessage =
  | { t: 'result'; id: number; result: WireResult }
  | { t: 'event'; event: KioskEvent; payload: unknown }
  | { t: 'error'; error: WireError };
