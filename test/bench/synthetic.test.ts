import { describe, expect, it } from 'vitest';
import { ArticleRecord } from '../../contracts/kb-bundle.ts';
import { generateArticles, generatePrefixes, generateQueries, HOSTILE_QUERIES, Rng } from '../../bench/data/synthetic.ts';

describe('synthetic KB generator', () => {
  it('is deterministic: same seed, same articles, queries and prefixes', () => {
    const a = generateArticles(500, { seed: 7 });
    const b = generateArticles(500, { seed: 7 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(generateQueries(b, { seed: 7 })).toEqual(generateQueries(a, { seed: 7 }));
    expect(generatePrefixes(b, { seed: 7 })).toEqual(generatePrefixes(a, { seed: 7 }));
  });

  it('differs with another seed, and a smaller KB is a prefix of a larger one', () => {
    expect(JSON.stringify(generateArticles(50, { seed: 1 }))).not.toBe(JSON.stringify(generateArticles(50, { seed: 2 })));
    expect(generateArticles(300)).toEqual(generateArticles(1000).slice(0, 300));
  });

  it('does not use Math.random', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random used');
    };
    try {
      const docs = generateArticles(200);
      generateQueries(docs);
      generatePrefixes(docs);
    } finally {
      Math.random = original;
    }
  });

  it('produces valid, bilingual ArticleRecords with unique ids and titles', () => {
    const docs = generateArticles(2000);
    for (const d of docs) expect(ArticleRecord.safeParse(d).success, d.id).toBe(true);
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
    expect(new Set(docs.map((d) => d.title)).size).toBe(docs.length);
    const zh = docs.filter((d) => d.locale === 'zh-CN').length;
    expect(zh / docs.length).toBeGreaterThan(0.6);
    expect(zh / docs.length).toBeLessThan(0.8);
    expect(docs.every((d) => (d.tags?.length ?? 0) > 0)).toBe(true);
    expect(docs.some((d) => (d.questions?.length ?? 0) > 0)).toBe(true);
    expect(docs.some((d) => /\p{Script=Han}/u.test(d.title))).toBe(true);
  });

  it('makes a 300-query set with every hostile string, and pinyin/initials prefixes', () => {
    const docs = generateArticles(1000);
    const queries = generateQueries(docs);
    expect(queries).toHaveLength(300);
    for (const h of HOSTILE_QUERIES) expect(queries.some((q) => q.kind === 'hostile' && q.q === h)).toBe(true);
    const ids = new Set(docs.map((d) => d.id));
    for (const q of queries) for (const id of q.expect ?? []) expect(ids.has(id)).toBe(true);
    const prefixes = generatePrefixes(docs);
    expect(prefixes).toHaveLength(100);
    expect(prefixes.some((p) => p.kind === 'initials' && /^[a-z]{2,4}$/.test(p.prefix))).toBe(true);
    expect(prefixes.some((p) => p.kind === 'pinyin' && /^[a-zü]{3,}$/.test(p.prefix))).toBe(true);
  });

  it('generates 100k articles quickly', () => {
    const t0 = performance.now();
    expect(generateArticles(100_000)).toHaveLength(100_000);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('Rng stays in range', () => {
    const rng = new Rng(42);
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });
});
