// The local KB: articles, categories, synonyms, images, config, stats — and the indexes it was
// given (core/search/'s lexical index; kb-index.ts), always changed in the same transaction
// (callers wrap writes in store.transaction()). Opened with its indexes by core/kiosk-db.ts.
import { createHash } from 'node:crypto';
import type { ArticleRecord, CategoryRecord } from '../../contracts/kb-bundle.ts';
import type { ArticleSummary } from '../../contracts/kiosk-api.ts';
import type { Db } from '../db/open.ts';
import { BlobStore } from './blob-store.ts';
import type { Statement } from 'better-sqlite3';
import type { IndexableArticle, KbIndex, SynonymGroup } from './kb-index.ts';

/** An article as stored: what an index sees, plus its id and date. */
export interface ArticleRow extends IndexableArticle {
  id: string;
  tags: string[];
  questions: string[];
  updatedAt: string | null;
}

export interface CategoryRow {
  id: string;
  locale: string;
  parentId: string | null;
  title: string;
  order: number;
}

interface RawArticle {
  rowid: number;
  id: string;
  locale: string;
  category_id: string | null;
  title: string;
  body: string;
  tags: string;
  questions: string;
  updated_at: string | null;
}

const KNOWN_ARTICLE_FIELDS = new Set(['type', 'id', 'locale', 'categoryId', 'title', 'body', 'tags', 'questions', 'updatedAt']);
const KNOWN_CATEGORY_FIELDS = new Set(['type', 'id', 'parentId', 'locale', 'title', 'order']);

function extraFields(record: Record<string, unknown>, known: Set<string>): string | null {
  const extra = Object.fromEntries(Object.entries(record).filter(([k]) => !known.has(k)));
  return Object.keys(extra).length ? JSON.stringify(extra) : null;
}

/**
 * Customers sometimes type an ID or phone number into search. Statistics keep no personal data:
 * digit runs of 5 or more (phone, ID, card numbers) and e-mail addresses are masked.
 */
export function scrubPersonalData(text: string): string {
  return text.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]').replace(/\d[\d\s-]{3,}\d[xX]?/g, (m) => (m.replace(/\D/g, '').length >= 5 ? '[number]' : m));
}

/** An article (row or search hit) as the kiosk API lists it. */
export const articleSummary = (a: { id: string; categoryId: string | null; title: string }): ArticleSummary => ({ id: a.id, categoryId: a.categoryId, title: a.title });

export function articleHash(a: ArticleRecord): string {
  return createHash('sha256').update(JSON.stringify(a)).digest('hex');
}

const toArticle = (r: RawArticle): ArticleRow => ({
  rowid: r.rowid,
  id: r.id,
  locale: r.locale,
  categoryId: r.category_id,
  title: r.title,
  body: r.body,
  tags: JSON.parse(r.tags) as string[],
  questions: JSON.parse(r.questions) as string[],
  updatedAt: r.updated_at,
});

export class KbStore {
  readonly blobs: BlobStore;
  /** Kept in step with every article write (kb-index.ts). */
  readonly indexes: readonly KbIndex[];
  /** Bumped on every committed write, so caches (the searcher's) know when to refresh. */
  private generation = 0;
  /** Synonym groups were replaced in the transaction under way (the indexes heard of it). */
  private synonymsReplaced = false;

  constructor(
    readonly db: Db,
    blobDir: string,
    options: { indexes: readonly KbIndex[] },
  ) {
    this.blobs = new BlobStore(blobDir);
    this.indexes = options.indexes;
    if (this.indexes.length) this.announceSynonyms();
  }

