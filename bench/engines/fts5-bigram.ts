// Baseline: "FTS5 CJK unigram+bigram BM25". Text is pre-tokenised in JS — every CJK character
// and every pair of adjacent CJK characters, plus lower-cased latin/digit words — and stored as
// space-separated tokens in FTS5 columns with the unicode61 tokenizer, so FTS5 sees each n-gram
// as one token. Ranking: bm25 with column weights. Query: the same tokens, de-duplicated, each
// quoted, OR-ed. Suggest: titles holding all of the prefix's bigrams (a lone CJK character as a
// unigram; the last latin word as an FTS5 prefix token), bm25-ranked — "contains", not "starts
// with", and no pinyin: what FTS5 alone gives.
import type Database from 'better-sqlite3';
import type { ArticleRecord } from '../../contracts/kb-bundle.ts';
import type { SearchEngine } from './types.ts';
import { cleanQuery, ftsQuote, openSqlite, questionsText, sqliteBytes, tagsText, textRuns, unigramBigramTokens } from './text.ts';

/** bm25 column weights: title, questions, tags, body. */
const WEIGHTS = '1.0, 0.75, 0.5, 0.25';
const MAX_TERMS = 64;

const grams = (text: string) => unigramBigramTokens(text).join(' ');

export class Fts5BigramEngine implements SearchEngine {
  readonly name = 'fts5-bigram';
  private db: Database.Database | undefined;
  private path = '';
  private stmts: { match: Database.Statement; suggest: Database.Statement } | undefined;

  async build(docs: readonly ArticleRecord[], dir: string): Promise<void> {
    const { db, path } = openSqlite(dir, 'kb-bigram.sqlite');
    this.db = db;
    this.path = path;
    // Article ids and display titles live in a plain table; the FTS table is contentless-ish
    // (its own copy of the token strings) and joined by rowid.
    db.exec(`
      CREATE TABLE articles (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL);
      CREATE VIRTUAL TABLE grams USING fts5(title, questions, tags, body, tokenize = 'unicode61 remove_diacritics 2');
    `);
    const insArticle = db.prepare('INSERT INTO articles(rowid, id, title) VALUES (?, ?, ?)');
    const insGrams = db.prepare('INSERT INTO grams(rowid, title, questions, tags, body) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      docs.forEach((d, i) => {
        insArticle.run(i + 1, d.id, d.title);
        insGrams.run(i + 1, grams(d.title), grams(questionsText(d)), grams(tagsText(d)), grams(d.body));
      });
    })();
    db.exec(`INSERT INTO grams(grams) VALUES ('optimize')`);
    this.stmts = {
      match: db.prepare(
        `SELECT a.id FROM grams JOIN articles a ON a.rowid = grams.rowid WHERE grams MATCH ? ORDER BY bm25(grams, ${WEIGHTS}) LIMIT ?`,
      ),
      suggest: db.prepare(
        `SELECT a.title FROM grams JOIN articles a ON a.rowid = grams.rowid WHERE grams MATCH ? ORDER BY bm25(grams, ${WEIGHTS}) LIMIT ?`,
      ),
    };
  }

  search(q: string, limit: number): string[] {
    if (!this.stmts || limit <= 0) return [];
    const terms = [...new Set(unigramBigramTokens(cleanQuery(q)))].slice(0, MAX_TERMS);
    if (terms.length === 0) return [];
    try {
      return (this.stmts.match.all(terms.map(ftsQuote).join(' OR '), limit) as { id: string }[]).map((r) => r.id);
    } catch {
      return [];
    }
  }

  suggest(prefix: string, limit: number): string[] {
    if (!this.stmts || limit <= 0) return [];
    const p = cleanQuery(prefix).trim();
    const runs = textRuns(p);
    if (runs.length === 0) return [];
    const parts: string[] = [];
    runs.forEach((run, i) => {
      const last = i === runs.length - 1;
      if (!run.cjk) parts.push(last ? `${ftsQuote(run.text)}*` : ftsQuote(run.text));
      else {
        const chars = [...run.text];
        if (chars.length === 1) parts.push(ftsQuote(chars[0]!));
        for (let k = 0; k + 1 < chars.length; k++) parts.push(ftsQuote(chars[k]! + chars[k + 1]!));
      }
    });
    try {
      const expr = `title : (${[...new Set(parts)].slice(0, MAX_TERMS).join(' AND ')})`;
      return (this.stmts.suggest.all(expr, limit) as { title: string }[]).map((r) => r.title);
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

export function createFts5BigramEngine(): SearchEngine {
  return new Fts5BigramEngine();
}
