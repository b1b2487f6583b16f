// The baseline engines the project's engine is measured against (issue 2 §6).
import { createFts5BigramEngine } from './fts5-bigram.ts';
import { createFts5TrigramEngine } from './fts5-trigram.ts';
import { createMiniSearchJiebaEngine } from './minisearch-jieba.ts';
import type { EngineEntry } from './types.ts';

export function baselineEngines(): EngineEntry[] {
  return [
    { name: 'fts5-trigram', create: () => createFts5TrigramEngine() },
    { name: 'fts5-bigram', create: () => createFts5BigramEngine() },
    { name: 'minisearch-jieba', create: () => createMiniSearchJiebaEngine() },
  ];
}
