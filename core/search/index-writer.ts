// Keeps the search index of one article in step with its row: FTS5 tokens per column, the phrase
// analyses used for re-ranking, and suggestion entries. Called inside the caller's transaction.
import type { Db } from '../kb/db.ts';
import { analyze, type Analysis } from './analyze.ts';
import { categoryFacet, localeFacet } from './facets.ts';
import type { Lexicon } from './lexicon-index.ts';
import { normalize } from './normalize.ts';
import { pinyinKeys } from './pinyin.ts';

export interface IndexableArticle {
  rowid: number;
  locale: string;
  categoryId: string | null;
  title: string;
  body: string;
  tags: readonly string[];
  questions: readonly string[];
}

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

export class IndexWriter {
  private readonly insertFts;
  private readonly deleteFts;
  private readonly upsertDoc;
  private readonly insertSuggest;
  private readonly deleteSuggest;

  constructor(
    private readonly db: Db,
    private readonly lexicon: Lexicon,
  ) {
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

  /** `fresh`: the article has no index rows yet (a new article, or after a full wipe). */
  index(article: IndexableArticle, fresh = false): void {
    if (!fresh) this.remove(article.rowid);
    const lx = this.lexicon;
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
}
