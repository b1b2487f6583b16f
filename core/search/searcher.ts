// Search: two stages.
//  1. Recall — FTS5 over analysed tokens (OR of every query token, never user syntax), ranked by
//     bm25 with per-column weights (title and questions above tags above body; words and bigrams
//     above single characters and pinyin).
//  2. Re-rank — the best candidates are compared phrase by phrase (title, each alternative
//     question) with the query: how much of the query a phrase explains and how much of the phrase
//     the query explains. Short questions that mean the same share most of their tokens; bm25
//     alone over-rewards long texts that mention many query words once.
import type { KbStore, ArticleRow } from '../kb/store.ts';
import { analyze, type Analysis } from './analyze.ts';
import { ZH_STOP_CHARS } from './lexicon.ts';
import { phraseTokens, type PhraseTokens } from './index-writer.ts';
import { categoryFacet, localeFacet } from './facets.ts';
import { snippet, highlight, type TextSegment } from './highlight.ts';
import { normalize } from './normalize.ts';
import { markdownToPlainText } from './plain-text.ts';

export interface SearchOptions {
  locale?: string;
  categoryId?: string;
  limit?: number;
  /** Count this query in the search statistics (the kiosk does; benchmarks and eval do not). */
  record?: boolean;
}

export interface SearchHit {
  id: string;
  locale: string;
  categoryId: string | null;
  title: string;
  score: number;
  titleHighlighted: TextSegment[];
  snippet: TextSegment[];
}

export const MAX_QUERY_CHARS = 500;
const MAX_QUERY_TOKENS = 96;
const CANDIDATES = 100;
/** A token in more than this share of articles does not fetch candidates on its own (see recallTerms). */
const COMMON_SHARE = 0.04;
const ALWAYS_RECALL = 16;

// bm25 column weights, in the column order of search_fts.
const COLUMN_WEIGHTS = {
  title: 10,
  title_uni: 10,
  title_py: 2,
  questions: 8,
  questions_uni: 8,
  questions_py: 1.6,
  tags: 5,
  body: 1,
  syn: 2,
  facets: 0,
};
const BM25_ARGS = Object.values(COLUMN_WEIGHTS).join(', ');

type Kind = keyof PhraseTokens;
/** Relative weight of a match by token kind (single characters matter as much as pairs in Chinese). */
const KIND_WEIGHT: Record<Kind, number> = { w: 0.3, b: 1.0, u: 1.0, p: 0.2, c: 0.2 };
const KINDS = Object.keys(KIND_WEIGHT) as Kind[];
// BM25 constants for phrase scoring (standard k1; milder length normalisation for short phrases).
const K1 = 1.2;
const B = 0.75;
/** Share of the final score that comes from the whole-article bm25 (body, tags) rather than the best phrase. */
const ARTICLE_SHARE = 0.1;

interface QueryToken {
  token: string;
  kind: Kind;
}

function queryTokens(a: Analysis): QueryToken[] {
  // A token may be of two kinds (额度 is a word and a bigram): it counts once per kind.
  const seen = new Set<string>();
  const out: QueryToken[] = [];
  const p = phraseTokens(a);
  for (const kind of KINDS) {
    for (const token of p[kind]) {
      if (seen.has(`${kind}:${token}`) || out.length >= MAX_QUERY_TOKENS) continue;
      seen.add(`${kind}:${token}`);
      out.push({ token, kind });
    }
  }
  return out;
}

/** FTS5 string literal: our tokens never hold quotes, but quoting makes any token inert. */
const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

export class Searcher {
  private docCount = 0;
  private docCountVersion = -1;

  constructor(private readonly store: KbStore) {}

  private totalDocs(): number {
    if (this.docCountVersion !== this.store.version) {
      this.docCount = (this.store.db.prepare('SELECT count(*) n FROM search_docs').get() as { n: number }).n;
      this.docCountVersion = this.store.version;
    }
    return this.docCount;
  }

