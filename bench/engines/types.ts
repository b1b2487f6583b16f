// The interface every engine in the search benchmark implements: the project's own engine
// (bench/engines/project.ts) and the baselines beside this file. The bench builds each engine
// from scratch in a fresh temp dir, times build/search/suggest, and reads dbBytes() once.
import type { ArticleRecord } from '../../contracts/kb-bundle.ts';

export interface SearchEngine {
  /** Row label in the bench tables and key in bench/results/*.json. */
  readonly name: string;
  /**
   * Index `docs`. `dir` is a fresh, empty temp dir owned by this engine until close(): put the
   * SQLite file (or anything else) there. The bench deletes it after close().
   */
  build(docs: readonly ArticleRecord[], dir: string): Promise<void>;
  /**
   * Article ids, best first, at most `limit`. Must never throw on hostile text (quotes, `*`,
   * `AND`, `NEAR(`, one character, empty, 10 000 characters): return [] instead.
   */
  search(q: string, limit: number): string[];
  /** Suggestion texts as you type (e.g. titles), best first; optional. Same never-throw rule. */
  suggest?(prefix: string, limit: number): string[];
  /** Bytes the index occupies at rest (SQLite file + WAL, or a serialised in-memory index). */
  dbBytes(): number;
  /** Release the DB handle / memory. The bench calls it exactly once after build. */
  close(): void;
}

/** How the bench gets a fresh engine per run. */
export interface EngineEntry {
  name: string;
  create: () => SearchEngine;
  /**
   * Largest synthetic KB this engine is run at (omitted = no cap). Used to keep the default
   * run within its time budget when an engine is too slow at 100k; the bench prints the cap.
   */
  maxDocs?: number;
}
