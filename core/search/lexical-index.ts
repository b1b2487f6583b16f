// The lexical search index (tables of migrations/0020-search-index.ts), kept in step with each
// article by the KB store (core/kb/kb-index.ts): FTS5 tokens per column, the phrase analyses used
// for re-ranking, and suggestion entries. Called inside the store's transaction. It also owns the
// lexicon (question words, general and KB synonyms) that indexing and querying share.
import type { Db } from '../db/open.ts';
import type { IndexableArticle, KbIndex, SynonymGroup } from '../kb/kb-index.ts';
import type { KbStore } from '../kb/store.ts';
import { analyze, ANALYZER_VERSION, type Analysis } from './analyze.ts';
import { categoryFacet, localeFacet } from './facets.ts';
import { Lexicon } from './lexicon-index.ts';
import { normalize } from './normalize.ts';
import { pinyinKeys } from './pinyin.ts';

/** An analysed title or question, by token kind: what the re-ranker compares a query against. */
export interface PhraseTokens {
  /** Analysis.compact: the phrase's meaningful characters in order. */
  t: string;
  w: string[];
  b: string[];
  u: string[];
  p: string[];
  c: string[];
}

const join = (...lists: string[][]) => lists.flat().join(' ');
const MAX_BODY = 50_000;

export function phraseTokens(a: Analysis): PhraseTokens {
  return { t: a.compact, w: a.words, b: a.bigrams, u: a.unigrams, p: a.fuzzy, c: a.concepts };
}

export class LexicalIndex implements KbIndex {
  /** Stores indexed by another analyser version re-index on open. */
  readonly versionKey = 'analyzer_version';
  readonly version = String(ANALYZER_VERSION);
  private readonly insertFts;
  private readonly deleteFts;
  private readonly upsertDoc;
  private readonly insertSuggest;
  private readonly deleteSuggest;
  private groups: readonly SynonymGroup[] = [];
  private lexiconCache: Lexicon | undefined;

  constructor(private readonly db: Db) {
    this.insertFts = db.prepare(
      `INSERT INTO search_fts (rowid, title, title_uni, title_py, questions, questions_uni, questions_py, tags, body, syn, facets)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteFts = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    this.upsertDoc = db.prepare('INSERT OR REPLACE INTO search_docs (article_rowid, phrases) VALUES (?, ?)');
    this.insertSuggest = db.prepare(
      'INSERT INTO suggest_entries (article_rowid, locale, text, norm, pinyin, initials, is_title) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteSuggest = db.prepare('DELETE FROM suggest_entries WHERE article_rowid = ?');
  }

  /** The analyser's lexicon for this KB's synonym groups (built on first use after a change). */
  lexicon(): Lexicon {
    if (!this.lexiconCache) this.lexiconCache = new Lexicon(this.groups);
    return this.lexiconCache;
  }

  synonymsChanged(groups: readonly SynonymGroup[]): void {
    this.groups = groups;
    this.lexiconCache = undefined;
  }

  /** `fresh`: the article has no index rows yet (a new article, or after a full wipe). */
  index(article: IndexableArticle, fresh = false): void {
    if (!fresh) this.remove(article.rowid);
    const lx = this.lexicon();
    const title = analyze(article.title, lx, { fuzzy: true });
    const questions = article.questions.map((q) => analyze(q, lx, { fuzzy: true }));
    const tags = analyze(article.tags.join(' · '), lx);
    const body = analyze(article.body, lx, { maxLength: MAX_BODY, segment: false });
    const q = (pick: (a: Analysis) => string[]) => questions.flatMap(pick);
    const concepts = [title, ...questions, tags].flatMap((a) => a.concepts);
    const facets = [localeFacet(article.locale)];
    if (article.categoryId) facets.push(categoryFacet(article.categoryId));

    this.insertFts.run(
      article.rowid,
      join(title.words, title.bigrams),
      join(title.unigrams),
      join(title.fuzzy),
      join(q((a) => a.words), q((a) => a.bigrams)),
      join(q((a) => a.unigrams)),
      join(q((a) => a.fuzzy)),
      join(tags.words, tags.bigrams),
      join(body.words, body.bigrams),
      join(concepts),
      facets.join(' '),
    );
    this.upsertDoc.run(article.rowid, JSON.stringify([title, ...questions].map(phraseTokens)));

    const phrases: Array<[string, boolean]> = [[article.title, true], ...article.questions.map((t): [string, boolean] => [t, false])];
    for (const [text, isTitle] of phrases) {
      const keys = pinyinKeys(text);
      this.insertSuggest.run(article.rowid, article.locale, text, normalize(text, 300), keys.full, keys.initials, isTitle ? 1 : 0);
    }
  }

  remove(rowid: number): void {
    this.deleteFts.run(rowid);
    this.deleteSuggest.run(rowid);
    // search_docs rows go with the article (ON DELETE CASCADE) or are replaced on re-index.
  }

  clear(): void {
    this.db.exec('DELETE FROM search_fts; DELETE FROM search_docs; DELETE FROM suggest_entries;');
  }

  suggestEntryCount(): number {
    return (this.db.prepare('SELECT count(*) n FROM suggest_entries').get() as { n: number }).n;
  }
}

/** The lexical index a store keeps (core/kiosk-db.ts opens every kiosk store with one). */
export function lexicalIndexOf(store: KbStore): LexicalIndex {
  const index = store.indexes.find((ix): ix is LexicalIndex => ix instanceof LexicalIndex);
  if (!index) throw new Error('this KB store keeps no lexical search index (open it with openKbStore, core/kiosk-db.ts)');
  return index;
}