  /**
   * An index built by another version (an app update changed tokenisation, or a migration created
   * the index under existing articles): rebuilt, once, on open (core/kiosk-db.ts calls this).
   */
  reindexStale(): void {
    const stale = this.indexes.filter((ix) => (this.sql('SELECT value FROM meta WHERE key = ?').get(ix.versionKey) as { value: string } | undefined)?.value !== ix.version);
    if (stale.length === 0) return;
    this.transaction(() => {
      this.reindexAll(stale);
      for (const ix of stale) this.sql('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(ix.versionKey, ix.version);
    });
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private readonly statements = new Map<string, Statement>();

  /** A prepared statement, compiled once per SQL text (preparing costs more than running). */
  sql(text: string): Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  get version(): number {
    return this.generation;
  }

  transaction<T>(fn: () => T): T {
    this.synonymsReplaced = false;
    try {
      const result = this.db.transaction(fn).immediate();
      this.generation++;
      return result;
    } catch (err) {
      // Rolled back: the indexes must not keep synonyms that were never committed.
      if (this.synonymsReplaced) this.announceSynonyms();
      throw err;
    } finally {
      this.synonymsReplaced = false;
    }
  }

  private announceSynonyms(): void {
    const groups = this.synonymGroups();
    for (const ix of this.indexes) ix.synonymsChanged(groups);
  }

  // ---- reads -------------------------------------------------------------------------------

  isEmpty(): boolean {
    return !this.sql('SELECT 1 FROM articles LIMIT 1').get();
  }

  getArticle(id: string, locale: string): ArticleRow | null {
    const r = this.sql('SELECT * FROM articles WHERE id = ? AND locale = ?').get(id, locale) as RawArticle | undefined;
    return r ? toArticle(r) : null;
  }

  articlesByRowid(rowids: readonly number[]): Map<number, ArticleRow> {
    const out = new Map<number, ArticleRow>();
    if (rowids.length === 0) return out;
    const rows = this.sql('SELECT * FROM articles WHERE rowid IN (SELECT value FROM json_each(?))').all(JSON.stringify(rowids)) as RawArticle[];
    for (const r of rows) out.set(r.rowid, toArticle(r));
    return out;
  }

  articleHashes(): Map<string, { rowid: number; hash: string }> {
    const rows = this.sql('SELECT rowid, id, locale, content_hash FROM articles').all() as Array<{ rowid: number; id: string; locale: string; content_hash: string }>;
    return new Map(rows.map((r) => [`${r.locale}\u0000${r.id}`, { rowid: r.rowid, hash: r.content_hash }]));
  }

  listArticles(locale: string, categoryId?: string): ArticleRow[] {
    const rows = (
      categoryId === undefined
        ? this.sql('SELECT * FROM articles WHERE locale = ? ORDER BY title').all(locale)
        : this.sql('SELECT * FROM articles WHERE locale = ? AND category_id IS ? ORDER BY title').all(locale, categoryId)
    ) as RawArticle[];
    return rows.map(toArticle);
  }

  listCategories(locale: string): CategoryRow[] {
    return this
      .sql('SELECT id, locale, parent_id AS parentId, title, sort_order AS "order" FROM categories WHERE locale = ? ORDER BY sort_order, title')
      .all(locale) as CategoryRow[];
  }

  /** A category and all categories below it (for filters). */
  categorySubtree(categoryId: string, locale: string): string[] {
    const rows = this
      .sql(
        `WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id WHERE c.locale = ?)
         SELECT id FROM sub`,
      )
      .all(categoryId, locale) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  synonymGroups(): SynonymGroup[] {
    const rows = this.sql('SELECT id, terms FROM synonym_groups ORDER BY id').all() as Array<{ id: number; terms: string }>;
    return rows.map((r) => ({ key: `k${r.id}`, terms: JSON.parse(r.terms) as string[] }));
  }

  categoryExists(id: string, locale: string): boolean {
    return !!this.sql('SELECT 1 FROM categories WHERE id = ? AND locale = ?').get(id, locale);
  }

  articleCount(): number {
    return (this.sql('SELECT count(*) n FROM articles').get() as { n: number }).n;
  }

  /** The blob's row is registered (its file may still be missing: see blobs.has()). */
  hasBlobRow(sha256: string): boolean {
    return !!this.sql('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256);
  }

  // ---- writes (inside transaction()) -------------------------------------------------------

  upsertCategory(c: CategoryRecord): void {
    this
      .sql(
        `INSERT INTO categories (id, locale, parent_id, title, sort_order, extra) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id, locale) DO UPDATE SET parent_id = excluded.parent_id, title = excluded.title,
           sort_order = excluded.sort_order, extra = excluded.extra`,
      )
      .run(c.id, c.locale, c.parentId ?? null, c.title, c.order ?? 0, extraFields(c, KNOWN_CATEGORY_FIELDS));
  }

  deleteCategory(id: string, locale: string): number {
    return this.sql('DELETE FROM categories WHERE id = ? AND locale = ?').run(id, locale).changes;
  }

  deleteCategoriesNotIn(keep: ReadonlySet<string>): number {
    let removed = 0;
    for (const c of this.sql('SELECT id, locale FROM categories').all() as Array<{ id: string; locale: string }>) {
      if (keep.has(`${c.locale}\u0000${c.id}`)) continue;
      this.sql('DELETE FROM categories WHERE id = ? AND locale = ?').run(c.id, c.locale);
      removed++;
    }
    return removed;
  }

  /** Inserts or updates an article (body already has blob URLs) and its index; returns its rowid. */
  upsertArticle(a: ArticleRecord, blobRefs: readonly string[] = []): number {
    const existed = !!this.sql('SELECT 1 FROM articles WHERE id = ? AND locale = ?').get(a.id, a.locale);
    const row = this
      .sql(
        `INSERT INTO articles (id, locale, category_id, title, body, tags, questions, updated_at, content_hash, extra)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id, locale) DO UPDATE SET category_id = excluded.category_id, title = excluded.title,
           body = excluded.body, tags = excluded.tags, questions = excluded.questions, updated_at = excluded.updated_at,
           content_hash = excluded.content_hash, extra = excluded.extra
         RETURNING rowid`,
      )
      .get(
        a.id,
        a.locale,
        a.categoryId ?? null,
        a.title,
        a.body,
        JSON.stringify(a.tags ?? []),
        JSON.stringify(a.questions ?? []),
        a.updatedAt ?? null,
        articleHash(a),
        extraFields(a, KNOWN_ARTICLE_FIELDS),
      ) as { rowid: number };
    this.sql('DELETE FROM article_blobs WHERE article_rowid = ?').run(row.rowid);
    for (const sha of new Set(blobRefs)) this.sql('INSERT INTO article_blobs (article_rowid, sha256) VALUES (?, ?)').run(row.rowid, sha);
    const indexable: IndexableArticle = {
      rowid: row.rowid,
      locale: a.locale,
      categoryId: a.categoryId ?? null,
      title: a.title,
      body: a.body,
      tags: a.tags ?? [],
      questions: a.questions ?? [],
    };
    for (const ix of this.indexes) ix.index(indexable, !existed);
    return row.rowid;
  }

  deleteArticle(rowid: number): void {
    for (const ix of this.indexes) ix.remove(rowid);
    this.sql('DELETE FROM articles WHERE rowid = ?').run(rowid);
  }

  registerBlob(sha256: string, mediaType: string, size: number): void {
    this.sql('INSERT OR IGNORE INTO blobs (sha256, media_type, size) VALUES (?, ?, ?)').run(sha256, mediaType, size);
  }

  /** Replaces every synonym group; the caller must reindexAll() since tokens change. */
  replaceSynonyms(groups: ReadonlyArray<{ locale?: string | undefined; terms: readonly string[] }>): void {
    this.sql('DELETE FROM synonym_groups').run();
    const insert = this.sql('INSERT INTO synonym_groups (locale, terms) VALUES (?, ?)');
    for (const g of groups) insert.run(g.locale ?? null, JSON.stringify(g.terms));
    this.synonymsReplaced = true;
    this.announceSynonyms();
  }

  /** Rebuilds `indexes` (default: all) from the articles; returns how many articles were indexed. */
  reindexAll(indexes: readonly KbIndex[] = this.indexes): number {
    for (const ix of indexes) ix.clear();
    let n = 0;
    // .all(), not .iterate(): the connection cannot write while a statement is still reading.
    for (const r of this.sql('SELECT * FROM articles').all() as RawArticle[]) {
      const a = toArticle(r);
      for (const ix of indexes) ix.index(a, true);
      n++;
    }
    return n;
  }

  /** Drops blob rows nobody references and their files. */
  collectGarbageBlobs(): number {
    this.sql('DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM article_blobs)').run();
    const keep = new Set((this.sql('SELECT sha256 FROM blobs').all() as Array<{ sha256: string }>).map((r) => r.sha256));
    return this.blobs.gc(keep);
  }

  // ---- configuration layers (the hub's, synced: core/sync/config.ts reads them) ------------------

  setConfig(key: string, value: unknown, updatedAt: string): void {
    this.sql('INSERT OR REPLACE INTO config (key, value, updated_at) VALUES (?, ?, ?)').run(key, JSON.stringify(value), updatedAt);
  }

  deleteConfig(key: string): void {
    this.sql('DELETE FROM config WHERE key = ?').run(key);
  }

  /** Every key starting with `prefix` (a full sync replaces the hub's layers). */
  deleteConfigPrefix(prefix: string): void {
    this.sql("DELETE FROM config WHERE substr(key, 1, length(?)) = ?").run(prefix, prefix);
  }

  blobMediaType(sha256: string): string | null {
    const r = this.sql('SELECT media_type FROM blobs WHERE sha256 = ?').get(sha256) as { media_type: string } | undefined;
    return r?.media_type ?? null;
  }

  // ---- stats --------------------------------------------------------------------------------

  counts(): { articles: number; categories: number; synonymGroups: number; blobs: number; searches: number } {
    const one = (sql: string) => (this.sql(sql).get() as { n: number }).n;
    return {
      articles: one('SELECT count(*) n FROM articles'),
      categories: one('SELECT count(*) n FROM categories'),
      synonymGroups: one('SELECT count(*) n FROM synonym_groups'),
      blobs: one('SELECT count(*) n FROM blobs'),
      searches: one('SELECT coalesce(sum(count), 0) n FROM query_stats'),
    };
  }

  countsByLocale(): Array<{ locale: string; articles: number; categories: number }> {
    return this
      .sql(
        `SELECT l.locale, (SELECT count(*) FROM articles a WHERE a.locale = l.locale) AS articles,
                (SELECT count(*) FROM categories c WHERE c.locale = l.locale) AS categories
         FROM (SELECT locale FROM articles UNION SELECT locale FROM categories) l ORDER BY l.locale`,
      )
      .all() as Array<{ locale: string; articles: number; categories: number }>;
  }

  recordSearch(locale: string, normalizedQuery: string, resultCount: number, at = new Date()): void {
    if (!normalizedQuery) return;
    this
      .sql(
        `INSERT INTO query_stats (locale, query, count, no_result_count, last_at) VALUES (?, ?, 1, ?, ?)
         ON CONFLICT (locale, query) DO UPDATE SET count = count + 1, no_result_count = no_result_count + excluded.no_result_count, last_at = excluded.last_at`,
      )
      .run(locale, scrubPersonalData(normalizedQuery).slice(0, 200), resultCount === 0 ? 1 : 0, at.toISOString());
  }

  recordView(articleId: string, locale: string): void {
    this
      .sql('INSERT INTO article_stats (article_id, locale, views) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET views = views + 1')
      .run(articleId, locale);
  }

  recordFeedback(articleId: string, locale: string, helpful: boolean): void {
    const col = helpful ? 'helpful' : 'not_helpful';
    this
      .sql(`INSERT INTO article_stats (article_id, locale, ${col}) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET ${col} = ${col} + 1`)
      .run(articleId, locale);
  }

  topQueries(locale: string | undefined, limit: number, noResultsOnly = false): Array<{ locale: string; query: string; count: number; noResults: number }> {
    return this
      .sql(
        `SELECT locale, query, count, no_result_count AS noResults FROM query_stats
         WHERE (@locale IS NULL OR locale = @locale) AND (@gapsOnly = 0 OR no_result_count > 0)
         ORDER BY ${noResultsOnly ? 'no_result_count' : 'count'} DESC, query LIMIT @limit`,
      )
      .all({ locale: locale ?? null, gapsOnly: noResultsOnly ? 1 : 0, limit }) as Array<{ locale: string; query: string; count: number; noResults: number }>;
  }
}
