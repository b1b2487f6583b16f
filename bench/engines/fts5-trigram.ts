// Baseline: SQLite FTS5 with the built-in trigram tokenizer (SQLite ≥ 3.34), bm25 ranking.
// Index: one FTS5 row per article, columns title / questions / tags / body.
// Query (default, mode 'trigrams'): the text is split at anything that is not a letter or digit
// (CJK runs apart from latin runs); every trigram of every piece of ≥ 3 characters becomes one
// quoted FTS5 phrase, all OR-ed — a bag of trigrams ranked by bm25. This reproduces the published
// reference (atec-faq 0.196 / 0.386). Mode 'phrases' (each piece one phrase, pieces OR-ed) is kept
// for comparison: it needs the piece verbatim and scores ~0.01 on paraphrased questions.
// When no piece has 3 characters (trigrams cannot match) the engine falls back to
// LIKE '%piece%' over title and questions. Nothing the user types is parsed as FTS5 syntax.
import type Database from 'better-sqlite3';
import type { ArticleRecord } from '../../contracts/kb-bundle.ts';
import type { SearchEngine } from './types.ts';
import { cleanQuery, ftsQuote, likeEscape, openSqlite, questionsText, sqliteBytes, tagsText, textRuns } from './text.ts';

/**
 * bm25 column weights: id (unindexed), title, questions, tags, body. FTS5 applies weights to term
 * frequencies inside the BM25 saturation, so the scale matters, not only the ratios: title = 1.0
 * keeps plain bm25 behaviour on title-only KBs.
 */
const WEIGHTS = '0, 1.0, 0.75, 0.5, 0.25';
const MAX_TERMS = 128;

export type TrigramQueryMode = 'trigrams' | 'phrases';

export class Fts5TrigramEngine implements SearchEngine {
  readonly name: string;
  private db: Database.Database | undefined;
  private path = '';
  private stmts:
    | { match: Database.Statement; like: Database.Statement; suggestShort: Database.Statement; suggestMatch: Database.Statement }
    | undefined;

  constructor(private readonly mode: TrigramQueryMode = 'trigrams') {
    this.name = mode === 'trigrams' ? 'fts5-trigram' : 'fts5-trigram-phrase';
  }

  async build(docs: readonly ArticleRecord[], dir: string): Promise<void> {
    const { db, path } = openSqlite(dir, 'kb-trigram.sqlite');
    this.db = db;
    this.path = path;
    db.exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, questions, tags, body, tokenize='trigram')`);
    const insert = db.prepare('INSERT INTO docs(id, title, questions, tags, body) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const d of docs) insert.run(d.id, d.title, questionsText(d), tagsText(d), d.body);
    })();
    db.exec(`INSERT INTO docs(docs) VALUES ('optimize')`);
    this.stmts = {
      match: db.prepare(`SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, ${WEIGHTS}) LIMIT ?`),
      like: db.prepare(
        `SELECT id FROM docs WHERE title LIKE ?1 ESCAPE '\\' OR questions LIKE ?1 ESCAPE '\\' ORDER BY length(title) LIMIT ?2`,
      ),
      suggestShort: db.prepare(`SELECT title FROM docs WHERE title LIKE ? ESCAPE '\\' LIMIT ?`),
      suggestMatch: db.prepare(
        `SELECT title FROM docs WHERE docs MATCH ? AND title LIKE ? ESCAPE '\\' ORDER BY length(title) LIMIT ?`,
      ),
    };
  }

  search(q: string, limit: number): string[] {
    if (!this.stmts || limit <= 0) return [];
    const pieces = textRuns(cleanQuery(q)).map((r) => r.text);
    const terms = new Set<string>();
    for (const piece of pieces) {
      const chars = [...piece];
      if (chars.length < 3) continue;
      if (this.mode === 'phrases') terms.add(piece);
      else for (let i = 0; i + 3 <= chars.length; i++) terms.add(chars.slice(i, i + 3).join(''));
    }
    try {
      if (terms.size > 0) {
        const expr = [...terms].slice(0, MAX_TERMS).map(ftsQuote).join(' OR ');
        return (this.stmts.match.all(expr, limit) as { id: string }[]).map((r) => r.id);
      }
      const longest = [...pieces].sort((a, b) => b.length - a.length)[0];
      if (!longest) return [];
      return (this.stmts.like.all(`%${likeEscape(longest)}%`, limit) as { id: string }[]).map((r) => r.id);
    } catch {
      return [];
    }
  }

  /**
   * Titles starting with the prefix. With ≥ 3 characters FTS5 narrows the candidates by trigram
   * phrase first; shorter prefixes scan titles (LIKE, stops at `limit` hits). No pinyin.
   */
  suggest(prefix: string, limit: number): string[] {
    if (!this.stmts || limit <= 0) return [];
    const p = cleanQuery(prefix).trim();
    if (!p) return [];
    try {
      const like = `${likeEscape(p)}%`;
      if ([...p].length >= 3) {
        return (this.stmts.suggestMatch.all(`title : ${ftsQuote(p)}`, like, limit) as { title: string }[]).map((r) => r.title);
      }
      return (this.stmts.suggestShort.all(like, limit) as { title: string }[]).map((r) => r.title);
    } catch {
      return [];
    }
  }

  dbBytes(): number {
    return this.db ? sqliteBytes(this.db, this.path) : 0;
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.stmts = undefined;
  }
}

export function createFts5TrigramEngine(mode: TrigramQueryMode = 'trigrams'): SearchEngine {
  return new Fts5TrigramEngine(mode);
}
