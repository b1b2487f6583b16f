// Chinese word segmentation. @node-rs/jieba is jieba (the de-facto Chinese segmenter) compiled to a
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
