// Touch and access in browser mode (issue 7 §2): WCAG 2.1 A/AA rules by axe-core on home, search
// results and article in both languages and both contrast modes; targets ≥ 48 px, no hover-only
// styles, no text selection or pinch zoom, portrait and landscape; large text and high contrast
// are header toggles that a session end resets.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LANDSCAPE, PORTRAIT, SHOTS, axeViolations, kioskForTests, startSession } from './util.ts';


const kiosk = kioskForTests();

async function open(viewport = PORTRAIT): Promise<Page> {
  const page = await kiosk.page(viewport);
  await startSession(page, kiosk.url);
  return page;
}

/** Visible interactive elements smaller than 48×48 CSS px. */
async function smallTargets(page: Page): Promise<string[]> {
  return (await page.evaluate(`[...document.querySelectorAll('button, input, a[href], [role=button], .hg-button')]
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && r.height > 0 && (r.width < 48 || r.height < 48))
    .map(({ el, r }) => el.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))`)) as string[];
}

/** Content wider than the screen (would need horizontal scrolling). */
const overflowX = (page: Page) => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

async function toHelpResults(page: Page, query: string) {
  await page.click('[data-test=tile-help]');
  await page.fill('[data-test=search-input]', query);
  await page.click('[data-test=search-submit]');
  await page.locator('[data-test=results] .result').first().waitFor();
}

async function toArticle(page: Page) {
  await page.locator('[data-test=results] .result').first().click();
  await page.waitForSelector('[data-test=article]');
}

describe('touch and access', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const contrast of ['normal', 'high'] as const) {
      it(`axe finds no WCAG A/AA violation on home, search results and article (${locale}, ${contrast} contrast)`, async () => {
        const page = await open();
        if (locale === 'en') await page.click('[data-test=language]');
        if (contrast === 'high') await page.click('[data-test=high-contrast]');
        expect(await page.evaluate('document.documentElement.lang')).toBe(locale);
        expect(await page.evaluate(`document.documentElement.classList.contains('high-contrast')`)).toBe(contrast === 'high');
        const found: Record<string, string[]> = {};
        found.home = await axeViolations(page);
        await toHelpResults(page, locale === 'en' ? 'password' : '密码');
        found.results = await axeViolations(page);
        await page.screenshot({ path: join(SHOTS, `help-results-${locale}-${contrast}.png`) });
        await toArticle(page);
        found.article = await axeViolations(page);
        expect(found).toEqual({ home: [], results: [], article: [] });
        await page.screenshot({ path: join(SHOTS, `article-${locale}-${contrast}.png`) });
      });
    }
  }

  it('the axe check itself catches a contrast failure (guards the checks above)', async () => {
    const page = await open();
    await page.evaluate(`(() => { const p = document.createElement('p'); p.textContent = 'low contrast'; p.style.color = '#bbb'; document.querySelector('h1').after(p); })()`);
    expect((await axeViolations(page)).some((v) => v.startsWith('color-contrast'))).toBe(true);
  });

  for (const [name, viewport] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
    it(`every target is at least 48 px and nothing overflows sideways (${name}, large text)`, async () => {
      const page = await open(viewport);
      await page.click('[data-test=large-text]');
      const found: Record<string, { small: string[]; overflow: number }> = {};
      found.home = { small: await smallTargets(page), overflow: await overflowX(page) };
      await page.screenshot({ path: join(SHOTS, `home-large-${name}.png`) });
      await toHelpResults(page, '银行卡');
      found.results = { small: await smallTargets(page), overflow: await overflowX(page) };
      await page.screenshot({ path: join(SHOTS, `help-results-large-${name}.png`) });
      await toArticle(page);
      found.article = { small: await smallTargets(page), overflow: await overflowX(page) };
      const clean = { small: [], overflow: 0 };
      expect(found).toEqual({ home: clean, results: clean, article: clean });
    });
  }

  it('no hover-only styles, no text selection outside inputs, no pinch or double-tap zoom', async () => {
    const page = await open();
    const hoverRules = await page.evaluate(`[...document.styleSheets].flatMap((s) => [...s.cssRules]).map((r) => r.cssText).filter((t) => /:hover/.test(t))`);
    expect(hoverRules).toEqual([]);
    expect(await page.evaluate(`getComputedStyle(document.documentElement).touchAction`)).toBe('pan-x pan-y');
    expect(await page.evaluate(`getComputedStyle(document.querySelector('h1')).userSelect`)).toBe('none');
    // A long press or drag selects nothing.
    await page.mouse.move(40, 300);
    await page.mouse.down();
    await page.mouse.move(900, 320);
    await page.mouse.up();
    expect(await page.evaluate('String(getSelection())')).toBe('');
  });

  it('large text and high contrast are header toggles; Finish resets both', async () => {
    const page = await open();
    const h1Size = () => page.evaluate(`parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)`) as Promise<number>;
    const before = await h1Size();
    await page.click('[data-test=large-text]');
    await page.click('[data-test=high-contrast]');
    expect(await h1Size()).toBeGreaterThan(before * 1.3);
    expect(await page.getAttribute('[data-test=large-text]', 'aria-pressed')).toBe('true');
    expect(await page.evaluate(`getComputedStyle(document.documentElement).backgroundColor`)).toBe('rgb(0, 0, 0)');
    await page.screenshot({ path: join(SHOTS, 'home-large-contrast-zh.png') });
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=attract]');
    expect(await page.evaluate('document.documentElement.className')).toBe('');
    await page.click('[data-test=attract]');
    expect(await page.getAttribute('[data-test=large-text]', 'aria-pressed')).toBe('false');
    expect(await page.getAttribute('[data-test=high-contrast]', 'aria-pressed')).toBe('false');
    expect(await h1Size()).toBe(before);
  });
});
