// UI benchmark (`npm run bench -- ui`), each figure beside a baseline measured in the same run:
//   (a) what the first screen loads — the built index.html's entry script, modulepreloads and
//       static import graph with their CSS (lazy chunks excluded), gzip -9 — against the 300 KB
//       budget, beside a minimal Vue 3 app built the same way;
//   (b) first paint, first contentful paint, the attract screen in the DOM, and tap → home tiles
//       visible and clickable, in Debian Chromium headless (cold cache each run, median of N),
//       beside a static HTML page with the same font files and a tap that shows a static home;
//   (c) long tasks while tapping a 10–11 letter query on the search keyboard (pinyin
//       "mimazhaohui" in zh-CN, "withdrawal" in English), goal: none over 50 ms, beside the same
//       taps on plain buttons typing into a plain <input>.
// The kiosk runs in browser mode in this process (core, bridge, static server) from a build of the
// current renderer sources in a temp folder. BENCH_UI_RUNS=N sets N for (b) (default 7).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserMode } from '../core/browser-mode/run.ts';
import { percentile } from '../common/percentile.ts';
import { formatTable, round, type Cell } from './lib/report.ts';
import { buildBaselineVue, buildKioskRenderer, firstScreen, type ChunkContents, type FirstScreen } from './ui/build.ts';
import { launchChromium, newMeasuredPage, paintRun, typingRun, type PaintRun, type TypingRun } from './ui/measure.ts';
import { writeBaselinePages } from './ui/pages.ts';
import { startStaticServer } from './ui/static-server.ts';

const BUDGET_KB = 300;
const RUNS = Math.max(1, Number(process.env.BENCH_UI_RUNS ?? 7) || 7);
const TYPING_RUNS = 3;
const QUERIES = [
  { name: 'pinyin "mimazhaohui" (zh-CN)', keys: 'mimazhaohui', locale: 'zh-CN' as const },
  { name: 'English "withdrawal" (en)', keys: 'withdrawal', locale: 'en' as const },
];

const kb = (bytes: number) => round(bytes / 1024, 1);
const median = (xs: number[]) => round(percentile(xs, 50), 1);

export default async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'kiosk-bench-ui-'));
  try {
    await runIn(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function runIn(work: string): Promise<void> {
  // (a) bundles
  const kioskOut = join(work, 'kiosk');
  const vueOut = join(work, 'vue');
  const contents = await buildKioskRenderer(kioskOut);
  await buildBaselineVue(vueOut);
  const kiosk = firstScreen(kioskOut);
  const vue = firstScreen(vueOut);
  const firstScreenContents = shares(kiosk, contents);
  printBundles(kiosk, vue, firstScreenContents);

  // (b) and (c): the kiosk (browser mode, no hub) and the baseline pages.
  const mode = await startBrowserMode({
    staticRoot: kioskOut,
    launch: false,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KIOSK_DATA_DIR: join(work, 'data'), KIOSK_LOG_LEVEL: 'warn' },
  });
  const pages = writeBaselinePages(join(work, 'baseline'), kioskOut);
  const server = await startStaticServer({ '/assets/': join(kioskOut, 'assets'), '/': join(work, 'baseline') });
  const browser = await launchChromium();
  try {
    const baselineUrl = server.url + pages.paint;
    // One warm-up each (Chromium's own start-up, the core's first queries), then alternate so that
    // load from other processes on the machine falls on both.
    await paintRun(browser, mode.url);
    await paintRun(browser, baselineUrl);
    const kioskPaint: PaintRun[] = [];
    const basePaint: PaintRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      kioskPaint.push(await paintRun(browser, mode.url));
      basePaint.push(await paintRun(browser, baselineUrl));
    }
    const paint = { kiosk: summarisePaint(kioskPaint), baseline: summarisePaint(basePaint) };
    printPaint(paint);

    const typing: Record<string, { kiosk: TypingSummary; baseline: TypingSummary }> = {};
    for (const q of QUERIES) {
      const k: TypingRun[] = [];
      const b: TypingRun[] = [];
      for (let i = 0; i < TYPING_RUNS; i++) {
        k.push(await kioskTyping(browser, mode.url, q.keys, q.locale));
        b.push(await baselineTyping(browser, server.url + pages.typing, q.keys));
      }
      typing[q.name] = { kiosk: summariseTyping(k), baseline: summariseTyping(b) };
    }
    printTyping(typing);

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      chromium: browser.version(),
      bundle: {
        budgetKB: BUDGET_KB,
        withinBudget: kiosk.totalGzip <= BUDGET_KB * 1024,
        kiosk: { ...bundleJson(kiosk), contents: firstScreenContents },
        baselineVue: bundleJson(vue),
      },
      paint: { runs: RUNS, viewport: '1080x1920', ...paint },
      typing: { runs: TYPING_RUNS, goal: 'no long task over 50 ms', queries: typing },
    };
    const dir = new URL('./results/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    writeFileSync(new URL('ui.json', dir), JSON.stringify(results, null, 2) + '\n');
  } finally {
    await browser.close();
    await server.close();
    await mode.stop();
  }
}

