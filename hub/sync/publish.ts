// Publishing: turns "the entities should now be these" into new change rows. An entity whose
// content hash is unchanged gets no new row (kiosks are not sent what they already have); a
// changed one gets a row with the next seq and its previous row is marked superseded; a removed one
// gets a tombstone. All in one locked transaction, so seq order is commit order.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { changeHashInput, canonicalJson, type EntityKind } from '../../contracts/sync-protocol.ts';
import { HEAD_CHANNEL, getMeta, nowIso, setMeta, type HubDb, type HubTx } from '../db/open.ts';

export interface EntityId {
  kind: EntityKind;
  key: string;
  /** '' (everyone), 'branch:<name>' or 'kiosk:<id>'. */
  scope: string;
}

export interface EntityPut extends EntityId {
  data: unknown;
}

export interface PublishResult {
  revision: number;
  head: number;
  puts: number;
  deletes: number;
  unchanged: number;
}

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const idOf = (e: EntityId) => `${e.kind}\u0000${e.scope}\u0000${e.key}`;

export interface CurrentRow extends EntityId {
  seq: number;
  op: 'put' | 'delete';
  hash: string;
}

/** Current (not superseded) rows of the given kinds and scope. */
export async function currentRows(db: HubTx, kinds: readonly EntityKind[], scope: string): Promise<CurrentRow[]> {
  const rows = await db
    .selectFrom('changes')
    .select(['seq', 'kind', 'key', 'scope', 'op', 'hash'])
    .where('superseded_by', 'is', null)
    .where('kind', 'in', kinds as EntityKind[])
    .where('scope', '=', scope)
    .execute();
  return rows.map((r) => ({ ...r, kind: r.kind as EntityKind }));
}

/**
 * Writes the puts and deletes that differ from the current state, inside `trx` (which must hold
 * the publish lock: HubDb.write(fn, { publish: true })). `current` must cover every entity named.
 */
export async function publishInTx(
  hub: HubDb,
  trx: HubTx,
  plan: { puts: readonly EntityPut[]; deletes: readonly EntityId[]; current: readonly CurrentRow[] },
  revision: { kind: 'kb' | 'config'; summary: Record<string, unknown> },
): Promise<PublishResult> {
  const current = new Map(plan.current.map((r) => [idOf(r), r]));
  const rows: Array<{ kind: string; key: string; scope: string; op: 'put' | 'delete'; data: string | null; hash: string; supersedes: number | null }> = [];
  let unchanged = 0;
  for (const p of plan.puts) {
    const data = canonicalJson(p.data);
    const hash = sha256Hex(changeHashInput({ kind: p.kind, key: p.key, op: 'put', data: p.data }));
    const before = current.get(idOf(p));
    if (before && before.op === 'put' && before.hash === hash) {
      unchanged++;
      continue;
    }
    rows.push({ kind: p.kind, key: p.key, scope: p.scope, op: 'put', data, hash, supersedes: before?.seq ?? null });
  }
  for (const d of plan.deletes) {
    const before = current.get(idOf(d));
    if (!before || before.op === 'delete') continue;
    const hash = sha256Hex(changeHashInput({ kind: d.kind, key: d.key, op: 'delete' }));
    rows.push({ kind: d.kind, key: d.key, scope: d.scope, op: 'delete', data: null, hash, supersedes: before.seq });
  }

  const head0 = Number(await getMeta(trx, 'head'));
  const revision0 = Number(await getMeta(trx, 'revision'));
  if (rows.length === 0) return { revision: revision0, head: head0, puts: 0, deletes: 0, unchanged };

  const now = nowIso();
  const revisionId = revision0 + 1;
  const seqOf = (i: number) => head0 + 1 + i;
  // Supersede first: the partial unique index allows one current row per entity.
  const superseding = rows.map((r, i) => [r.supersedes, seqOf(i)] as const).filter((x): x is readonly [number, number] => x[0] !== null);
  if (hub.dialect === 'postgres') {
    for (let i = 0; i < superseding.length; i += 5000) {
      const chunk = superseding.slice(i, i + 5000);
      await sql`UPDATE changes SET superseded_by = u.new_seq, superseded_at = ${now}
        FROM unnest(${chunk.map((c) => c[0])}::bigint[], ${chunk.map((c) => c[1])}::bigint[]) AS u(old_seq, new_seq)
        WHERE changes.seq = u.old_seq`.execute(trx);
    }
  } else {
    for (const [oldSeq, newSeq] of superseding) {
      await trx.updateTable('changes').set({ superseded_by: newSeq, superseded_at: now }).where('seq', '=', oldSeq).execute();
    }
  }
  const values = rows.map((r, i) => ({
    seq: seqOf(i),
    kind: r.kind,
    key: r.key,
    scope: r.scope,
    op: r.op,
    data: r.data,
    hash: r.hash,
    revision: revisionId,
    created_at: now,
    superseded_by: null,
    superseded_at: null,
  }));
  for (let i = 0; i < values.length; i += 500) await trx.insertInto('changes').values(values.slice(i, i + 500)).execute();

  const head = seqOf(rows.length - 1);
  const puts = rows.filter((r) => r.op === 'put').length;
  const result: PublishResult = { revision: revisionId, head, puts, deletes: rows.length - puts, unchanged };
  await trx
    .insertInto('revisions')
    .values({ id: revisionId, kind: revision.kind, created_at: now, head, summary: JSON.stringify({ ...revision.summary, ...result }) })
    .execute();
  await setMeta(trx, 'head', String(head));
  await setMeta(trx, 'revision', String(revisionId));
  // Delivered on commit: running servers learn the new head without polling the database.
  if (hub.dialect === 'postgres') await sql`SELECT pg_notify(${HEAD_CHANNEL}, ${String(head)})`.execute(trx);
  return result;
}
