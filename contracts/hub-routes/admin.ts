// Central IT's API under /v1/admin (today: the shared admin token, role `admin`): kiosks and their
// commands, configuration layers, the inbox and search analytics, compaction, calling queue numbers.
// KB publishing is the CLI's (`hub kb import` reads files); its summary is PublishSummary below.
import { z } from 'zod';
import { DeviceHealthEntry } from '../device-health.ts';
import { OutboxKindSchema } from '../outbox.ts';
import { QueueCallRequest, QueueCallResult } from '../queue.ts';
import { KioskConfigLayer } from '../sync-config.ts';
import { FleetCommandState, FleetCommandType } from '../sync-protocol.ts';
import { ADMIN, json, route } from './define.ts';

// ---- kiosks and commands -----------------------------------------------------------------------

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

/** The query of the admin lists (one schema for all three, as the API has always accepted). */
export const ListQuery = z.strictObject({
  limit: z.coerce
    .number<number | string>()
    .pipe(z.number().int().min(1).max(1000))
    .optional(),
  noResults: z.enum(['true', 'false', '1', '0']).optional(),
  locale: z.string().max(16).optional(),
});

const KioskPath = z.strictObject({ name: z.string() });

// ---- configuration, publishing, compaction -----------------------------------------------------

/** Where a configuration layer applies. */
export const ConfigTarget = z.union([
  z.strictObject({ scope: z.literal('fleet') }),
  z.strictObject({ scope: z.literal('branch'), branch: BranchName }),
  z.strictObject({ scope: z.literal('kiosk'), kiosk: KioskName }),
]);
export type ConfigTarget = z.infer<typeof ConfigTarget>;

export const SetConfigRequest = z.strictObject({ target: ConfigTarget, config: KioskConfigLayer });
export type SetConfigRequest = z.infer<typeof SetConfigRequest>;

/** A change-log publication: its revision, the head after it, and what it changed. */
export const PublishResult = z.strictObject({ revision: z.number(), head: z.number(), puts: z.number(), deletes: z.number(), unchanged: z.number() });

/** `hub kb import`. */
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

/** POST /v1/admin/gc: drop superseded rows and tombstones older than this. */
export const GcRequest = z.strictObject({ olderThanDays: z.number().min(0).max(3650).default(30) });
export const GcResult = z.strictObject({ superseded: z.number(), tombstones: z.number(), blobs: z.number(), snapshotHorizon: z.number(), tombstoneHorizon: z.number() });

// ---- inbox and analytics -----------------------------------------------------------------------

export const InboxEntry = z.strictObject({
  key: z.string(),
  kind: OutboxKindSchema,
  kiosk: z.string(),
  createdAt: z.string(),
  receivedAt: z.string(),
  payload: z.unknown(),
});
export type InboxEntry = z.infer<typeof InboxEntry>;

export const SearchStat = z.strictObject({ locale: z.string(), query: z.string(), count: z.number(), noResults: z.number(), lastAt: z.string() });
export type SearchStat = z.infer<typeof SearchStat>;

// ---- routes ------------------------------------------------------------------------------------

export const ADMIN_ROUTES = {
  'admin.kiosks.list': route({
    method: 'GET',
    path: '/v1/admin/kiosks',
    auth: ADMIN,
    summary: 'list kiosks',
    responses: { 200: json(z.strictObject({ kiosks: z.array(KioskInfo) }), 'kiosks') },
  }),
  'admin.kiosks.create': route({
    method: 'POST',
    path: '/v1/admin/kiosks',
    auth: ADMIN,
    summary: 'add a kiosk; the token is in this response only',
    body: CreateKioskRequest,
    responses: { 201: json(CreateKioskResponse, 'created') },
    errors: { 409: 'name taken' },
    invalid: 'bad kiosk',
  }),
  'admin.kiosks.revoke': route({
    method: 'DELETE',
    path: '/v1/admin/kiosks/:name',
    auth: ADMIN,
    summary: 'revoke a kiosk’s token (running hubs refuse it at once)',
    params: KioskPath,
    responses: { 200: json(z.strictObject({ kiosk: KioskInfo }), 'revoked') },
    errors: { 404: 'no such kiosk' },
  }),
  'admin.kiosks.commands.create': route({
    method: 'POST',
    path: '/v1/admin/kiosks/:name/commands',
    auth: ADMIN,
    summary: 'send the kiosk a command (sync, restart, update-now); it runs after the kiosk’s next poll',
    params: KioskPath,
    body: CreateCommandRequest,
    responses: { 201: json(z.strictObject({ command: CommandInfo }), 'queued') },
    errors: { 404: 'no such kiosk', 409: 'the kiosk is revoked' },
    invalid: 'bad command',
  }),
  'admin.kiosks.commands.list': route({
    method: 'GET',
    path: '/v1/admin/kiosks/:name/commands',
    auth: ADMIN,
    summary: 'the kiosk’s commands with their states, newest first',
    params: KioskPath,
    query: ListQuery,
    responses: { 200: json(z.strictObject({ commands: z.array(CommandInfo) }), 'commands') },
    errors: { 404: 'no such kiosk' },
    invalid: 'bad query',
  }),
  'admin.config.set': route({
    method: 'PUT',
    path: '/v1/admin/config',
    auth: ADMIN,
    summary: 'set a configuration layer (fleet, branch or kiosk); synced like the KB',
    body: SetConfigRequest,
    responses: { 200: json(PublishResult, 'published') },
    errors: { 404: 'no such kiosk' },
    invalid: 'bad configuration',
  }),
  'admin.inbox.list': route({
    method: 'GET',
    path: '/v1/admin/inbox/:kind',
    auth: ADMIN,
    summary: 'received items of one kind (ticket, rating, …), newest first',
    params: z.strictObject({ kind: z.string().meta({ description: `an outbox item kind: ${OutboxKindSchema.options.join(', ')}` }) }),
    query: ListQuery,
    responses: { 200: json(z.strictObject({ items: z.array(InboxEntry) }), 'items') },
    errors: { 404: 'no such item kind' },
    invalid: 'bad query',
  }),
  'admin.analytics.searches': route({
    method: 'GET',
    path: '/v1/admin/analytics/searches',
    auth: ADMIN,
    summary: 'top searches, or those with no result (content gaps)',
    query: ListQuery,
    responses: { 200: json(z.strictObject({ searches: z.array(SearchStat) }), 'statistics') },
    invalid: 'bad query',
  }),
  'admin.gc': route({
    method: 'POST',
    path: '/v1/admin/gc',
    auth: ADMIN,
    summary: 'compact the change log (old tombstones move the reset horizon)',
    // No body: the default retention.
    body: GcRequest.prefault({}),
    responses: { 200: json(GcResult, 'what was dropped, and the new horizons') },
    invalid: 'bad gc request',
  }),
  'admin.queue.call': route({
    method: 'POST',
    path: '/v1/admin/queue/call',
    auth: ADMIN,
    summary: "a counter calls the next number of a branch's service today",
    body: QueueCallRequest,
    responses: { 200: json(QueueCallResult, 'the number called (null: nobody waits)') },
    invalid: 'bad queue call',
  }),
} as const;
