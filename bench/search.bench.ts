// Search benchmark (issue 2 §6): the project's engine against the baselines, same run, same data.
//   (a) quality on ../shared/datasets/atec-faq: top-1, recall@5, MRR@10 (core/search/eval.ts)
//   (b) scale on synthetic KBs (bench/data/synthetic.ts): build time, size at rest, search and
//       suggest p50/p95 — at 1k, 10k, 100k articles (env BENCH_SIZES=1000,10000 to choose).
// The project's engine is bench/engines/project.ts (`export function createProjectEngine()`),
// loaded dynamically so the bench runs the baselines alone until it exists.
// Prints one table per section and writes bench/results/search.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArticleRecord } from '../contracts/kb-bundle.ts';
import { EvalQuery, evaluate, type EvalMetrics } from '../core/search/eval.ts';
import { percentile } from '../common/percentile.ts';
import { generateArticles, generatePrefixes, generateQueries, DEFAULT_SEED } from './data/synthetic.ts';
import { baselineEngines } from './engines/baselines.ts';
import type { EngineEntry, SearchEngine } from './engines/types.ts';
import { cpuModel, formatTable, round, secondsSince, type Cell } from './lib/report.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ATEC_DIR = resolve(REPO_ROOT, '../shared/datasets/atec-faq');
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
/** The lead's engine; BENCH_PROJECT_ENGINE=<path.ts> points the bench at another candidate. */
const PROJECT_ENGINE = process.env.BENCH_PROJECT_ENGINE
  ? resolve(process.env.BENCH_PROJECT_ENGINE)
  : fileURLToPath(new URL('./engines/project.ts', import.meta.url));
const DEFAULT_SIZES = [1_000, 10_000, 100_000];
const SEARCH_LIMIT = 10;
const SUGGEST_LIMIT = 8;
const QUERY_COUNT = 300;
const PREFIX_COUNT = 100;
const WARMUP = 20;

interface QualityRow {
  engine: string;
  buildS?: number;
  metrics?: EvalMetrics;
  error?: string;
}

interface ScaleRow {
  engine: string;
  buildS?: number;
  dbMB?: number;
  searchP50Ms?: number;
  searchP95Ms?: number;
  suggestP50Ms?: number;
  suggestP95Ms?: number;
  /** Share of queries with a source article that found it in the top 10 (sanity, not quality). */
  hit10?: number;
  skipped?: string;
  error?: string;
}

export default async function run(): Promise<void> {
  const engines = await loadEngines();
  const sizes = parseSizes(process.env.BENCH_SIZES);
  const started = new Date();
  const t0 = performance.now();

  const quality = await runQuality(engines);
  const scale: { size: number; generateS: number; queries: number; prefixes: number; rows: ScaleRow[] }[] = [];
  for (const size of sizes) scale.push(await runScale(engines, size));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = join(RESULTS_DIR, 'search.json');
  const report = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpuModel(),
    date: started.toISOString(),
    durationS: round(secondsSince(t0), 1),
    engines: engines.map((e) => ({ name: e.name, maxDocs: e.maxDocs ?? null })),
    settings: { searchLimit: SEARCH_LIMIT, suggestLimit: SUGGEST_LIMIT, seed: DEFAULT_SEED, sizes },
    quality,
    scale,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

// ---------------------------------------------------------------------------------------------

async function loadEngines(): Promise<EngineEntry[]> {
  const entries: EngineEntry[] = [];
  if (!existsSync(PROJECT_ENGINE)) {
    console.log(`project engine not wired yet (${PROJECT_ENGINE} is missing): running the baselines only`);
  } else {
    try {
      const mod = (await import(pathToFileURL(PROJECT_ENGINE).href)) as { createProjectEngine?: unknown };
      if (typeof mod.createProjectEngine !== 'function') throw new Error('it does not export createProjectEngine()');
      const create = mod.createProjectEngine as () => SearchEngine;
      entries.push({ name: create().name, create });
    } catch (err) {
      console.log(`project engine failed to load (${message(err)}): running the baselines only`);
    }
  }
  entries.push(...baselineEngines());
  return entries;
}

function parseSizes(env: string | undefined): number[] {
  if (env === undefined || env.trim() === '') return DEFAULT_SIZES;
  const sizes = env.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`BENCH_SIZES must be a comma-separated list of positive integers (e.g. 1000,10000), got '${env}'`);
  }
  return sizes;
}

