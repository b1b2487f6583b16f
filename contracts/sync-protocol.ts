// Sync protocol v1 (docs/sync-protocol.md): what the hub sends a kiosk and how the kiosk checks it.
// One definition for both ends: the hub builds pages of these shapes, the kiosk parses them with
// these schemas and recomputes the hashes with canonicalJson(). Runtime-neutral (no Node here):
// each side hashes with its own sha256.
import { z } from 'zod';
import { ArticleRecord, CategoryRecord, SynonymsRecord } from './kb-bundle.ts';
import { KioskConfigLayer } from './sync-config.ts';

export const SYNC_PROTOCOL_VERSION = 1;

/** Hub limits a kiosk may rely on, and the kiosk's own ceilings for what it accepts. */
export const SYNC_LIMITS = {
  /** Most changes a page carries (the kiosk may ask for fewer with `limit`). */
  maxPageChanges: 1000,
  defaultPageChanges: 500,
  /** The hub stops adding changes to a page once its data passes this many bytes. */
  targetPageBytes: 4 * 1024 * 1024,
  /** The kiosk refuses a page whose (decompressed) body is larger than this. */
  maxPageBytes: 32 * 1024 * 1024,
  /** The kiosk refuses a blob larger than this. */
  maxBlobBytes: 20 * 1024 * 1024,
} as const;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256 digest');
/** Cursors and sequence numbers: hub-assigned, strictly increasing, 0 = nothing yet. */
export const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ENTITY_KINDS = ['blob', 'category', 'synonyms', 'article', 'config'] as const;
export const EntityKind = z.enum(ENTITY_KINDS);
export type EntityKind = z.infer<typeof EntityKind>;

/** Metadata of a content-addressed file; the bytes come from GET /v1/blobs/<sha256>. */
export const BlobRef = z.strictObject({
  sha256: Sha256Hex,
  mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'not a media type').max(100),
  size: z.number().int().min(0).max(SYNC_LIMITS.maxBlobBytes),
});
export type BlobRef = z.infer<typeof BlobRef>;

/** All synonym groups of the KB, replaced as a whole (bundles give groups no ids). */
export const SynonymsData = z.strictObject({
  groups: z.array(SynonymsRecord.omit({ type: true })).max(10_000),
});
export type SynonymsData = z.infer<typeof SynonymsData>;

/**
 * Entity keys: article and category `<locale>/<id>`; blob `<sha256>`; synonyms `all`;
 * config `fleet` | `branch` | `kiosk` (each kiosk sees only its own branch's and its own).
 */
export const CONFIG_KEYS = ['fleet', 'branch', 'kiosk'] as const;
export const ConfigKey = z.enum(CONFIG_KEYS);
export type ConfigKey = z.infer<typeof ConfigKey>;

const ChangeBase = { seq: Seq.min(1), key: z.string().min(1).max(300), hash: Sha256Hex };

export const DeleteChange = z.strictObject({ ...ChangeBase, op: z.literal('delete'), kind: EntityKind });
export const PutChange = z.discriminatedUnion('kind', [
  z.strictObject({ ...ChangeBase, op: z.literal('put'), kind: z.literal('blob'), data: BlobRef }),
  z.strictObject({ ...ChangeBase, op: z.literal('put'), kind: z.literal('category'), data: CategoryRecord }),
  z.strictObject({ ...ChangeBase, op: z.literal('put'), kind: z.literal('synonyms'), data: SynonymsData }),
  z.strictObject({ ...ChangeBase, op: z.literal('put'), kind: z.literal('article'), data: ArticleRecord }),
  z.strictObject({ ...ChangeBase, op: z.literal('put'), kind: z.literal('config'), data: KioskConfigLayer }),
]);
export const Change = z.union([DeleteChange, PutChange]);
export type Change = z.infer<typeof Change>;

/** Count + checksum over every change of one sync (since → to); see checkpointChecksumInput(). */
export const Checkpoint = z.strictObject({
  since: Seq,
  to: Seq,
  count: z.number().int().min(0),
  checksum: Sha256Hex,
});
export type Checkpoint = z.infer<typeof Checkpoint>;

const PAGE_FIELDS = {
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  /** Identity of the hub's database: a different one means the kiosk's cursor means nothing. */
  hubId: z.string().min(1).max(64),
  since: Seq,
  after: Seq,
  /** The snapshot this sync converges to (fixed by the first page). */
  to: Seq,
  /** True when `since` is 0: the kiosk replaces its whole KB with the snapshot. */
  full: z.boolean(),
  /** `after` for the next page, or null on the last page. */
  next: Seq.nullable(),
  /** Present on the last page only. */
  checkpoint: Checkpoint.nullable(),
};
const lastPageRule = [(p: { next: number | null; checkpoint: Checkpoint | null }) => (p.next === null) === (p.checkpoint !== null), { message: 'the last page (next: null) and only it carries the checkpoint' }] as const;

/** A change before its data is validated (the kiosk hashes the data exactly as sent). */
export const ChangeEnvelope = z
  .strictObject({ ...ChangeBase, op: z.enum(['put', 'delete']), kind: EntityKind, data: z.unknown().optional() })
  .refine((c) => (c.op === 'put') === (c.data !== undefined), { message: 'a put carries data and a delete does not' });

export const SyncPageEnvelope = z.strictObject({ ...PAGE_FIELDS, changes: z.array(ChangeEnvelope).max(SYNC_LIMITS.maxPageChanges) }).refine(...lastPageRule);

export const SyncPage = z.strictObject({ ...PAGE_FIELDS, changes: z.array(Change).max(SYNC_LIMITS.maxPageChanges) }).refine(...lastPageRule);
export type SyncPage = z.infer<typeof SyncPage>;

