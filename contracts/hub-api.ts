// The hub's admin API (central IT): request and response shapes. The kiosk-facing endpoints are in
// sync-protocol.ts and outbox.ts. docs/hub-api.md and the OpenAPI file are generated from these.
import { z } from 'zod';
import { OutboxKindSchema } from './outbox.ts';
import { KioskConfigLayer } from './sync-config.ts';
import { DeviceHealthEntry } from './device-health.ts';
import { FleetCommandState, FleetCommandType } from './sync-protocol.ts';

export const KioskName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'name may use letters, digits, . _ - and must start with a letter or digit');
export const BranchName = KioskName;

export const CreateKioskRequest = z.strictObject({ name: KioskName, branch: BranchName.optional() });
export type CreateKioskRequest = z.infer<typeof CreateKioskRequest>;

export const KioskInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  branch: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  /** The cursor the kiosk last polled with: how far behind the hub's head it is. */
  lastCursor: z.number().nullable(),
  appVersion: z.string().nullable(),
  outboxBacklog: z.number().nullable(),
  updateState: z.string().nullable(),
  /** Each device's kind, state and codes as last reported (null: never reported). */
  deviceHealth: z.array(DeviceHealthEntry).nullable(),
  /** Core uptime in seconds as last reported, and when (null: never reported). */
  uptimeSeconds: z.number().nullable(),
  uptimeAt: z.string().nullable(),
});
export type KioskInfo = z.infer<typeof KioskInfo>;

/** Returned once, when the kiosk is created: the hub keeps only a hash of the token. */
export const CreateKioskResponse = z.strictObject({ kiosk: KioskInfo, token: z.string() });

/** Where a configuration layer applies. */
export const ConfigTarget = z.union([
  z.strictObject({ scope: z.literal('fleet') }),
  z.strictObject({ scope: z.literal('branch'), branch: BranchName }),
  z.strictObject({ scope: z.literal('kiosk'), kiosk: KioskName }),
]);
export type ConfigTarget = z.infer<typeof ConfigTarget>;

export const SetConfigRequest = z.strictObject({ target: ConfigTarget, config: KioskConfigLayer });
export type SetConfigRequest = z.infer<typeof SetConfigRequest>;

export const PublishSummary = z.strictObject({
  revision: z.number(),
  /** Head sequence after publishing; equals the previous head when nothing changed. */
  head: z.number(),
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  removed: z.number(),
  blobs: z.number(),
});
export type PublishSummary = z.infer<typeof PublishSummary>;

export const InboxEntry = z.strictObject({
  key: z.string(),
  kind: OutboxKindSchema,
  kiosk: z.string(),
  createdAt: z.string(),
  receivedAt: z.string(),
  payload: z.unknown(),
});
export type InboxEntry = z.infer<typeof InboxEntry>;

export const ListQuery = z.strictObject({
  limit: z.coerce.number().pipe(z.number().int().min(1).max(1000)).optional(),
  noResults: z.enum(['true', 'false', '1', '0']).optional(),
  locale: z.string().max(16).optional(),
});

export const SearchStat = z.strictObject({ locale: z.string(), query: z.string(), count: z.number(), noResults: z.number(), lastAt: z.string() });
export type SearchStat = z.infer<typeof SearchStat>;

export const HealthResponse = z.strictObject({ ok: z.literal(true), hubId: z.string(), head: z.number(), db: z.enum(['sqlite', 'postgres']) });

/** POST /v1/admin/gc: drop superseded rows and tombstones older than this. */
export const GcRequest = z.strictObject({ olderThanDays: z.number().min(0).max(3650).default(30) });

/** POST /v1/admin/kiosks/<name>/commands. */
export const CreateCommandRequest = z.strictObject({ type: FleetCommandType });
export type CreateCommandRequest = z.infer<typeof CreateCommandRequest>;

export const CommandInfo = z.strictObject({
  id: z.string(),
  kiosk: z.string(),
  type: z.string(),
  state: FleetCommandState,
  /** The kiosk's reason (refused, failed, deferred) or outcome note (done). */
  detail: z.string().nullable(),
  createdAt: z.string(),
  /** When the kiosk first fetched it (null: not yet). */
  seenAt: z.string().nullable(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type CommandInfo = z.infer<typeof CommandInfo>;
