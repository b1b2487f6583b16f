// The console's view of the fleet (issue 13 §3): the kiosk list with server-side filters, sorting
// and paging (a fleet of 10 000 pages), a kiosk's 24-hour status history, the configuration editor
// (layers, the effective configuration a kiosk computes, field-level errors) and version adoption.
// Branch managers get the same shapes, restricted on the server to their branch.
import { z } from 'zod';
import type { DeviceHealthEntry } from './device-health.ts';
import { BranchName, ConfigTarget, KioskInfo, KioskName } from './hub-routes/admin.ts';
import { KioskConfigLayer } from './sync-config.ts';

/**
 * ok: every device connected with nothing to report (or no devices); warning: all connected, some
 * report a code (paper near end, …); error: a device is not connected. null: never reported.
 */
export const HEALTH_LEVELS = ['ok', 'warning', 'error'] as const;
export const HealthLevel = z.enum(HEALTH_LEVELS);
export type HealthLevel = z.infer<typeof HealthLevel>;

/** The same classification the hub applies in SQL (hub/fleet/health-level.ts). */
export function healthLevel(entries: readonly DeviceHealthEntry[] | null): HealthLevel | null {
  if (entries === null) return null;
  if (entries.some((e) => e.state !== 'connected')) return 'error';
  return entries.some((e) => e.codes.length > 0) ? 'warning' : 'ok';
}

/**
 * One row of the kiosk list, and the kiosk page's header; also what `kiosk.status` events carry:
 * the admin API's KioskInfo (its uptime as reported at `uptimeAt`: the console adds the time since
 * while online; `head - lastCursor` changes it has not synced yet) plus what the hub derives.
 */
export const KioskSummary = KioskInfo.extend({
  /** Polled within the hub's online threshold (`onlineWithinSeconds` of the list response). */
  online: z.boolean(),
  health: HealthLevel.nullable(),
});
export type KioskSummary = z.infer<typeof KioskSummary>;

const Bool = z.enum(['true', 'false']);
export const KIOSK_SORT_KEYS = ['name', 'branch', 'lastSeenAt', 'appVersion', 'updateState', 'health', 'outboxBacklog', 'uptime', 'lag'] as const;