/** A number in a query string (text on the wire; a caller may pass the number). */
const queryNumber = <S extends z.ZodNumber>(s: S) => z.coerce.number<number | string>().pipe(s);

/** Query of GET /v1/sync/changes. */
export const SyncQuery = z.strictObject({
  since: queryNumber(Seq),
  after: queryNumber(Seq).optional(),
  to: queryNumber(Seq).optional(),
  limit: queryNumber(z.number().int().min(1).max(SYNC_LIMITS.maxPageChanges)).optional(),
});
export type SyncQuery = z.infer<typeof SyncQuery>;

/** Every hub error, any endpoint: `{ error: { code, message, details?, horizon?, retryAfterSec? } }`. */
export const HubErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    /** reset_required: the oldest cursor the hub can still serve incrementally. */
    horizon: z.number().optional(),
    /** rate_limited (identification): when asking again can succeed. */
    retryAfterSec: z.number().optional(),
  }),
});
export type HubErrorBody = z.infer<typeof HubErrorBody>;

export const SYNC_ERROR_CODES = {
  /** 410: the cursor is older than the tombstone horizon (or from another hub): sync from 0. */
  resetRequired: 'reset_required',
  /** 409: the snapshot `to` was compacted away mid-sync: start again from the committed cursor. */
  snapshotExpired: 'snapshot_expired',
} as const;

/** Deterministic JSON: object keys sorted, no whitespace. Both ends hash exactly this text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    if (value === undefined) throw new TypeError('canonicalJson: undefined');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The text whose sha256 is a change's `hash`. seq is not part of it (the same content keeps its hash). */
export function changeHashInput(c: { kind: string; key: string; op: string; data?: unknown }): string {
  return canonicalJson({ kind: c.kind, key: c.key, op: c.op, data: c.op === 'put' ? c.data : null });
}

/** One line per change, in seq order; the checkpoint checksum is sha256 of all lines concatenated. */
export function checkpointLine(seq: number, hash: string): string {
  return `${seq} ${hash}\n`;
}

export const articleKey = (locale: string, id: string) => `${locale}/${id}`;
export const categoryKey = articleKey;
export const SYNONYMS_KEY = 'all';

/** Blob digests an article body refers to (`![alt](kb-blob:<sha256>)`). */
export function blobRefsOf(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(/kb-blob:([0-9a-f]{64})/g)) out.add(m[1]!);
  return [...out];
}

/** Kiosk status the hub records from each poll (headers), shown by `hub kiosk list`. */
export const KIOSK_HEADERS = {
  appVersion: 'x-kiosk-app-version',
  outboxBacklog: 'x-kiosk-outbox-backlog',
  /** The app updater's state (idle, downloading, downloaded, …): the fleet view shows it. */
  updateState: 'x-kiosk-update-state',
  /** Device health codes (contracts/device-health.ts), e.g. printer:connected:paper-near-end. */
  deviceHealth: 'x-kiosk-device-health',
  /** Seconds since the kiosk core started (whole number, ≤ FLEET_LIMITS.maxUptimeSeconds). */
  uptime: 'x-kiosk-uptime',
} as const;

// ---- hub commands (docs/sync-protocol.md "Hub commands") -------------------------------------

export const FLEET_LIMITS = {
  /** Ten years: a larger uptime is a bogus report and is ignored. */
  maxUptimeSeconds: 10 * 366 * 86_400,
  /** A command first seen by its kiosk longer than this after it was sent is refused as stale. */
  staleAfterSeconds: 24 * 3600,
  /** Open commands served per fetch. */
  maxOpenCommands: 20,
} as const;

export const FLEET_COMMAND_TYPES = ['sync', 'restart', 'update-now'] as const;
export const FleetCommandType = z.enum(FLEET_COMMAND_TYPES);
export type FleetCommandType = z.infer<typeof FleetCommandType>;
export const FleetCommandId = z.string().uuid();
/** pending: not yet reported on; deferred: waiting (e.g. for a customer session to end); the rest are final. */
export const FLEET_COMMAND_STATES = ['pending', 'deferred', 'done', 'refused', 'failed'] as const;
export const FleetCommandState = z.enum(FLEET_COMMAND_STATES);
export type FleetCommandState = z.infer<typeof FleetCommandState>;
export const FINAL_COMMAND_STATES: readonly FleetCommandState[] = ['done', 'refused', 'failed'];

/** GET /v1/fleet/commands: this kiosk's open commands, oldest first. `type` is a plain string so a
 *  kiosk can refuse a type it does not know (a newer hub) instead of failing the whole fetch. */
export const OpenFleetCommand = z.strictObject({
  id: FleetCommandId,
  type: z.string().min(1).max(32),
  state: z.enum(['pending', 'deferred']),
  createdAt: z.string(),
  /** Seconds from sending to the kiosk's first fetch of it (hub clock: kiosk clock skew does not matter). */
  ageSeconds: z.number().int().min(0),
});
export type OpenFleetCommand = z.infer<typeof OpenFleetCommand>;
export const OpenFleetCommands = z.strictObject({ commands: z.array(OpenFleetCommand).max(FLEET_LIMITS.maxOpenCommands) });

/** POST /v1/fleet/commands/<id>/result: idempotent; the first final report wins. */
export const FleetCommandResult = z.strictObject({
  state: z.enum(['deferred', 'done', 'refused', 'failed']),
  detail: z.string().max(500).optional(),
});
export type FleetCommandResult = z.infer<typeof FleetCommandResult>;
export const FleetCommandResultResponse = z.strictObject({
  id: FleetCommandId,
  state: FleetCommandState,
  /** True when this report changed nothing (a retry, or the command was already final). */
  duplicate: z.boolean(),
});
