// Retrieval quality of any engine against labelled queries: the figures `kb eval` and the
// benchmarks print (top-1, recall@5, MRR@10, latency p50/p95).
import { z } from 'zod';
import { percentile } from '../../common/percentile.ts';

export const EvalQuery = z.object({ q: z.string(), expect: z.array(z.string()).min(1) });
export type EvalQuery = z.infer<typeof EvalQuery>;

export interface EvalMetrics {
  top1: number;
  recall5: number;
  mrr10: number;
  p50Ms: number;
  p95Ms: number;
}

export interface EvalMiss {
  q: string;
  expect: string[];
  got: string[];
  /** 1-based rank of the first expected id in the top 10, or null when absent. */
  rank: number | null;
}

/** `search` returns ranked ids (best first); it is timed per query. */
export function evaluate(queries: readonly EvalQuery[], search: (q: string) => string[]): { metrics: EvalMetrics; misses: EvalMiss[] } {
  let top1 = 0;
  let recall5 = 0;
  let mrr = 0;
  const times: number[] = [];
  const misses: EvalMiss[] = [];
  for (const { q, expect } of queries) {
    const t0 = performance.now();
    const ids = search(q);
    times.push(performance.now() - t0);
    const wanted = new Set(expect);
    const idx = ids.slice(0, 10).findIndex((id) => wanted.has(id));
    if (idx === 0) top1++;
    if (idx >= 0 && idx < 5) recall5++;
    if (idx >= 0) mrr += 1 / (idx + 1);
    if (idx !== 0) misses.push({ q, expect, got: ids.slice(0, 5), rank: idx >= 0 ? idx + 1 : null });
  }
  const n = Math.max(1, queries.length);
  const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    metrics: {
      top1: round(top1 / n),
      recall5: round(recall5 / n),
      mrr10: round(mrr / n),
      p50Ms: round(percentile(times, 50), 3),
      p95Ms: round(percentile(times, 95), 3),
    },
    misses,
  };
}