export const KioskListQuery = z.strictObject({
  /** Part of the kiosk name (case-insensitive). */
  q: z.string().max(64).optional(),
  branch: BranchName.optional(),
  online: Bool.optional(),
  /** `unknown`: never reported. */
  health: z.enum([...HEALTH_LEVELS, 'unknown']).optional(),
  updateState: z
    .string()
    .regex(/^[a-z-]{1,32}$/)
    .optional(),
  appVersion: z.string().max(64).optional(),
  /** true: its last poll was behind the hub's head. */
  behind: Bool.optional(),
  /** active (default), revoked, or all. */
  status: z.enum(['active', 'revoked', 'all']).optional(),
  sort: z.enum(KIOSK_SORT_KEYS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  offset: z.coerce.number<number | string>().pipe(z.number().int().min(0).max(1_000_000)).optional(),
  limit: z.coerce.number<number | string>().pipe(z.number().int().min(1).max(500)).optional(),
});
export type KioskListQuery = z.infer<typeof KioskListQuery>;

/** Counts over every kiosk the caller may see (filters not applied): the list's summary tiles. */
export const FleetCounts = z.strictObject({
  total: z.number(),
  online: z.number(),
  health: z.strictObject({ ok: z.number(), warning: z.number(), error: z.number(), unknown: z.number() }),
  behind: z.number(),
});
export type FleetCounts = z.infer<typeof FleetCounts>;

export const KioskListResponse = z.strictObject({
  kiosks: z.array(KioskSummary),
  /** Kiosks matching the filters (for paging). */
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
  /** The hub's change-log head: a kiosk is behind when its lastCursor is smaller. */
  head: z.number(),
  onlineWithinSeconds: z.number(),
  counts: FleetCounts,
});
export type KioskListResponse = z.infer<typeof KioskListResponse>;

export const KioskNameParams = z.strictObject({ name: KioskName });

export const KioskResponse = z.strictObject({ kiosk: KioskSummary, head: z.number(), onlineWithinSeconds: z.number() });
export type KioskResponse = z.infer<typeof KioskResponse>;

/** Enrol a kiosk (CreateKioskRequest): the device token is in this answer only (the hub keeps its hash). */
export const EnrolKioskResponse = z.strictObject({ kiosk: KioskSummary, token: z.string() });

// ---- status history ------------------------------------------------------------------------

export const HistoryQuery = z.strictObject({
  hours: z.coerce.number<number | string>().pipe(z.number().int().min(1).max(24)).optional(),
});

/**
 * One bucket (HISTORY_BUCKET_SECONDS) of a kiosk's polls; a missing bucket means no poll in it.
 * health is the worst level reported in the bucket, deviceHealth the last report, outboxBacklog
 * the largest.
 */
export const StatusBucket = KioskSummary.pick({ appVersion: true, updateState: true, health: true, deviceHealth: true, outboxBacklog: true, lastCursor: true }).extend({
  start: z.string(),
  polls: z.number(),
});
export type StatusBucket = z.infer<typeof StatusBucket>;

export const HISTORY_BUCKET_SECONDS = 300;
export const HISTORY_KEEP_HOURS = 24;

export const HistoryResponse = z.strictObject({
  kiosk: z.string(),
  bucketSeconds: z.number(),
  from: z.string(),
  to: z.string(),
  buckets: z.array(StatusBucket),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

// ---- configuration editor ------------------------------------------------------------------

/** The effective configuration: defaults ← fleet ← branch ← kiosk (mergeKioskConfig). */
export const EffectiveConfig = KioskConfigLayer.extend({ branchName: z.string().max(100) });

export const CONFIG_SOURCES = ['default', 'fleet', 'branch', 'kiosk'] as const;

export const ConfigQuery = z
  .strictObject({
    scope: z.enum(['fleet', 'branch', 'kiosk']),
    /** The branch or kiosk name (not for fleet). */
    name: KioskName.optional(),
  })
  .refine((q) => q.scope === 'fleet' || q.name !== undefined, { message: 'a branch or kiosk target needs its name', path: ['name'] });

/** ?scope=kiosk&name=k1 → the target it names. */
export function configTargetOf(q: z.infer<typeof ConfigQuery>): ConfigTarget {
  if (q.scope === 'fleet') return { scope: 'fleet' };
  return q.scope === 'branch' ? { scope: 'branch', branch: q.name! } : { scope: 'kiosk', kiosk: q.name! };
}

export const ConfigView = z.strictObject({
  target: ConfigTarget,
  /** This target's own layer, and a hash of it to send back as expectedHash (null: none set). */
  layer: KioskConfigLayer.nullable(),
  hash: z.string().nullable(),
  /** The layers beneath it: fleet for a branch; fleet and the kiosk's branch for a kiosk. */
  inherited: z.strictObject({ fleet: KioskConfigLayer.nullable(), branch: KioskConfigLayer.nullable() }),
  /** What a kiosk under this target runs (for a branch or the fleet: one without its own layer). */
  effective: EffectiveConfig,
  /** Which layer each top-level field of `effective` comes from. */
  sources: z.record(z.string(), z.enum(CONFIG_SOURCES)),
});
export type ConfigView = z.infer<typeof ConfigView>;

export const WriteConfigRequest = z.strictObject({
  target: ConfigTarget,
  /** The new layer; null removes it. Validated by the same schema the kiosk applies. */
  config: KioskConfigLayer.nullable(),
  /** The hash this edit started from (null: there was none); a different current layer → 409. */
  expectedHash: z.string().max(128).nullable().optional(),
  /** Validate and answer the resulting view without publishing. */
  dryRun: z.boolean().optional(),
});
export type WriteConfigRequest = z.infer<typeof WriteConfigRequest>;

export const WriteConfigResponse = z.strictObject({
  view: ConfigView,
  /** The publish (revision, head), or null for a dry run or no change. */
  published: z.strictObject({ revision: z.number(), head: z.number() }).nullable(),
});

// ---- adoption ------------------------------------------------------------------------------

export const AdoptionQuery = z.strictObject({ branch: BranchName.optional() });

export const VersionAdoption = z.strictObject({
  /** null: kiosks that never reported a version. */
  version: z.string().nullable(),
  kiosks: z.number(),
  online: z.number(),
  /** Kiosks on this version per reported update state (idle, downloading, waiting-for-window, …). */
  updateStates: z.record(z.string(), z.number()),
});

export const AdoptionResponse = z.strictObject({
  total: z.number(),
  /** Newest version first (semver order), null last. */
  versions: z.array(VersionAdoption),
});
export type AdoptionResponse = z.infer<typeof AdoptionResponse>;
