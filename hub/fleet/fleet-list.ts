// The kiosk list of the console: filters, sorting and paging done by the database (a fleet of
// 10 000 kiosks is one page of 50 at a time, never shipped whole), restricted to the caller's
// scope. Online = polled within `onlineWithinSeconds`; behind = its last poll's cursor < head.
import { sql, type SelectQueryBuilder } from 'kysely';
import { healthLevel, type FleetCounts, type KioskListQuery, type KioskListResponse, type KioskSummary } from '../../contracts/fleet-view.ts';
import type { HubTx } from '../db/open.ts';
import type { HubSchema, KiosksTable } from '../db/schema.ts';
import { FleetError, findKiosk, kioskInfo } from './kiosks.ts';
import { kioskInScope, type FleetScope } from './scope.ts';

export interface FleetClock {
  /** The hub's head sequence (HeadWatcher). */
  head: number;
  now: number;
  onlineWithinSeconds: number;
}

export const onlineCutoff = (clock: Pick<FleetClock, 'now' | 'onlineWithinSeconds'>) => new Date(clock.now - clock.onlineWithinSeconds * 1000).toISOString();

export function kioskSummary(r: KiosksTable, clock: Pick<FleetClock, 'now' | 'onlineWithinSeconds'>): KioskSummary {
  const info = kioskInfo(r);
  return { ...info, online: r.revoked_at === null && r.last_seen_at !== null && r.last_seen_at >= onlineCutoff(clock), health: healthLevel(info.deviceHealth) };
}

type KioskQuery<O = object> = SelectQueryBuilder<HubSchema, 'kiosks', O>;

/** LIKE pattern for "contains", with the wildcards in the text escaped. */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function applyFilters(q: KioskQuery, f: KioskListQuery, clock: FleetClock): KioskQuery {
  const status = f.status ?? 'active';
  if (status === 'active') q = q.where('revoked_at', 'is', null);
  if (status === 'revoked') q = q.where('revoked_at', 'is not', null);
  if (f.q) q = q.where(sql<boolean>`lower(name) LIKE ${containsPattern(f.q)} ESCAPE '\\'`);
  if (f.branch) q = q.where('branch', '=', f.branch);
  if (f.online === 'true') q = q.where('last_seen_at', '>=', onlineCutoff(clock)).where('revoked_at', 'is', null);
  if (f.online === 'false') q = q.where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', onlineCutoff(clock)), eb('revoked_at', 'is not', null)]));
  if (f.health === 'unknown') q = q.where('health', 'is', null);
  else if (f.health) q = q.where('health', '=', f.health);
  if (f.updateState) q = q.where('update_state', '=', f.updateState);
  if (f.appVersion) q = q.where('app_version', '=', f.appVersion);
  if (f.behind === 'true') q = q.where('last_cursor', '<', clock.head);
  if (f.behind === 'false') q = q.where('last_cursor', '>=', clock.head);
  return q;
}

/** Sort keys → the expression sorted on (nulls last either way; name breaks ties). */
const SORT_BY = {
  branch: sql.ref('branch'),
  lastSeenAt: sql.ref('last_seen_at'),
  appVersion: sql.ref('app_version_key'),
  updateState: sql.ref('update_state'),
  health: sql`CASE health WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'ok' THEN 1 END`,
  outboxBacklog: sql.ref('outbox_backlog'),
  uptime: sql.ref('uptime_seconds'),
  // most behind first when descending: the smallest cursor
  lag: sql`-last_cursor`,
} as const;

function applySort<O>(q: KioskQuery<O>, f: KioskListQuery): KioskQuery<O> {
  const desc = f.order === 'desc';
  const key = f.sort ?? 'name';
  if (key === 'name') return q.orderBy('name', desc ? 'desc' : 'asc');
  const expr = SORT_BY[key];
  return q
    .orderBy(sql`(${expr}) IS NULL`)
    .orderBy(sql`${expr} ${desc ? sql`DESC` : sql`ASC`}`)
    .orderBy('name', 'asc');
}

export async function countFleet(db: HubTx, scope: FleetScope, clock: FleetClock): Promise<FleetCounts> {
  const cutoff = onlineCutoff(clock);
  const r = await db
    .selectFrom('kiosks')
    .where('revoked_at', 'is', null)
    .where(kioskInScope(scope))
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(CASE WHEN last_seen_at >= ${cutoff} THEN 1 ELSE 0 END)`.as('online'),
      sql<number>`sum(CASE WHEN health = 'ok' THEN 1 ELSE 0 END)`.as('ok'),
      sql<number>`sum(CASE WHEN health = 'warning' THEN 1 ELSE 0 END)`.as('warning'),
      sql<number>`sum(CASE WHEN health = 'error' THEN 1 ELSE 0 END)`.as('error'),
      sql<number>`sum(CASE WHEN health IS NULL THEN 1 ELSE 0 END)`.as('unknown'),
      sql<number>`sum(CASE WHEN last_cursor < ${clock.head} THEN 1 ELSE 0 END)`.as('behind'),
    ])
    .executeTakeFirstOrThrow();
  const n = (v: unknown) => Number(v ?? 0);
  return { total: n(r.total), online: n(r.online), health: { ok: n(r.ok), warning: n(r.warning), error: n(r.error), unknown: n(r.unknown) }, behind: n(r.behind) };
}

export async function listFleet(db: HubTx, scope: FleetScope, query: KioskListQuery, clock: FleetClock): Promise<KioskListResponse> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  const base = applyFilters(db.selectFrom('kiosks').where(kioskInScope(scope)), query, clock);
  const [rows, total, counts] = await Promise.all([
    applySort(base.selectAll(), query).limit(limit).offset(offset).execute(),
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    countFleet(db, scope, clock),
  ]);
  return {
    kiosks: rows.map((r) => kioskSummary(r, clock)),
    total: Number(total.n),
    offset,
    limit,
    head: clock.head,
    onlineWithinSeconds: clock.onlineWithinSeconds,
    counts,
  };
}

/** One kiosk the caller may see; a kiosk outside their scope is "not found", like a missing one. */
export async function kioskInScopeByName(db: HubTx, scope: FleetScope, name: string): Promise<KiosksTable> {
  const row = await findKiosk(db, name);
  if (!row || (scope.kind === 'branch' && (scope.branch === null || row.branch !== scope.branch))) throw new FleetError(`no kiosk named '${name}'`, 'not_found');
  return row;
}