/** Build an engine in a fresh temp dir, hand it to `use`, always close it and delete the dir. */
async function withEngine<T>(entry: EngineEntry, docs: readonly ArticleRecord[], use: (e: SearchEngine, buildS: number) => T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `kiosk-bench-${entry.name.replace(/[^a-z0-9-]/gi, '_')}-`));
  const engine = entry.create();
  try {
    const t0 = performance.now();
    await engine.build(docs, dir);
    return use(engine, secondsSince(t0));
  } finally {
    try {
      engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// (a) quality

async function runQuality(engines: readonly EngineEntry[]): Promise<{ dataset: string; articles: number; queries: number; rows: QualityRow[] } | { skipped: string }> {
  console.log(`\n## Quality: atec-faq (${ATEC_DIR})`);
  const kbFile = join(ATEC_DIR, 'kb.jsonl');
  const queriesFile = join(ATEC_DIR, 'queries.jsonl');
  if (!existsSync(kbFile) || !existsSync(queriesFile)) {
    const skipped = `atec-faq not found at ${ATEC_DIR} (expects kb.jsonl and queries.jsonl there, i.e. ../shared/datasets/atec-faq from the repo root): quality section skipped`;
    console.log(skipped);
    return { skipped };
  }
  const docs = readJsonl(kbFile).flatMap((rec, i) => {
    if ((rec as { type?: unknown }).type !== 'article') return [];
    const parsed = ArticleRecord.safeParse(rec);
    if (!parsed.success) throw new Error(`${kbFile}:${i + 1}: not an article record: ${parsed.error.issues[0]?.message}`);
    return [parsed.data];
  });
  const queries = readJsonl(queriesFile).map((rec, i) => {
    const parsed = EvalQuery.safeParse(rec);
    if (!parsed.success) throw new Error(`${queriesFile}:${i + 1}: not {q, expect}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });

  const rows: QualityRow[] = [];
  for (const entry of engines) {
    try {
      rows.push(
        await withEngine(entry, docs, (engine, buildS) => {
          const { metrics } = evaluate(queries, (q) => engine.search(q, SEARCH_LIMIT));
          return { engine: engine.name, buildS: round(buildS, 2), metrics };
        }),
      );
    } catch (err) {
      rows.push({ engine: entry.name, error: message(err) });
    }
  }
  console.log(`${docs.length} articles, ${queries.length} queries, limit ${SEARCH_LIMIT}`);
  console.log(
    formatTable(
      ['engine', 'top-1', 'recall@5', 'MRR@10', 'p50 ms', 'p95 ms', 'build s'],
      rows.map((r): Cell[] =>
        r.metrics
          ? [r.engine, r.metrics.top1.toFixed(3), r.metrics.recall5.toFixed(3), r.metrics.mrr10.toFixed(3), r.metrics.p50Ms.toFixed(2), r.metrics.p95Ms.toFixed(2), r.buildS?.toFixed(2)]
          : [r.engine, `error: ${r.error}`],
      ),
    ),
  );
  console.log('published baselines (2-core machine): fts5-trigram 0.196 / 0.386 · minisearch+jieba 0.284 / 0.561 · fts5 unigram+bigram 0.331 / 0.675; target ≥ 0.40 / ≥ 0.75');
  return { dataset: 'atec-faq', articles: docs.length, queries: queries.length, rows };
}

function readJsonl(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, n }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${file}:${n}: not JSON`);
      }
    });
}

// ---------------------------------------------------------------------------------------------
// (b) scale

async function runScale(engines: readonly EngineEntry[], size: number) {
  console.log(`\n## Scale: ${size.toLocaleString('en')} synthetic articles (seed ${DEFAULT_SEED})`);
  const g0 = performance.now();
  const docs = generateArticles(size);
  const queries = generateQueries(docs, { count: QUERY_COUNT });
  const prefixes = generatePrefixes(docs, { count: PREFIX_COUNT }).map((p) => p.prefix);
  const generateS = secondsSince(g0);
  console.log(`generated in ${generateS.toFixed(1)} s; ${queries.length} queries (incl. hostile), ${prefixes.length} suggest prefixes`);

  const rows: ScaleRow[] = [];
  for (const entry of engines) {
    if (entry.maxDocs !== undefined && size > entry.maxDocs) {
      const skipped = `capped at ${entry.maxDocs.toLocaleString('en')} articles (too slow for the default run)`;
      console.log(`  ${entry.name}: skipped, ${skipped}`);
      rows.push({ engine: entry.name, skipped });
      continue;
    }
    try {
      const row = await withEngine(entry, docs, (engine, buildS) => {
        for (const { q } of queries.slice(0, WARMUP)) engine.search(q, SEARCH_LIMIT);
        const searchMs: number[] = [];
        let withSource = 0;
        let found = 0;
        for (const { q, expect } of queries) {
          const t = performance.now();
          const ids = engine.search(q, SEARCH_LIMIT);
          searchMs.push(performance.now() - t);
          if (!Array.isArray(ids)) throw new Error(`search(${JSON.stringify(q.slice(0, 20))}) did not return an array`);
          if (expect) {
            withSource++;
            if (ids.some((id) => expect.includes(id))) found++;
          }
        }
        const r: ScaleRow = {
          engine: engine.name,
          buildS: round(buildS, 2),
          dbMB: round(engine.dbBytes() / 1_048_576, 2),
          searchP50Ms: round(percentile(searchMs, 50), 3),
          searchP95Ms: round(percentile(searchMs, 95), 3),
          hit10: withSource > 0 ? round(found / withSource, 3) : undefined,
        };
        if (engine.suggest) {
          const suggest = engine.suggest.bind(engine);
          for (const p of prefixes.slice(0, WARMUP)) suggest(p, SUGGEST_LIMIT);
          const suggestMs = prefixes.map((p) => {
            const t = performance.now();
            suggest(p, SUGGEST_LIMIT);
            return performance.now() - t;
          });
          r.suggestP50Ms = round(percentile(suggestMs, 50), 3);
          r.suggestP95Ms = round(percentile(suggestMs, 95), 3);
        }
        return r;
      });
      console.log(`  ${row.engine}: build ${row.buildS?.toFixed(1)} s, search p95 ${row.searchP95Ms?.toFixed(2)} ms`);
      rows.push(row);
    } catch (err) {
      console.log(`  ${entry.name}: error: ${message(err)}`);
      rows.push({ engine: entry.name, error: message(err) });
    }
  }
  console.log(
    formatTable(
      ['engine', 'build s', 'size MB', 'search p50', 'search p95', 'suggest p50', 'suggest p95', 'hit@10'],
      rows.map((r): Cell[] =>
        r.skipped || r.error
          ? [r.engine, r.skipped ? `skipped: ${r.skipped}` : `error: ${r.error}`]
          : [
              r.engine,
              r.buildS?.toFixed(2),
              r.dbMB?.toFixed(1),
              r.searchP50Ms?.toFixed(2),
              r.searchP95Ms?.toFixed(2),
              r.suggestP50Ms?.toFixed(2),
              r.suggestP95Ms?.toFixed(2),
              r.hit10?.toFixed(2),
            ],
      ),
    ),
  );
  console.log('times in ms; size = SQLite file + WAL after checkpoint (minisearch: serialised JSON index); hit@10 = queries whose source article is in the top 10 (a sanity figure: synthetic KBs have many near-identical articles)');
  return { size, generateS: round(generateS, 2), queries: queries.length, prefixes: prefixes.length, rows };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
