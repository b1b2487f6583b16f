// Imports a KB bundle: all or nothing. References are checked before anything is written; image
// files go to the blob store first (content-addressed, harmless if the import then fails); then one
// transaction writes categories, synonyms, articles and their index.
import { BLOB_URL_PREFIX, type ArticleRecord, type CategoryRecord, type SynonymsRecord } from '../../contracts/kb-bundle.ts';
import { BundleError, MARKDOWN_IMAGE, imageKey, isLocalImageRef, type Bundle, type BundleProblem } from '../../contracts/node/kb-bundle-reader.ts';
import { articleHash, type KbStore } from './store.ts';

export interface ImportOptions {
  /** Remove articles and categories that the bundle does not contain. */
  replace?: boolean;
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  categories: number;
  synonymGroups: number;
  images: number;
}

const key = (locale: string, id: string) => `${locale}\u0000${id}`;

function checkReferences(store: KbStore, bundle: Bundle, replace: boolean): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const categories = new Map<string, CategoryRecord>();
  for (const { record } of bundle.records) if (record.type === 'category') categories.set(key(record.locale, record.id), record);
  const exists = (locale: string, id: string) => categories.has(key(locale, id)) || (!replace && store.categoryExists(id, locale));

  for (const { record, file, line } of bundle.records) {
    if (record.type === 'article' && record.categoryId && !exists(record.locale, record.categoryId)) {
      problems.push({ file, line, message: `article '${record.id}' names category '${record.categoryId}' (${record.locale}), which does not exist` });
    }
    if (record.type === 'category' && record.parentId) {
      if (!exists(record.locale, record.parentId)) {
        problems.push({ file, line, message: `category '${record.id}' names parent '${record.parentId}' (${record.locale}), which does not exist` });
        continue;
      }
      // Walk up the bundle's own parents: a cycle would make the tree unbrowsable.
      const seen = new Set([record.id]);
      for (let p: string | null | undefined = record.parentId; p; p = categories.get(key(record.locale, p))?.parentId) {
        if (seen.has(p)) {
          problems.push({ file, line, message: `category '${record.id}' is its own ancestor (parent cycle)` });
          break;
        }
        seen.add(p);
      }
    }
  }
  return problems;
}

/** Rewrites local image references to kb-blob:<sha256> and stores the files. */
interface StoredBlob {
  sha256: string;
  mediaType: string;
  size: number;
}

function storeImages(store: KbStore, bundle: Bundle, article: ArticleRecord, file: string, stored: StoredBlob[]): { body: string; refs: string[] } {
  const refs: string[] = [];
  const body = article.body.replace(MARKDOWN_IMAGE, (whole, url: string) => {
    if (url.startsWith(BLOB_URL_PREFIX)) {
      refs.push(url.slice(BLOB_URL_PREFIX.length));
      return whole;
    }
    if (!isLocalImageRef(url)) return whole;
    const image = bundle.images.get(imageKey(file, url))!;
    const sha = store.blobs.put(image.data);
    stored.push({ sha256: sha, mediaType: image.mediaType, size: image.data.length });
    refs.push(sha);
    return whole.replace(url, `${BLOB_URL_PREFIX}${sha}`);
  });
  return { body, refs };
}

export function importBundle(store: KbStore, bundle: Bundle, options: ImportOptions = {}): ImportSummary {
  const replace = options.replace ?? false;
  const problems = checkReferences(store, bundle, replace);
  if (problems.length) throw new BundleError(problems);

  const categories: CategoryRecord[] = [];
  const synonyms: SynonymsRecord[] = [];
  const articles: Array<{ record: ArticleRecord; refs: string[] }> = [];
  const blobs: StoredBlob[] = [];
  for (const { record, file } of bundle.records) {
    if (record.type === 'category') categories.push(record);
    else if (record.type === 'synonyms') synonyms.push(record);
    else {
      const { body, refs } = storeImages(store, bundle, record, file, blobs);
      articles.push({ record: { ...record, body }, refs });
    }
  }

  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, removed: 0, categories: categories.length, synonymGroups: 0, images: bundle.images.size };
  store.transaction(() => {
    for (const b of blobs) store.registerBlob(b.sha256, b.mediaType, b.size);
    for (const c of categories) store.upsertCategory(c);

    const synonymsChange = synonyms.length > 0 || (replace && store.synonymGroups().length > 0);
    if (synonymsChange) store.replaceSynonyms(synonyms);
    summary.synonymGroups = store.synonymGroups().length;

    const existing = store.articleHashes();
    const inBundle = new Set<string>();
    for (const { record, refs } of articles) {
      const k = key(record.locale, record.id);
      inBundle.add(k);
      const before = existing.get(k);
      if (before && before.hash === articleHash(record) && !synonymsChange) {
        summary.unchanged++;
        continue;
      }
      store.upsertArticle(record, refs);
      if (before) summary.updated++;
      else summary.added++;
    }
    if (replace) {
      for (const [k, { rowid }] of existing) {
        if (inBundle.has(k)) continue;
        store.deleteArticle(rowid);
        summary.removed++;
      }
      store.deleteCategoriesNotIn(new Set(categories.map((c) => key(c.locale, c.id))));
    }
    // New synonyms change the tokens of every article, not only the ones in this bundle.
    if (synonymsChange) store.reindexAll();
  });
  store.collectGarbageBlobs();
  return summary;
}
