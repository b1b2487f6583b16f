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
import { lexicalIndexOf, phraseTokens, type LexicalIndex, type PhraseTokens } from './lexical-index.ts';
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
/** A token in more than this share of articles (and more than RARE_MIN_DOCS) is common (see recall()). */
const RARE_SHARE = 0.02;
const RARE_MIN_DOCS = 50;
const COMMON_CANDIDATES = 150;

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

type Kind = Exclude<keyof PhraseTokens, 't'>;
/** Relative weight of a match by token kind (single characters matter as much as pairs in Chinese). */
const KIND_WEIGHT: Record<Kind, number> = { w: 0.3, b: 1.0, u: 1.0, p: 0.2, c: 0.2 };
const KINDS = Object.keys(KIND_WEIGHT) as Kind[];
/** Weight of a synonym's tokens relative to the query's own. */
const EXPANSION_BOOST = 0.7;
// BM25 constants for phrase scoring (standard k1; milder length normalisation for short phrases).
const K1 = 1.2;
const B = 0.75;
/** Share of the final score that comes from the whole-article bm25 (body, tags) rather than the best phrase. */
const ARTICLE_SHARE = 0.1;
/** How much an identical character order (LCS ratio 1) raises a phrase's score. */
const ORDER_WEIGHT = 1;

interface Candidate {
  rowid: number;
  /** bm25 of the whole article (negative: lower is better); 0 when fetched without ranking. */
  bm: number;
}

interface QueryToken {
  token: string;
  kind: Kind;
  /** 1 for the query's own tokens, EXPANSION_BOOST for tokens of its synonyms. */
  boost: number;
}

/**
 * The query's tokens, then those of the other terms of each synonym group it names (冻结卡片 in a
 * group with 挂失 also looks for 挂失), weighted down a little. A token may be of two kinds (额度 is
 * a word and a bigram): it counts once per kind.
 */
function queryTokens(a: Analysis, expansions: Analysis[]): QueryToken[] {
  const seen = new Set<string>();
  const out: QueryToken[] = [];
  const add = (analysis: Analysis, boost: number, kinds: readonly Kind[]) => {
    const p = phraseTokens(analysis);
    for (const kind of kinds) {
      for (const token of p[kind]) {
        if (seen.has(`${kind}:${token}`) || out.length >= MAX_QUERY_TOKENS) continue;
        seen.add(`${kind}:${token}`);
        out.push({ token, kind, boost });
      }
    }
  };
  add(a, 1, KINDS);
  for (const e of expansions) add(e, EXPANSION_BOOST, ['w', 'b', 'u']);
  return out;
}

/** FTS5 string literal: our tokens never hold quotes, but quoting makes any token inert. */
const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

export class Searcher {
  private docCount = 0;
  private docCountVersion = -1;
  private readonly index: LexicalIndex;

  constructor(private readonly store: KbStore) {
    this.index = lexicalIndexOf(store);
    // Load jieba's dictionary, the traditional→simplified tables and pinyin data now, not during the
    // first customer's search (that first query would otherwise take ~100 ms more).
    analyze('银行卡密碼', this.index.lexicon(), { fuzzy: true });
  }

  private totalDocs(): number {
    if (this.docCountVersion !== this.store.version) {
      this.docCount = (this.store.sql('SELECT count(*) n FROM search_docs').get() as { n: number }).n;
      this.docCountVersion = this.store.version;
    }
    return this.docCount;
  }

  private expansionCache = new Map<string, Analysis>();
  private expansionVersion = -1;

  /** Analyses of the other terms of every synonym group the query names. */
  private expansions(a: Analysis): Analysis[] {
    if (this.expansionVersion !== this.store.version) {
      this.expansionCache.clear();
      this.expansionVersion = this.store.version;
    }
    const lexicon = this.index.lexicon();
    const out: Analysis[] = [];
    for (const concept of a.concepts) {
      for (const term of lexicon.termsOf(concept)) {
        let analysis = this.expansionCache.get(term);
        if (!analysis) {
          analysis = analyze(term, lexicon);
          this.expansionCache.set(term, analysis);
        }
        out.push(analysis);
      }
    }
    return out;
  }

  /** Document frequency and idf of each token (FTS5's vocabulary, once per distinct token). */
  private termStats(tokens: string[]): { idf: Map<string, number>; df: Map<string, number> } {
    const n = Math.max(1, this.totalDocs());
    const rows = this.store
      .sql('SELECT term, doc FROM search_vocab WHERE term IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify([...new Set(tokens)])) as Array<{ term: string; doc: number }>;
    const df = new Map(rows.map((r) => [r.term, r.doc]));
    const idf = new Map(tokens.map((t) => [t, Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5))]));
    return { idf, df };
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(1, Math.min(options.limit ?? 10, 100));
    const text = typeof query === 'string' ? query.slice(0, MAX_QUERY_CHARS) : '';
    const analysis = analyze(text, this.index.lexicon(), { fuzzy: true, maxLength: MAX_QUERY_CHARS });
    const tokens = queryTokens(analysis, this.expansions(analysis));
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
    const { idf, df } = this.termStats(tokens.map((t) => t.token));
    const candidates = this.recall(tokens, df, options);
    if (candidates.length === 0) return [];

