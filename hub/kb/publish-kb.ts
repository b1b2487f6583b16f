// `hub kb import <bundle>`: publishes a bundle as a new KB revision. By default the bundle is the
// whole KB (articles, categories and blobs it does not contain get tombstones); --merge only adds
// and updates. Unchanged entities produce no change rows. Image bytes go into the blobs table in
// the same transaction as the rows that reference them.
import { articleKey, blobRefsOf, categoryKey, SYNONYMS_KEY, type BlobRef } from '../../contracts/sync-protocol.ts';
import type { PublishSummary } from '../../contracts/hub-routes/admin.ts';
import { nowIso, type HubDb } from '../db/open.ts';
import { currentRows, publishInTx, sha256Hex, type EntityId, type EntityPut } from '../sync/publish.ts';
import { publishError, type BundleProblem, type HubBundle } from './bundle.ts';

export async function publishBundle(hub: HubDb, bundle: HubBundle, options: { merge?: boolean; source?: string } = {}): Promise<PublishSummary> {
  const merge = options.merge ?? false;
  const images = new Map<string, { data: Buffer; mediaType: string }>();
  for (const img of bundle.images.values()) images.set(sha256Hex(img.data), img);

  return hub.write(
    async (trx) => {
      const current = await currentRows(trx, ['blob', 'category', 'synonyms', 'article'], '');
      const live = (kind: string) => new Set(current.filter((r) => r.kind === kind && r.op === 'put').map((r) => r.key));
      const liveCategories = live('category');
      const liveBlobs = live('blob');

      // References: every category an article or category names must exist after publishing.
      const problems: BundleProblem[] = [];
      const categories = new Map(bundle.categories.map((c) => [categoryKey(c.locale, c.id), c]));
      const categoryExists = (locale: string, id: string) => categories.has(categoryKey(locale, id)) || (merge && liveCategories.has(categoryKey(locale, id)));
      for (const c of bundle.categories) {
        if (c.parentId && !categoryExists(c.locale, c.parentId)) {
          problems.push({ file: options.source ?? 'bundle', line: 0, message: `category '${c.id}' names parent '${c.parentId}' (${c.locale}), which does not exist` });
          continue;
        }
        const seen = new Set([c.id]);
        for (let p = c.parentId; p; p = categories.get(categoryKey(c.locale, p))?.parentId) {
          if (seen.has(p)) {
            problems.push({ file: options.source ?? 'bundle', line: 0, message: `category '${c.id}' is its own ancestor (parent cycle)` });
            break;
          }
          seen.add(p);
        }
      }
      const blobPuts = new Map<string, BlobRef>();
      /** Blobs the hub already has that articles of this bundle still use: not re-sent, not removed. */
      const keptBlobs = new Set<string>();
      for (const { record, file, line } of bundle.articles) {
        if (record.categoryId && !categoryExists(record.locale, record.categoryId)) {
          problems.push({ file, line, message: `article '${record.id}' names category '${record.categoryId}' (${record.locale}), which does not exist` });
        }
        for (const sha of blobRefsOf(record.body)) {
          const img = images.get(sha);
          if (img) blobPuts.set(sha, { sha256: sha, mediaType: img.mediaType, size: img.data.length });
          else if (!liveBlobs.has(sha)) problems.push({ file, line, message: `article '${record.id}' refers to blob ${sha.slice(0, 12)}…, which the hub does not have` });
          else keptBlobs.add(sha);
        }
      }
      if (problems.length) throw publishError(problems);

      for (const [sha, img] of images) {
        await trx
          .insertInto('blobs')
          .values({ sha256: sha, media_type: img.mediaType, size: img.data.length, data: img.data, created_at: nowIso() })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
      }

      const puts: EntityPut[] = [];
      for (const [sha, ref] of blobPuts) puts.push({ kind: 'blob', key: sha, scope: '', data: ref });
      for (const c of bundle.categories) puts.push({ kind: 'category', key: categoryKey(c.locale, c.id), scope: '', data: c });
      const hadSynonyms = current.some((r) => r.kind === 'synonyms' && r.op === 'put');
      if (bundle.synonyms.length > 0 || (!merge && hadSynonyms)) {
        const groups = bundle.synonyms.map(({ type: _type, ...g }) => g);
        puts.push({ kind: 'synonyms', key: SYNONYMS_KEY, scope: '', data: { groups } });
      }
      for (const { record } of bundle.articles) puts.push({ kind: 'article', key: articleKey(record.locale, record.id), scope: '', data: record });

      // Invariant the kiosks rely on: a blob entity is live exactly while some live article refers
      // to it (kiosks garbage-collect unreferenced blobs, so a blob must be re-sent when it is used
      // again). In merge mode, articles outside the bundle keep their references.
      const referenced = new Set([...blobPuts.keys(), ...keptBlobs]);
      if (merge) {
        const inBundle = new Set(bundle.articles.map(({ record }) => articleKey(record.locale, record.id)));
        const others = await trx
          .selectFrom('changes')
          .select(['key', 'data'])
          .where('kind', '=', 'article')
          .where('scope', '=', '')
          .where('op', '=', 'put')
          .where('superseded_by', 'is', null)
          .execute();
        for (const o of others) if (!inBundle.has(o.key) && o.data) for (const sha of blobRefsOf((JSON.parse(o.data) as { body: string }).body)) referenced.add(sha);
      }
      const deletes: EntityId[] = [];
      const wanted = new Set(puts.map((p) => `${p.kind}\u0000${p.key}`));
      for (const r of current) {
        if (r.op !== 'put' || r.kind === 'synonyms') continue;
        if (r.kind === 'blob' ? !referenced.has(r.key) : !merge && !wanted.has(`${r.kind}\u0000${r.key}`)) deletes.push(r);
      }
      const existing = new Map(current.map((r) => [`${r.kind}\u0000${r.key}`, r]));
      const articlePuts = puts.filter((p) => p.kind === 'article');
      const result = await publishInTx(hub, trx, { puts, deletes, current }, { kind: 'kb', summary: { source: options.source ?? null, merge } });
      // Per-kind figures for the summary: re-derive from the hashes publishInTx compared.
      const changedArticles = await trx
        .selectFrom('changes')
        .select(['key', 'op'])
        .where('revision', '=', result.revision)
        .where('kind', '=', 'article')
        .execute();
      const fresh = result.puts + result.deletes > 0;
      let added = 0;
      let updated = 0;
      let removed = 0;
      if (fresh) {
        for (const c of changedArticles) {
          if (c.op === 'delete') removed++;
          else if (existing.get(`article\u0000${c.key}`)?.op === 'put') updated++;
          else added++;
        }
      }
      return {
        revision: result.revision,
        head: result.head,
        added,
        updated,
        unchanged: articlePuts.length - added - updated,
        removed,
        blobs: fresh ? (await trx.selectFrom('changes').select('seq').where('revision', '=', result.revision).where('kind', '=', 'blob').where('op', '=', 'put').execute()).length : 0,
      };
    },
    { publish: true },
  );
}
