// Serving sync pages. A sync is (since → to]: `to` is the hub's head when the first page is
// served, and every page of that sync reads the snapshot "current as of `to`" — a change that
// was superseded after `to` is still served, one superseded at or before `to` is not. So pages
// are consistent even while IT publishes mid-sync, and a kiosk ends exactly at the hub's state at
// `to`. A full sync (since 0) carries no tombstones: the kiosk replaces its KB with the snapshot.
import { SYNC_LIMITS, SYNC_PROTOCOL_VERSION, checkpointLine, type Checkpoint } from '../../contracts/sync-protocol.ts';
import type { HubTx } from '../db/open.ts';
import type { HeadState } from './head.ts';
import { createHash } from 'node:crypto';

export class SyncRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly horizon?: number,
  ) {
    super(message);
  }
}

export interface PageRequest {
  since: number;
  after: number;
  to: number;
  limit: number;
  scopes: string[];
}

/** Checks a request against the hub's state; returns the resolved page request. */
export function resolvePageRequest(state: HeadState, q: { since: number; after?: number | undefined; to?: number | undefined; limit?: number | undefined }, scopes: string[]): PageRequest {
  const to = q.to ?? state.head;
  const after = q.after ?? q.since;
  if (q.since > state.head) {
    // The kiosk has seen more than this hub ever published: restored backup, other hub.
    throw new SyncRequestError(410, 'reset_required', `cursor ${q.since} is ahead of this hub's head ${state.head}; sync again from 0`, state.tombstoneHorizon);
  }
  if (q.since > 0 && q.since < state.tombstoneHorizon) {
    throw new SyncRequestError(410, 'reset_required', `cursor ${q.since} is older than the tombstone horizon ${state.tombstoneHorizon}; sync again from 0`, state.tombstoneHorizon);
  }
  if (to > state.head) throw new SyncRequestError(400, 'bad_request', `to ${to} is ahead of the hub's head ${state.head}`);
  if (to < state.snapshotHorizon) {
    throw new SyncRequestError(409, 'snapshot_expired', `snapshot ${to} was compacted away (horizon ${state.snapshotHorizon}); start the sync again`);
  }
  if (after < q.since || after > to || q.since > to) throw new SyncRequestError(400, 'bad_request', `need since ≤ after ≤ to (got ${q.since}, ${after}, ${to})`);
  return { since: q.since, after, to, limit: Math.min(q.limit ?? SYNC_LIMITS.defaultPageChanges, SYNC_LIMITS.maxPageChanges), scopes };
}

function visible(db: HubTx, r: { since: number; to: number; scopes: string[] }, from: number) {
  let q = db
    .selectFrom('changes')
    .where('seq', '>', from)
    .where('seq', '<=', r.to)
    .where((eb) => eb.or([eb('superseded_by', 'is', null), eb('superseded_by', '>', r.to)]))
    .where('scope', 'in', r.scopes);
  if (r.since === 0) q = q.where('op', '=', 'put');
  return q;
}

/** The page as JSON text: change data is stored canonical and spliced in verbatim (no re-encoding). */
export async function readPage(db: HubTx, state: HeadState, r: PageRequest): Promise<{ body: string; count: number; next: number | null }> {
  const rows = await visible(db, r, r.after).select(['seq', 'kind', 'key', 'op', 'hash', 'data']).orderBy('seq').limit(r.limit + 1).execute();
  let bytes = 0;
  let take = 0;
  for (const row of rows) {
    if (take >= r.limit || (take > 0 && bytes + (row.data?.length ?? 0) > SYNC_LIMITS.targetPageBytes)) break;
    bytes += row.data?.length ?? 0;
    take++;
  }
  const page = rows.slice(0, take);
  const more = take < rows.length;
  const next = more ? Number(page[page.length - 1]!.seq) : null;
  const changes = page.map(
    (c) =>
      `{"seq":${Number(c.seq)},"kind":${JSON.stringify(c.kind)},"key":${JSON.stringify(c.key)},"op":"${c.op}","hash":"${c.hash}"${c.op === 'put' ? `,"data":${c.data}` : ''}}`,
  );
  const checkpoint = next === null ? JSON.stringify(await computeCheckpoint(db, r)) : 'null';
  const body =
    `{"protocol":${SYNC_PROTOCOL_VERSION},"hubId":${JSON.stringify(state.hubId)},"since":${r.since},"after":${r.after},"to":${r.to},` +
    `"full":${r.since === 0},"changes":[${changes.join(',')}],"next":${next ?? 'null'},"checkpoint":${checkpoint}}`;
  return { body, count: page.length, next };
}

export async function computeCheckpoint(db: HubTx, r: { since: number; to: number; scopes: string[] }): Promise<Checkpoint> {
  const rows = await visible(db, r, r.since).select(['seq', 'hash']).orderBy('seq').execute();
  const h = createHash('sha256');
  for (const row of rows) h.update(checkpointLine(Number(row.seq), row.hash));
  return { since: r.since, to: r.to, count: rows.length, checksum: h.digest('hex') };
}

/** Scopes a kiosk can see. */
export function kioskScopes(kiosk: { id: string; branch: string | null }): string[] {
  return ['', `kiosk:${kiosk.id}`, ...(kiosk.branch ? [`branch:${kiosk.branch}`] : [])];
}
