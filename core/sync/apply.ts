// Applies a verified, fully staged sync to the KB in ONE transaction: blobs, categories,
// synonyms, articles with their search index, configuration, and the new cursor. Either all of it
// commits or none of it does; a kill -9 at any moment leaves the KB at the previous checkpoint or
// at this one, never between. Every KB write goes through the store (which keeps its indexes in
// step); the cursor is sync's own row (state.ts), committed in the store's transaction.
import { blobRefsOf, type BlobRef, type Checkpoint, type SynonymsData } from '../../contracts/sync-protocol.ts';
import type { ArticleRecord, CategoryRecord } from '../../contracts/kb-bundle.ts';
import type { KioskConfigLayer } from '../../contracts/sync-config.ts';
import { articleHash, type KbStore } from '../kb/store.ts';
import { SyncError } from '../hub-client/errors.ts';
import { commitCheckpoint } from './state.ts';

export interface ParsedChange {
  seq: number;
  kind: 'blob' | 'category' | 'synonyms' | 'article' | 'config';
  key: string;
  op: 'put' | 'delete';
  data: unknown;
}

export interface ApplySummary {
  articles: { put: number; deleted: number };
  categories: { put: number; deleted: number };
  blobs: number;
  synonyms: boolean;
  config: number;
  reindexed: boolean;
}

export const CONFIG_PREFIX = 'hub:';

function splitKey(key: string): { locale: string; id: string } {
  const i = key.indexOf('/');
  if (i <= 0) throw new SyncError('protocol', `malformed entity key '${key.slice(0, 100)}'`);
  return { locale: key.slice(0, i), id: key.slice(i + 1) };
}

export function applySync(store: KbStore, changes: readonly ParsedChange[], meta: { full: boolean; hubId: string; checkpoint: Checkpoint }): ApplySummary {
  const by = (kind: ParsedChange['kind']) => changes.filter((c) => c.kind === kind);
  const summary: ApplySummary = { articles: { put: 0, deleted: 0 }, categories: { put: 0, deleted: 0 }, blobs: 0, synonyms: false, config: 0, reindexed: false };

  store.transaction(() => {
    // Blob rows first: article_blobs references them. The files were fetched before; check again
    // inside the transaction (a concurrent GC could have removed an unreferenced file).
    for (const c of by('blob')) {
      if (c.op !== 'put') continue;
      const b = c.data as BlobRef;
      if (!store.blobs.has(b.sha256)) throw new SyncError('digest', `blob ${b.sha256.slice(0, 12)}… is missing from the blob store; sync again`);
      store.registerBlob(b.sha256, b.mediaType, b.size);
      summary.blobs++;
    }

    const snapshotCategories = new Set<string>();
    for (const c of by('category')) {
      const { locale, id } = splitKey(c.key);
      if (c.op === 'put') {
        store.upsertCategory(c.data as CategoryRecord);
        snapshotCategories.add(`${locale}\u0000${id}`);
        summary.categories.put++;
      } else summary.categories.deleted += store.deleteCategory(id, locale);
    }
    if (meta.full) summary.categories.deleted += store.deleteCategoriesNotIn(snapshotCategories);

    // Synonyms before articles: the index writer tokenises with the new lexicon.
    const synonyms = by('synonyms');
    if (synonyms.length > 0 || (meta.full && store.synonymGroups().length > 0)) {
      const last = synonyms[synonyms.length - 1];
      store.replaceSynonyms(last && last.op === 'put' ? (last.data as SynonymsData).groups : []);
      summary.synonyms = true;
    }

    const existing = store.articleHashes();
    const touched = new Set<number>();
    const snapshotArticles = new Set<string>();
    for (const c of by('article')) {
      const { locale, id } = splitKey(c.key);
      const k = `${locale}\u0000${id}`;
      const before = existing.get(k);
      if (c.op === 'delete') {
        if (before) {
          store.deleteArticle(before.rowid);
          summary.articles.deleted++;
        }
        continue;
      }
      snapshotArticles.add(k);
      const record = c.data as ArticleRecord;
      // A full sync re-sends everything; skip rows that are already exactly this (index included).
      if (before && before.hash === articleHash(record) && !summary.synonyms) continue;
      const refs = blobRefsOf(record.body);
      for (const sha of refs) {
        if (!store.hasBlobRow(sha)) {
          throw new SyncError('protocol', `article '${id}' (${locale}) refers to blob ${sha.slice(0, 12)}…, which the sync did not provide`);
        }
      }
      touched.add(store.upsertArticle(record, refs));
      summary.articles.put++;
    }
    if (meta.full) {
      for (const [k, { rowid }] of existing) {
        if (snapshotArticles.has(k)) continue;
        store.deleteArticle(rowid);
        summary.articles.deleted++;
      }
    }
    if (summary.synonyms) {
      if (store.articleCount() > touched.size) {
        store.reindexAll();
        summary.reindexed = true;
      }
    }

    const now = new Date().toISOString();
    if (meta.full) store.deleteConfigPrefix(CONFIG_PREFIX);
    for (const c of by('config')) {
      if (c.op === 'put') store.setConfig(CONFIG_PREFIX + c.key, c.data as KioskConfigLayer, now);
      else store.deleteConfig(CONFIG_PREFIX + c.key);
      summary.config++;
    }

    commitCheckpoint(store.db, { hubId: meta.hubId, checkpoint: meta.checkpoint, at: now });
  });
  return summary;
}