  private idf(tokens: string[]): Map<string, number> {
    const n = Math.max(1, this.totalDocs());
    const rows = this.store.db
      .prepare('SELECT term, doc FROM search_vocab WHERE term IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(tokens)) as Array<{ term: string; doc: number }>;
    const df = new Map(rows.map((r) => [r.term, r.doc]));
    return new Map(tokens.map((t) => [t, Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5))]));
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(1, Math.min(options.limit ?? 10, 100));
    const text = typeof query === 'string' ? query.slice(0, MAX_QUERY_CHARS) : '';
    const analysis = analyze(text, this.store.lexicon(), { fuzzy: true, maxLength: MAX_QUERY_CHARS });
    const tokens = queryTokens(analysis);
    const hits = tokens.length ? this.rank(tokens, options, limit, analysis) : [];
    if (options.record) this.store.recordSearch(options.locale ?? 'all', normalize(text, 200), hits.length);
    return hits;
  }

  private filter(options: SearchOptions): string {
    const parts: string[] = [];
    if (options.locale) parts.push(`facets : ${quote(localeFacet(options.locale))}`);
    if (options.categoryId) {
      const ids = this.store.categorySubtree(options.categoryId, options.locale ?? 'zh-CN');
      parts.push(`facets : (${ids.map((id) => quote(categoryFacet(id))).join(' OR ')})`);
    }
    return parts.join(' AND ');
  }

  private rank(tokens: QueryToken[], options: SearchOptions, limit: number, analysis: Analysis): SearchHit[] {
    const idf = this.idf(tokens.map((t) => t.token));
    const terms = recallTerms(tokens, idf, this.totalDocs())
      .map(quote)
      .join(' OR ');
    if (!terms) return [];
    const filter = this.filter(options);
    const match = filter ? `${filter} AND (${terms})` : terms;
    const candidates = this.store.db
      .prepare(`SELECT rowid, bm25(search_fts, ${BM25_ARGS}) AS bm FROM search_fts WHERE search_fts MATCH ? ORDER BY bm LIMIT ${CANDIDATES}`)
      .all(match) as Array<{ rowid: number; bm: number }>;
    if (candidates.length === 0) return [];

    const phrases = this.phrasesOf(candidates.map((c) => c.rowid));
    // Average phrase lengths of the candidates stand in for the corpus averages (no full scan per query).
    const avgLen = averageLengths([...phrases.values()].flat());
    const best = -candidates[0]!.bm || 1;
    const scored = candidates.map(({ rowid, bm }) => {
      let phraseScore = 0;
      for (const phrase of phrases.get(rowid) ?? []) phraseScore = Math.max(phraseScore, scorePhrase(tokens, phrase, idf, avgLen));
      return { rowid, phraseScore, article: -bm / best };
    });
    const bestPhrase = Math.max(...scored.map((s) => s.phraseScore)) || 1;
    const final = scored.map((s) => ({ rowid: s.rowid, score: (1 - ARTICLE_SHARE) * (s.phraseScore / bestPhrase) + ARTICLE_SHARE * s.article }));
    final.sort((a, b) => b.score - a.score || a.rowid - b.rowid);
    const top = final.slice(0, limit);
    const rows = this.store.articlesByRowid(top.map((s) => s.rowid));
    const needles = highlightNeedles(analysis);
    return top.flatMap(({ rowid, score }) => {
      const a = rows.get(rowid);
      return a ? [this.hit(a, score, needles)] : [];
    });
  }

  private phrasesOf(rowids: number[]): Map<number, PhraseTokens[]> {
    const rows = this.store.db
      .prepare('SELECT article_rowid AS rowid, phrases FROM search_docs WHERE article_rowid IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(rowids)) as Array<{ rowid: number; phrases: string }>;
    return new Map(rows.map((r) => [r.rowid, JSON.parse(r.phrases) as PhraseTokens[]]));
  }

  private hit(a: ArticleRow, score: number, needles: string[]): SearchHit {
    return {
      id: a.id,
      locale: a.locale,
      categoryId: a.categoryId,
      title: a.title,
      score: Math.round(score * 1000) / 1000,
      titleHighlighted: highlight(a.title, needles),
      snippet: snippet(markdownToPlainText(a.body), needles),
    };
  }
}

/**
 * The tokens that fetch candidates. Tokens found in most articles (a character like 卡 in a card
 * KB) would make FTS5 score nearly every row; they still count in the re-rank, but recall comes
 * from the rarer ones. The rarest few are always kept, so a query of common words still finds.
 */
function recallTerms(tokens: QueryToken[], idf: Map<string, number>, totalDocs: number): string[] {
  const distinct = [...new Set(tokens.map((t) => t.token))].sort((a, b) => (idf.get(b) ?? 0) - (idf.get(a) ?? 0));
  const minIdf = Math.log(1 + (totalDocs - COMMON_SHARE * totalDocs + 0.5) / (COMMON_SHARE * totalDocs + 0.5));
  return distinct.filter((t, i) => i < ALWAYS_RECALL || (idf.get(t) ?? 0) >= minIdf);
}

/** What to mark in titles and snippets: words and meaningful pairs; single characters only when nothing longer. */
function highlightNeedles(a: Analysis): string[] {
  const pairs = a.bigrams.filter((b) => ![...b].some((ch) => ZH_STOP_CHARS.has(ch)));
  const longer = [...a.words, ...pairs];
  return longer.length ? longer : a.unigrams;
}

function averageLengths(phrases: PhraseTokens[]): Record<Kind, number> {
  const out = {} as Record<Kind, number>;
  for (const k of KINDS) out[k] = phrases.reduce((sum, p) => sum + p[k].length, 0) / Math.max(1, phrases.length) || 1;
  return out;
}

/** BM25 of one phrase (title or question) against the query, token kinds weighted. */
function scorePhrase(tokens: QueryToken[], phrase: PhraseTokens, idf: Map<string, number>, avgLen: Record<Kind, number>): number {
  let score = 0;
  for (const { token, kind } of tokens) {
    const list = phrase[kind];
    let tf = 0;
    for (const t of list) if (t === token) tf++;
    if (tf === 0) continue;
    const norm = 1 - B + (B * list.length) / avgLen[kind];
    score += KIND_WEIGHT[kind] * (idf.get(token) ?? 0) * ((tf * (K1 + 1)) / (tf + K1 * norm));
  }
  return score;
}
