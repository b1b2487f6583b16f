// Baseline: MiniSearch (in-memory inverted index, BM25+) with jieba word segmentation — the same
// `segmentWords` the project uses (core/search/segment.ts). Fields title / questions / tags / body
// with boosts; every query term gets prefix matching and fuzzy 0.2 (MiniSearch's fractional
// fuzziness: 1 edit from 3 characters, 2 from 8 — so 2-character Chinese words match exactly).
// This configuration reproduces the published reference (atec-faq 0.284 / 0.561); prefix and
// fuzzy restricted to latin terms only gives 0.271 / 0.538.
// Suggest: MiniSearch's own autoSuggest (term completions, prefix on the last term). dbBytes is
// the size of the serialised index (JSON), as it would be persisted.
import MiniSearch from 'minisearch';
import type { ArticleRecord } from '../../contracts/kb-bundle.ts';
import { segmentWords } from '../../core/search/segment.ts';
import type { SearchEngine } from './types.ts';
import { cleanQuery, normalize, questionsText, tagsText } from './text.ts';

interface Doc {
  id: string;
  title: string;
  questions: string;
  tags: string;
  body: string;
}

const WORDLIKE = /[\p{L}\p{N}]/u;

function tokenize(text: string): string[] {
  return segmentWords(normalize(text)).filter((w) => WORDLIKE.test(w));
}

function processTerm(term: string): string | null {
  const t = term.trim();
  return t ? t : null;
}

export class MiniSearchJiebaEngine implements SearchEngine {
  readonly name = 'minisearch-jieba';
  private ms: MiniSearch<Doc> | undefined;
  private bytes: number | undefined;

  async build(docs: readonly ArticleRecord[], _dir: string): Promise<void> {
    const ms = new MiniSearch<Doc>({
      fields: ['title', 'questions', 'tags', 'body'],
      idField: 'id',
      tokenize,
      processTerm,
      searchOptions: {
        boost: { title: 4, questions: 3, tags: 2, body: 1 },
        prefix: true,
        fuzzy: 0.2,
        combineWith: 'OR',
      },
      autoSuggestOptions: {
        boost: { title: 4, questions: 3, tags: 2, body: 1 },
        prefix: (_term, i, terms) => i === terms.length - 1,
        fuzzy: 0.2,
        combineWith: 'AND',
      },
    });
    ms.addAll(docs.map((d) => ({ id: d.id, title: d.title, questions: questionsText(d), tags: tagsText(d), body: d.body })));
    this.ms = ms;
    this.bytes = undefined;
  }

  search(q: string, limit: number): string[] {
    if (!this.ms || limit <= 0) return [];
    try {
      const text = cleanQuery(q);
      if (!text.trim()) return [];
      return this.ms
        .search(text)
        .slice(0, limit)
        .map((r) => String(r.id));
    } catch {
      return [];
    }
  }

  suggest(prefix: string, limit: number): string[] {
    if (!this.ms || limit <= 0) return [];
    try {
      const text = cleanQuery(prefix);
      if (!text.trim()) return [];
      return this.ms
        .autoSuggest(text)
        .slice(0, limit)
        .map((s) => s.suggestion);
    } catch {
      return [];
    }
  }

  dbBytes(): number {
    if (!this.ms) return 0;
    this.bytes ??= Buffer.byteLength(JSON.stringify(this.ms), 'utf8');
    return this.bytes;
  }

  close(): void {
    this.ms = undefined;
  }
}

export function createMiniSearchJiebaEngine(): SearchEngine {
  return new MiniSearchJiebaEngine();
}
