import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArticles } from '../../bench/data/synthetic.ts';
import { baselineEngines } from '../../bench/engines/baselines.ts';
import { createFts5TrigramEngine } from '../../bench/engines/fts5-trigram.ts';
import type { EngineEntry, SearchEngine } from '../../bench/engines/types.ts';

const docs = generateArticles(50, { seed: 99 });
const HOSTILE = ['"', '*', 'AND', 'NEAR(', 'a', '', ' ', 'x'.repeat(10_000), '密'.repeat(10_000), '"unbalanced', "' OR 1=1 --", 'title:x*', 'NEAR("a" "b", 2)', '\u0000', '😀'];

const entries: EngineEntry[] = [...baselineEngines(), { name: 'fts5-trigram-phrase', create: () => createFts5TrigramEngine('phrases') }];

describe.each(entries)('$name baseline', (entry) => {
  let engine: SearchEngine;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-engine-test-'));
    engine = entry.create();
    await engine.build(docs, dir);
  });

  afterAll(() => {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds an article by its exact title at rank 1 (zh-CN and en)', () => {
    const zh = docs.filter((d) => d.locale === 'zh-CN').slice(0, 5);
    const en = docs.filter((d) => d.locale === 'en').slice(0, 3);
    expect(zh.length).toBeGreaterThan(0);
    expect(en.length).toBeGreaterThan(0);
    for (const d of [...zh, ...en]) expect(engine.search(d.title, 5)[0], d.title).toBe(d.id);
  });

  it('respects the limit and returns known ids', () => {
    const ids = engine.search(docs[0]!.title, 3);
    expect(ids.length).toBeLessThanOrEqual(3);
    const known = new Set(docs.map((d) => d.id));
    for (const id of ids) expect(known.has(id)).toBe(true);
  });

  it.each(HOSTILE.map((q) => [q.length > 20 ? `${q.slice(0, 8)}… (${q.length} chars)` : JSON.stringify(q), q]))(
    'hostile query %s returns an array without throwing',
    (_label, q) => {
      const res = engine.search(q, 10);
      expect(Array.isArray(res)).toBe(true);
      if (engine.suggest) expect(Array.isArray(engine.suggest(q, 8))).toBe(true);
    },
  );

  it('treats FTS syntax in a query as text, not as an error', () => {
    // The engines catch SQLite errors and return []; this makes sure quoting really works, so a
    // real query wrapped in operators still finds its article.
    const d = docs.find((x) => x.locale === 'zh-CN')!;
    expect(engine.search(`"${d.title}" AND NEAR( *`, 5)).toContain(d.id);
  });

  it('reports a non-zero size', () => {
    expect(engine.dbBytes()).toBeGreaterThan(0);
  });
});
