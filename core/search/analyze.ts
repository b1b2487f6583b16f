// Text analysis: one piece of text in, typed tokens out. Indexing and querying both use it, so
// they always agree. Token kinds (all safe for FTS5's ascii tokenizer with '_' as a token char):
//   words    jieba words of ≥ 2 Han characters, stemmed latin words, numbers
//   bigrams  overlapping Han character pairs (recall for words jieba splits differently)
//   unigrams single Han characters that carry meaning (not particles/pronouns)
//   fuzzy    py_<a>_<b>: fuzzy-pinyin syllable pairs, so homophone typos still meet;
//            tg_<abc>: letter trigrams of latin words, so spelling typos still meet
//   concepts qw_<intent> for question words, syn_<group> for synonym groups
import { stemmer } from 'stemmer';
import { EN_STOP_WORDS, ZH_STOP_CHARS, ZH_STOP_WORDS } from './lexicon.ts';
import type { Lexicon } from './lexicon-index.ts';
import { normalize } from './normalize.ts';
import { fuzzySyllable, syllables } from './pinyin.ts';
import { HAN_RUN, IS_HAN, surfaceWords } from './segment.ts';

/** Bump when tokens or the index layout change: stores built by another version re-index on open. */
export const ANALYZER_VERSION = 6;

export interface Analysis {
  /** The text reduced to meaningful characters in order (Han not in stop list, latin, digits): for order-aware similarity. */
  compact: string;
  words: string[];
  bigrams: string[];
  unigrams: string[];
  fuzzy: string[];
  concepts: string[];
}

export interface AnalyzeOptions {
  /** Fuzzy tokens (pinyin, trigrams) cost time and space; bodies are indexed without them. */
  fuzzy?: boolean;
  /** Longest text analysed (hostile or huge input is cut, never rejected). */
  maxLength?: number;
  /**
   * Segment Chinese into words (jieba). Off for article bodies: their bigrams already hold every
   * two-character word, concepts come from titles and questions, and jieba is the costliest step
   * of a large import.
   */
  segment?: boolean;
}

/** Order-aware similarity (LCS) is quadratic: compare at most this many characters. */
const COMPACT_MAX = 64;

export function emptyAnalysis(): Analysis {
  return { compact: '', words: [], bigrams: [], unigrams: [], fuzzy: [], concepts: [] };
}

export function analyze(text: string, lexicon: Lexicon, options: AnalyzeOptions = {}): Analysis {
  const out = emptyAnalysis();
  const norm = normalize(text, options.maxLength ?? 100_000);
  if (!norm) return out;
  const surface = surfaceWords(norm, options.segment ?? true);

  for (const w of surface) {
    if (IS_HAN.test(w)) {
      if (w.length >= 2 && !ZH_STOP_WORDS.has(w) && !lexicon.isQuestionForm(w)) out.words.push(w);
    } else if (/^\p{N}+$/u.test(w)) {
      out.words.push(w.slice(0, 32));
    } else if (!EN_STOP_WORDS.has(w) && !lexicon.isQuestionForm(w) && w.length <= 40) {
      const word = w.replace(/'/g, '');
      if (!word) continue;
      out.words.push(stemmer(word));
      if (options.fuzzy && word.length >= 4 && /^[a-z]+$/.test(word)) {
        for (let i = 0; i + 3 <= word.length; i++) out.fuzzy.push(`tg_${word.slice(i, i + 3)}`);
      }
    }
  }

  for (const match of norm.matchAll(HAN_RUN)) {
    const run = [...match[0]];
    for (let i = 0; i < run.length; i++) {
      const ch = run[i]!;
      if (!ZH_STOP_CHARS.has(ch)) out.unigrams.push(ch);
      if (i + 1 < run.length) {
        const next = run[i + 1]!;
        const pair = ch + next;
        if (!(ZH_STOP_CHARS.has(ch) && ZH_STOP_CHARS.has(next)) && !lexicon.isQuestionForm(pair)) out.bigrams.push(pair);
      }
    }
    if (options.fuzzy) {
      const syl = syllables(match[0]).map(fuzzySyllable);
      for (let i = 0; i + 1 < syl.length; i++) {
        if (ZH_STOP_CHARS.has(run[i]!) && ZH_STOP_CHARS.has(run[i + 1]!)) continue;
        const a = syl[i]!;
        const b = syl[i + 1]!;
        if (/^[a-z]+$/.test(a) && /^[a-z]+$/.test(b)) out.fuzzy.push(`py_${a}_${b}`);
      }
    }
  }

  out.concepts = lexicon.concepts(surface);
  out.compact = [...norm]
    .filter((ch) => (IS_HAN.test(ch) && !ZH_STOP_CHARS.has(ch)) || /[a-z0-9]/.test(ch))
    .slice(0, COMPACT_MAX)
    .join('');
  return out;
}
