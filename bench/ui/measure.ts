// Measuring in the page: marks are performance.now() values taken by the page itself (an init
// script, so no production code is involved), read back through Playwright. Page-side code is
// passed as strings: the bench's TypeScript has Node's types, not the DOM's.
import { chromium, type Browser, type Page } from 'playwright-core';

/** As test/e2e/util.ts (which imports vitest, so it cannot be imported from a bench). */
export const CHROMIUM = process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const PORTRAIT = { width: 1080, height: 1920 };

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/**
 * Marks: 'attract' when [data-test=attract] is first in the DOM; 'tap' at the first pointerdown;
 * 'home' in the first animation frame after the tap in which [data-test=tile-help] is enabled,
 * has a size and is what a tap on its centre would hit (visible and clickable).
 * Long tasks are collected from the start.
 */
const INIT = `(() => {
  const ui = (window.__ui = { marks: {}, longTasks: [] });
  const mark = (k) => { if (!(k in ui.marks)) ui.marks[k] = performance.now(); };
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) ui.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  } catch { ui.noLongTask = true; }
  new MutationObserver(() => { if (document.querySelector('[data-test=attract]')) mark('attract'); }).observe(document, { childList: true, subtree: true });
  const clickable = (sel) => {
    const el = document.querySelector(sel);
    if (!el || el.disabled) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return !!hit && el.contains(hit);
  };
  addEventListener('pointerdown', () => {
    if ('tap' in ui.marks) return;
    mark('tap');
    const poll = () => (clickable('[data-test=tile-help]') ? mark('home') : requestAnimationFrame(poll));
    requestAnimationFrame(poll);
  }, { capture: true });
})();`;

export interface PaintRun {
  firstPaint: number;
  firstContentfulPaint: number;
  /** Navigation start → the attract screen in the DOM. */
  attract: number;
  /** Tap → home tiles visible and clickable. */
  tapToHome: number;
  /** Font files (unicode-range subsets) fetched by then, and their bytes. */
  fontFiles: number;
  fontKB: number;
}

/** One cold load (fresh context: empty cache) of `url`, a tap on the attract screen, home. */
export async function paintRun(browser: Browser, url: string): Promise<PaintRun> {
  const context = await browser.newContext({ viewport: PORTRAIT });
  try {
    const page = await context.newPage();
    await page.addInitScript(INIT);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('[data-test=attract]');
    await page.click('[data-test=attract]');
    await waitForExpression(page, 'window.__ui.marks.home !== undefined');
    const r = (await page.evaluate(`(() => {
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
      const fonts = performance.getEntriesByType('resource').filter((e) => /\\.woff2?$/.test(e.name));
      return { paint, marks: window.__ui.marks, fontFiles: fonts.length, fontBytes: fonts.reduce((n, e) => n + e.encodedBodySize, 0) };
    })()`)) as { paint: Record<string, number>; marks: Record<string, number>; fontFiles: number; fontBytes: number };
    const need = (v: number | undefined, what: string) => {
      if (v === undefined) throw new Error(`${url}: no ${what} measured`);
      return v;
    };
    return {
      firstPaint: need(r.paint['first-paint'], 'first-paint'),
      firstContentfulPaint: need(r.paint['first-contentful-paint'], 'first-contentful-paint'),
      attract: need(r.marks.attract, 'attract mark'),
      tapToHome: need(r.marks.home, 'home mark') - need(r.marks.tap, 'tap mark'),
      fontFiles: r.fontFiles,
      fontKB: Math.round(r.fontBytes / 1024),
    };
  } finally {
    await context.close();
  }
}

export interface TypingRun {
  keys: number;
  longTasks: number;
  maxLongTaskMs: number;
  /** Sum of (duration − 50 ms) over the long tasks. */
  blockingMs: number;
  /** What the search box held after the last key (a check that the typing happened). */
  text: string;
}

/** Polls a page expression until it is truthy. Not page.waitForFunction: with a string that
 *  evaluates in the page, which the kiosk's CSP (no 'unsafe-eval') forbids; CDP evaluation is not. */
export async function waitForExpression(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const keySelector = (k: string) => `[data-test=keyboard] [data-skbtn="${k}"]`;

/**
 * Taps `keys` one by one on a page that is showing a keyboard, then waits for `settled` (a page
 * expression) and one more second for trailing work, and reports the long tasks seen from the first
 * tap on.
 */
export async function typingRun(page: Page, keys: string, settled: string): Promise<TypingRun> {
  await page.waitForSelector(keySelector(keys[0]!));
  await page.evaluate('window.__ui.longTasks.length = 0');
  const from = (await page.evaluate('performance.now()')) as number;
  for (const k of keys) await page.click(keySelector(k));
  await waitForExpression(page, settled);
  await page.waitForTimeout(1000);
  const tasks = ((await page.evaluate('window.__ui.longTasks')) as { start: number; duration: number }[]).filter((t) => t.start >= from);
  return {
    keys: keys.length,
    longTasks: tasks.length,
    maxLongTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
    blockingMs: tasks.reduce((n, t) => n + Math.max(0, t.duration - 50), 0),
    text: (await page.inputValue('[data-test=search-input]')) + ((await page.locator('[data-test=kb-buffer]').count()) ? (await page.textContent('[data-test=kb-buffer]')) ?? '' : ''),
  };
}

export async function newMeasuredPage(browser: Browser, url: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: PORTRAIT });
  const page = await context.newPage();
  await page.addInitScript(INIT);
  await page.goto(url, { waitUntil: 'load' });
  return { page, close: () => context.close() };
}
