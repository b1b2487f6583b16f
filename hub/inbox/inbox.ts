// Receiving kiosks' outbox batches. Each item is validated on its own (one bad item fails only
// itself, with a reason the kiosk quarantines it under) and applied at most once: the idempotency
// key is the inbox table's primary key, and the item's effects (the row itself, search statistics)
// commit in the same transaction as that key. A key that arrives again is a 'duplicate' — the kiosk
// drops it as delivered — unless its content differs, which is a kiosk bug and is rejected.
import { sql } from 'kysely';
import { canonicalJson } from '../../contracts/sync-protocol.ts';
import { validateOutboxPayload, type OutboxBatch, type OutboxItemResult, type OutboxKind } from '../../contracts/outbox.ts';
import type { InboxEntry, SearchStat } from '../../contracts/hub-routes/admin.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import { sha256Hex } from '../sync/publish.ts';

export async function acceptBatch(hub: HubDb, kioskId: string, batch: OutboxBatch): Promise<OutboxItemResult[]> {
  const results: OutboxItemResult[] = [];
  const valid: Array<{ key: string; kind: OutboxKind; createdAt: string; payload: string; hash: string; value: unknown }> = [];
  const seenInBatch = new Set<string>();
  for (const item of batch.items) {
    const v = validateOutboxPayload(item.kind, item.payload);
    if (!v.ok) {
      results.push({ key: item.key, status: 'rejected', reason: v.reason });
      continue;
    }
    if (seenInBatch.has(item.key)) {
      results.push({ key: item.key, status: 'duplicate' });
      continue;
    }
    seenInBatch.add(item.key);
    const payload = canonicalJson(v.value);
    valid.push({ key: item.key, kind: v.kind, createdAt: item.createdAt, payload, hash: sha256Hex(`${v.kind}\n${payload}`), value: v.value });
    results.push({ key: item.key, status: 'accepted' });
  }
  if (valid.length === 0) return results;

  await hub.write(async (trx) => {
    const now = nowIso();
    for (const v of valid) {
      const result = results.find((r) => r.key === v.key && r.status === 'accepted')!;
      // ON CONFLICT DO NOTHING: on PostgreSQL a concurrent insert of the same key (a retry racing
      // the original request) waits for the other transaction instead of failing.
      const inserted = await trx
        .insertInto('inbox')
        .values({ key: v.key, kiosk_id: kioskId, kind: v.kind, created_at: v.createdAt, received_at: now, payload: v.payload, payload_hash: v.hash })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!inserted) {
        const prior = await trx.selectFrom('inbox').select(['payload_hash', 'kiosk_id']).where('key', '=', v.key).executeTakeFirstOrThrow();
        if (prior.payload_hash === v.hash && prior.kiosk_id === kioskId) result.status = 'duplicate';
        else {
          result.status = 'rejected';
          result.reason = 'this idempotency key was already used for different content';
        }
        continue;
      }
      if (v.kind === 'search') {
        const s = v.value as { locale: string; query: string; results: number };
        const noResult = s.results === 0 ? 1 : 0;
        await trx
          .insertInto('search_stats')
          .values({ locale: s.locale, query: s.query, count: 1, no_result_count: noResult, last_at: v.createdAt })
          .onConflict((oc) =>
            oc.columns(['locale', 'query']).doUpdateSet((eb) => ({
              count: eb('search_stats.count', '+', 1),
              no_result_count: eb('search_stats.no_result_count', '+', noResult),
              last_at: sql<string>`CASE WHEN excluded.last_at > search_stats.last_at THEN excluded.last_at ELSE search_stats.last_at END`,
            })),
          )
          .execute();
      }
    }
  });
  return results;
}

export async function listInbox(db: HubTx, kind: OutboxKind, limit: number): Promise<InboxEntry[]> {
  const rows = await db
    .selectFrom('inbox')
    .leftJoin('kiosks', 'kiosks.id', 'inbox.kiosk_id')
    .select(['inbox.key', 'inbox.kind', 'inbox.created_at', 'inbox.received_at', 'inbox.payload', 'kiosks.name'])
    .where('inbox.kind', '=', kind)
    .orderBy('inbox.received_at', 'desc')
    .orderBy('inbox.key', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    key: r.key,
    kind: r.kind as OutboxKind,
    kiosk: r.name ?? '(deleted)',
    createdAt: r.created_at,
    receivedAt: r.received_at,
    payload: JSON.parse(r.payload) as unknown,
  }));
}

export async function countInbox(db: HubTx): Promise<number> {
  const r = await db.selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function searchStats(db: HubTx, options: { noResults: boolean; limit: number; locale?: string | undefined }): Promise<SearchStat[]> {
  let q = db.selectFrom('search_stats').selectAll();
  if (options.locale) q = q.where('locale', '=', options.locale);
  if (options.noResults) q = q.where('no_result_count', '>', 0);
  const rows = await q
    .orderBy(options.noResults ? 'no_result_count' : 'count', 'desc')
    .orderBy('query')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({ locale: r.locale, query: r.query, count: Number(r.count), noResults: Number(r.no_result_count), lastAt: r.last_at }));
}