async function kioskTyping(browser: Awaited<ReturnType<typeof launchChromium>>, url: string, keys: string, locale: 'zh-CN' | 'en'): Promise<TypingRun> {
  const { page, close } = await newMeasuredPage(browser, url);
  try {
    await page.click('[data-test=attract]');
    await page.waitForSelector('[data-test=tile-help]');
    if (locale === 'en') await page.click('[data-test=language]');
    await page.click('[data-test=tile-help]');
    await page.waitForSelector('[data-test=keyboard] .hg-button');
    const settled =
      locale === 'zh-CN'
        ? `document.querySelector('[data-test=kb-buffer]')?.textContent === ${JSON.stringify(keys)} && document.querySelectorAll('[data-test=candidate]').length > 0`
        : `document.querySelector('[data-test=search-input]')?.value === ${JSON.stringify(keys)}`;
    const r = await typingRun(page, keys, settled);
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=attract]');
    return r;
  } finally {
    await close();
  }
}

async function baselineTyping(browser: Awaited<ReturnType<typeof launchChromium>>, url: string, keys: string): Promise<TypingRun> {
  const { page, close } = await newMeasuredPage(browser, url);
  try {
    return await typingRun(page, keys, `document.querySelector('[data-test=search-input]').value === ${JSON.stringify(keys)}`);
  } finally {
    await close();
  }
}

type PaintSummary = Record<keyof PaintRun, { median: number; min: number; max: number }>;

function summarisePaint(runs: PaintRun[]): PaintSummary {
  const keys = ['firstPaint', 'firstContentfulPaint', 'attract', 'tapToHome', 'fontFiles', 'fontKB'] as const;
  const one = (k: keyof PaintRun) => {
    const xs = runs.map((r) => r[k]);
    return { median: median(xs), min: round(Math.min(...xs), 1), max: round(Math.max(...xs), 1) };
  };
  return Object.fromEntries(keys.map((k) => [k, one(k)])) as PaintSummary;
}

interface TypingSummary {
  keys: number;
  longTasksMedian: number;
  longTasksMax: number;
  maxLongTaskMs: number;
  blockingMsMedian: number;
  over50msRuns: number;
  typed: string[];
}

function summariseTyping(runs: TypingRun[]): TypingSummary {
  return {
    keys: runs[0]?.keys ?? 0,
    longTasksMedian: percentile(runs.map((r) => r.longTasks), 50),
    longTasksMax: Math.max(...runs.map((r) => r.longTasks)),
    maxLongTaskMs: round(Math.max(...runs.map((r) => r.maxLongTaskMs)), 1),
    blockingMsMedian: median(runs.map((r) => r.blockingMs)),
    over50msRuns: runs.filter((r) => r.longTasks > 0).length,
    typed: [...new Set(runs.map((r) => r.text))],
  };
}

const bundleJson = (f: FirstScreen) => ({
  totalGzipKB: kb(f.totalGzip),
  jsGzipKB: kb(f.jsGzip),
  cssGzipKB: kb(f.cssGzip),
  fontFaceGzipKB: kb(f.fontFaceGzip),
  totalRawKB: kb(f.totalBytes),
  files: f.files.map((x) => ({ file: x.file, via: x.via, rawKB: kb(x.bytes), gzipKB: kb(x.gzipBytes) })),
  lazyChunks: f.lazyChunks,
});

/** What the first screen's JS is made of: rendered KB per package, largest first. */
function shares(f: FirstScreen, contents: ChunkContents): { origin: string; renderedKB: number; share: number }[] {
  const totals: Record<string, number> = {};
  for (const file of f.files) for (const [origin, n] of Object.entries(contents[file.file] ?? {})) totals[origin] = (totals[origin] ?? 0) + n;
  const all = Object.values(totals).reduce((a, b) => a + b, 0) || 1;
  return Object.entries(totals)
    .sort((a, b) => b[1] - a[1])
    .map(([origin, n]) => ({ origin, renderedKB: kb(n), share: round(n / all, 3) }));
}

