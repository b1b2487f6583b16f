// End to end in browser mode, as the README runs it: `kiosk browser --no-launch` as a child process
// (kiosk core + loopback bridge + static server for the built renderer), driven by the machine's
// Chromium through playwright-core. Nothing is mocked.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserMode, type BrowserMode } from './util.ts';

let mode: BrowserMode;
let url: string;
let page: Page;

beforeAll(async () => {
  mode = await startBrowserMode();
  url = mode.url;
});

afterAll(async () => {
  await mode?.stop();
});

beforeEach(async () => {
  const context = await mode.browser.newContext({ viewport: { width: 1080, height: 1920 } });
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