    const phrases = this.phrasesOf(candidates.map((c) => c.rowid));
    // Average phrase lengths of the candidates stand in for the corpus averages (no full scan per query).
    const avgLen = averageLengths([...phrases.values()].flat());
    const best = Math.max(...candidates.map((c) => -c.bm)) || 1;
    const weights = queryWeights(tokens, idf);
    const scored = candidates.map(({ rowid, bm }) => {
      let phraseScore = 0;
      for (const phrase of phrases.get(rowid) ?? []) {
        const bm = scorePhrase(weights, phrase, avgLen);
        if (bm === 0) continue;
        // Same characters in the same order (LCS) lift a phrase: paraphrases keep most of their order.
        phraseScore = Math.max(phraseScore, bm * (1 + ORDER_WEIGHT * lcsRatio(analysis.compact, phrase.t ?? '')));
      }
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

  /**
   * Candidate articles. Rare tokens fetch with OR and bm25 ranking: the rows FTS5 must score stay
   * few. Tokens found in many articles (办理 in a bank KB) would make it score most of the KB, so
   * they only fetch when the rare ones found too little, with AND and without bm25, then the
   * phrase re-rank orders them.
   */
  private recall(tokens: QueryToken[], df: Map<string, number>, options: SearchOptions): Candidate[] {
    const rareCap = Math.max(RARE_MIN_DOCS, RARE_SHARE * this.totalDocs());
    const distinct = [...new Set(tokens.map((t) => t.token))].filter((t) => (df.get(t) ?? 0) > 0);
    distinct.sort((a, b) => df.get(a)! - df.get(b)!);
    const rare = distinct.filter((t) => df.get(t)! <= rareCap);
    const common = distinct.filter((t) => df.get(t)! > rareCap);
    const filter = this.filter(options);
    const where = (terms: string) => (filter ? `${filter} AND (${terms})` : terms);

    const found: Candidate[] = rare.length
      ? (this.store
          .sql(`SELECT rowid, bm25(search_fts, ${BM25_ARGS}) AS bm FROM search_fts WHERE search_fts MATCH ? ORDER BY bm LIMIT ${CANDIDATES}`)
          .all(where(rare.map(quote).join(' OR '))) as Candidate[])
      : [];
    if (found.length >= CANDIDATES / 2 || common.length === 0) return found;

    const seen = new Set(found.map((c) => c.rowid));
    for (let n = Math.min(2, common.length); n >= 1; n--) {
      const rows = this.store
        .sql(`SELECT rowid, 0 AS bm FROM search_fts WHERE search_fts MATCH ? LIMIT ${COMMON_CANDIDATES}`)
        .all(where(common.slice(0, n).map(quote).join(' AND '))) as Candidate[];
      for (const r of rows) if (!seen.has(r.rowid)) found.push(r);
      if (rows.length) break;
    }
    return found;
  }

  private phrasesOf(rowids: number[]): Map<number, PhraseTokens[]> {
    const rows = this.store
      .sql('SELECT article_rowid AS rowid, phrases FROM search_docs WHERE article_rowid IN (SELECT value FROM json_each(?))')
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

/** What to mark in titles and snippets: words and meaningful pairs; single characters only when nothing longer. */
function highlightNeedles(a: Analysis): string[] {
  const pairs = a.bigrams.filter((b) => ![...b].some((ch) => ZH_STOP_CHARS.has(ch)));
  const longer = [...a.words, ...pairs];
  return longer.length ? longer : a.unigrams;
}

/** Longest common subsequence of a and b over the longer length (0..1); inputs are short (compact). */
export function lcsRatio(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return 0;
  let prev = new Uint16Array(n + 1);
  let cur = new Uint16Array(n + 1);
  for (let i = 1; i <= m; i++) {
    const ch = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) cur[j] = ch === b.charCodeAt(j - 1) ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    [prev, cur] = [cur, prev];
  }
  return prev[n]! / Math.max(m, n);
}

function averageLengths(phrases: PhraseTokens[]): Record<Kind, number> {
  const out = {} as Record<Kind, number>;
  for (const k of KINDS) out[k] = phrases.reduce((sum, p) => sum + p[k].length, 0) / Math.max(1, phrases.length) || 1;
  return out;
}

/** BM25 of one phrase (title or question) against the query, token kinds weighted. */
/** Query token weights by kind: kind → token → KIND_WEIGHT × idf. Built once per query. */
type QueryWeights = Record<Kind, Map<string, number>>;

function queryWeights(tokens: QueryToken[], idf: Map<string, number>): QueryWeights {
  const out = Object.fromEntries(KINDS.map((k) => [k, new Map<string, number>()])) as QueryWeights;
  for (const { token, kind, boost } of tokens) {
    out[kind].set(token, boost * KIND_WEIGHT[kind] * (idf.get(token) ?? 0));
  }
  return out;
}

/** BM25 of one phrase (title or question) against the query, token kinds weighted. One pass over the phrase. */
function scorePhrase(weights: QueryWeights, phrase: PhraseTokens, avgLen: Record<Kind, number>): number {
  let score = 0;
  for (const kind of KINDS) {
    const list = phrase[kind];
    const wanted = weights[kind];
    if (wanted.size === 0 || list.length === 0) continue;
    const tf = new Map<string, number>();
    for (const t of list) if (wanted.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    if (tf.size === 0) continue;
    const norm = 1 - B + (B * list.length) / avgLen[kind];
    for (const [t, n] of tf) score += wanted.get(t)! * ((n * (K1 + 1)) / (n + K1 * norm));
  }
  return score;
}
