// Shared E2E harness: a temp folder that lives for the whole test file (the kiosk child process
// writes into it), and browser mode as the README runs it (`kiosk browser --no-launch` as a child
// process) with the machine's Chromium through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SHOTS = join(ROOT, 'out', 'e2e');
export const STAFF_PIN = '135790';

export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };

export function tempDirKept(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface BrowserMode {
  url: string;
  browser: Browser;
  stop(): Promise<void>;
}

const BUILD_LOCK = join(tmpdir(), 'lobby-kiosk-e2e-start.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Test files run in parallel forks and browser mode rebuilds a stale renderer into one folder:
 *  starts are serialised by a lock file holding the owner's pid (a dead owner's lock is taken over). */
async function withStartLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      writeFileSync(BUILD_LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const owner = Number(readFileSync(BUILD_LOCK, { encoding: 'utf8', flag: 'a+' }));
      if (!owner || !alive(owner)) rmSync(BUILD_LOCK, { force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(BUILD_LOCK, { force: true });
  }
}

/** Starts `kiosk browser --no-launch` on a fresh data folder and a headless Chromium. */
export async function startBrowserMode(env: Record<string, string> = {}): Promise<BrowserMode> {
  const data = tempDirKept();
  return withStartLock(() => launch(data, env));
}

async function launch(data: string, env: Record<string, string>): Promise<BrowserMode> {
  let stderr = '';
  const kiosk: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'browser', '--no-launch'], {
    cwd: ROOT,
    env: { ...process.env, KIOSK_DATA_DIR: data, KIOSK_STAFF_PIN: STAFF_PIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  kiosk.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    kiosk.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/#k=[0-9a-f]{64})/.exec(out);
      if (m) resolve(m[1]!);
    });
    kiosk.once('exit', (code) => reject(new Error(`kiosk browser exited with ${code}: ${stderr}`)));
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
  return {
    url,
    browser,
    async stop() {
      await browser.close();
      if (kiosk.exitCode === null) {
        const exited = new Promise((resolve) => kiosk.once('exit', resolve));
        kiosk.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Attract → home. */
export async function startSession(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.click('[data-test=attract]');
  await page.waitForSelector('[data-test=tile-help]');
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page (evaluated through the DevTools protocol, so the page's CSP still
 *  forbids inline script) with every WCAG 2.0/2.1 level A and AA rule. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  await page.evaluate('document.fonts.ready');
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`)) as AxeViolation[];
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
}


/**
 * One browser-mode kiosk for a test file, and a fresh browser context for each test (closed after
 * it): the set-up every E2E file needs, in one place.
 */
export function kioskForTests(env: Record<string, string> = {}) {
  let mode: BrowserMode | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    mode = await startBrowserMode(env);
  });
  afterAll(async () => {
    await mode?.stop();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return {
    get url(): string {
      return mode!.url;
    },
    async page(viewport: { width: number; height: number } = PORTRAIT): Promise<Page> {
      context = await mode!.browser.newContext({ viewport });
      return context.newPage();
    },
  };
}
