// End to end in browser mode, as the README runs it: `kiosk browser --no-launch` as a child process
// (kiosk core + loopback bridge + static server for the built renderer), driven by the machine's
// Chromium through playwright-core. Nothing is mocked.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDirKept } from './util.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(ROOT, 'out', 'e2e');

let kiosk: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
let stderr = '';

beforeAll(async () => {
  const data = tempDirKept();
  kiosk = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'browser', '--no-launch'], {
    cwd: ROOT,
    env: { ...process.env, KIOSK_DATA_DIR: data, KIOSK_STAFF_PIN: '135790' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  kiosk.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    kiosk.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/#k=[0-9a-f]{64})/.exec(out);
      if (m) resolve(m[1]!);
    });
    kiosk.once('exit', (code) => reject(new Error(`kiosk browser exited with ${code}: ${stderr}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (kiosk && kiosk.exitCode === null) {
    const exited = new Promise((resolve) => kiosk.once('exit', resolve));
    kiosk.kill('SIGTERM');
    await exited;
  }
});

beforeEach(async () => {
  const context = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
  page = await context.newPage();
  // Page-side code is given as strings: this file is type-checked without DOM types.
  await page.addInitScript(`window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`);
});

async function start(p: Page = page) {
  await p.goto(url);
  await p.click('[data-test=attract]');
  await p.waitForSelector('[data-test=tile-help]');
}

const cspViolations = (p: Page = page) => p.evaluate('window.__csp') as Promise<string[]>;

describe('browser mode end to end', () => {
  it('prints the page URL with the launch secret and serves the renderer', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#k=[0-9a-f]{64}$/);
  });

  it('attract → home → help: pinyin initials suggest an article, which opens', async () => {
    await start();
    await page.click('[data-test=tile-help]');
    await page.fill('[data-test=search-input]', 'mmzh');
    const suggestion = page.locator('[data-test=suggestions] button', { hasText: '密码找回' });
    await suggestion.waitFor();
    await suggestion.click();
    await expect.poll(() => page.textContent('[data-test=article-title]')).toBe('密码找回');
    expect(await cspViolations()).toEqual([]);
  });

  it('search shows highlighted results; the article view counts feedback', async () => {
    await start();
    await page.click('[data-test=tile-help]');
    await page.fill('[data-test=search-input]', '银行卡丢了');
    await page.click('[data-test=search-submit]');
    const first = page.locator('[data-test=results] .result').first();
    await first.waitFor();
    expect(await page.locator('[data-test=results] mark').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'help-search-zh.png') });
    await page.locator('[data-test=results] .result', { hasText: '银行卡丢了怎么挂失' }).click();
    await page.waitForSelector('[data-test=article]');
    // The KB image arrives through the API as a blob: URL (the CSP allows nothing else).
    const img = page.locator('.article-body img.kb-image').first();
    await expect.poll(() => img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).complete && (el as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(true);
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    await page.click('[data-test=helpful-yes]');
    await page.waitForSelector('[data-test=feedback-thanks]');
    await page.screenshot({ path: join(SHOTS, 'article-zh.png') });
    expect(await cspViolations()).toEqual([]);
  });

  it('renders Chinese with the bundled Noto Sans SC (no CJK system fonts needed)', async () => {
    await start();
    const loaded = (await page.evaluate(`(async () => {
      await document.fonts.ready;
      await document.fonts.load('700 32px "Noto Sans SC"', '欢迎光临');
      const faces = [];
      document.fonts.forEach((f) => faces.push(f));
      return faces.filter((f) => f.family.replace(/"/g, '') === 'Noto Sans SC' && f.status === 'loaded').length;
    })()`)) as number;
    expect(loaded).toBeGreaterThan(0);
    expect(await page.evaluate(`document.fonts.check('32px "Noto Sans SC"', '欢迎光临')`)).toBe(true);
    expect(await page.evaluate(`getComputedStyle(document.querySelector('h1')).fontFamily`)).toContain('Noto Sans SC');
    await page.screenshot({ path: join(SHOTS, 'home-zh.png') });
  });

  it('switches language', async () => {
    await start();
    await page.click('[data-test=language]');
    await page.click('[data-test=tile-help]');
    await page.locator('.chip', { hasText: 'Account and password' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
  });

  it('Finish wipes the session: back to attract, nothing of the search left', async () => {
    await start();
    await page.click('[data-test=tile-help]');
    await page.fill('[data-test=search-input]', '挂失');
    await page.click('[data-test=search-submit]');
    await page.locator('[data-test=results] .result').first().waitFor();
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=attract]');
    expect(await page.locator('body').textContent()).not.toContain('挂失');
    await page.click('[data-test=attract]');
    await page.click('[data-test=tile-help]');
    expect(await page.inputValue('[data-test=search-input]')).toBe('');
    expect(await page.locator('.help-recent').count()).toBe(0);
    expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 0]);
  });

  it('a page without the launch secret gets no bridge', async () => {
    await page.goto(url.replace(/#k=.*/, ''));
    await page.waitForSelector('.banner');
    expect(await page.locator('[data-test=attract]').count()).toBe(1);
  });
});