function printBundles(kiosk: FirstScreen, vue: FirstScreen, contents: ReturnType<typeof shares>): void {
  console.log(`(a) first-screen bundle, gzip -9 (budget ${BUDGET_KB} KB; fonts load per unicode-range subset and are not counted)`);
  const rows: Cell[][] = [
    ['kiosk renderer, JS', kb(kiosk.jsGzip), kb(vue.jsGzip), round(kiosk.jsGzip / vue.jsGzip, 1) + '×'],
    ['kiosk renderer, CSS', kb(kiosk.cssGzip), kb(vue.cssGzip), null],
    ['  of which @font-face rules alone', kb(kiosk.fontFaceGzip), kb(vue.fontFaceGzip), null],
    ['kiosk renderer, total', kb(kiosk.totalGzip), kb(vue.totalGzip), `${round((kiosk.totalGzip / (BUDGET_KB * 1024)) * 100, 0)}% of budget`],
  ];
  console.log(formatTable(['', 'kiosk KB', 'minimal Vue KB', ''], rows));
  console.log(formatTable(['file the first screen loads', 'raw KB', 'gzip KB', 'how'], kiosk.files.map((f) => [f.file, kb(f.bytes), kb(f.gzipBytes), f.via])));
  if (kiosk.lazyChunks.length) console.log(`lazy chunks (not counted): ${kiosk.lazyChunks.join(', ')}`);
  const top = contents.slice(0, 12);
  console.log(
    formatTable(
      ['what the first-screen JS is made of', 'KB before minifying', 'share'],
      [...top.map((c): Cell[] => [c.origin, c.renderedKB, `${round(c.share * 100, 1)}%`]), ...(contents.length > top.length ? [[`${contents.length - top.length} more`, kb(contents.slice(top.length).reduce((n, c) => n + c.renderedKB * 1024, 0)), null]] : [])],
    ),
  );
  if (kiosk.totalGzip > BUDGET_KB * 1024) console.log(`OVER BUDGET by ${kb(kiosk.totalGzip - BUDGET_KB * 1024)} KB — see the per-file table above`);
}

function printPaint(p: { kiosk: PaintSummary; baseline: PaintSummary }): void {
  console.log(`\n(b) Chromium headless, 1080×1920, cold cache, median of ${RUNS} (min–max), ms`);
  const row = (label: string, k: keyof PaintRun): Cell[] => [
    label,
    `${p.kiosk[k].median} (${p.kiosk[k].min}–${p.kiosk[k].max})`,
    `${p.baseline[k].median} (${p.baseline[k].min}–${p.baseline[k].max})`,
    p.baseline[k].median > 0 ? round(p.kiosk[k].median / p.baseline[k].median, 1) + '×' : null,
  ];
  console.log(
    formatTable(
      ['', 'kiosk', 'static page, same fonts', ''],
      [
        row('first paint', 'firstPaint'),
        row('first contentful paint', 'firstContentfulPaint'),
        row('attract screen in the DOM', 'attract'),
        row('tap → home tiles clickable', 'tapToHome'),
        row('font files fetched by then (count)', 'fontFiles'),
        row('  their size, KB', 'fontKB'),
      ],
    ),
  );
}

function printTyping(t: Record<string, { kiosk: TypingSummary; baseline: TypingSummary }>): void {
  console.log(`\n(c) long tasks while tapping the keys of a query, ${TYPING_RUNS} runs each (goal: none over 50 ms)`);
  const rows: Cell[][] = [];
  for (const [name, { kiosk, baseline }] of Object.entries(t)) {
    rows.push([`${name}, on-screen keyboard`, `${kiosk.longTasksMedian} (max ${kiosk.longTasksMax})`, kiosk.maxLongTaskMs, kiosk.blockingMsMedian, kiosk.over50msRuns === 0 ? 'met' : `NOT met in ${kiosk.over50msRuns}/${TYPING_RUNS}`]);
    rows.push([`  baseline: plain buttons into <input>`, `${baseline.longTasksMedian} (max ${baseline.longTasksMax})`, baseline.maxLongTaskMs, baseline.blockingMsMedian, baseline.over50msRuns === 0 ? 'met' : `NOT met in ${baseline.over50msRuns}/${TYPING_RUNS}`]);
  }
  console.log(formatTable(['', 'long tasks, median', 'longest ms', 'blocking ms', 'goal'], rows));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) void run();
