// Chinese word segmentation, and the surface words of a text that analysis and the lexicon share. @node-rs/jieba is jieba (the de-facto Chinese segmenter) compiled to a
// native module with prebuilt binaries on npm; loaded once, lazily, because its dictionary takes
// ~100 ms to load and most CLI commands never segment.
import { createRequire } from 'node:module';
import type * as JiebaModule from '@node-rs/jieba';

type JiebaType = JiebaModule.Jieba;

const require = createRequire(import.meta.url);
let jieba: JiebaType | undefined;

function instance(): JiebaType {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba') as typeof JiebaModule;
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

/** Words of a text in order (jieba's precise mode, HMM on for unknown words). */
export function segmentWords(text: string): string[] {
  if (!text) return [];
  return instance().cut(text, true);
}

export const HAN_RUN = /\p{Script=Han}+/gu;
export const IS_HAN = /^\p{Script=Han}+$/u;
const LATIN_OR_NUMBER = /^[\p{L}\p{N}'’]+$/u;

/** Raw surface words (normalised, segmented, stop words kept) — input of concept matching. */
export function surfaceWords(normalized: string, segment = true): string[] {
  const out: string[] = [];
  for (const w of segment ? segmentWords(normalized) : normalized.split(HAN_RUN)) {
    const t = w.trim();
    if (!t) continue;
    if (IS_HAN.test(t)) out.push(t);
    else for (const part of t.split(/[^\p{L}\p{N}'’]+/u)) if (part && LATIN_OR_NUMBER.test(part)) out.push(part.replace(/’/g, "'"));
  }
  return out;
}
