// The search box's on-screen keyboard in browser mode: pinyin with a candidate bar, English
// letters, digits, live suggestions; a session end wipes what was typed.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PORTRAIT, SHOTS, kioskForTests, startSession } from './util.ts';

const kiosk = kioskForTests();

async function openHelp(): Promise<Page> {
  const page = await kiosk.page(PORTRAIT);
  await startSession(page, kiosk.url);
  await page.click('[data-test=tile-help]');
  await page.waitForSelector('[data-test=keyboard] .hg-button');
  return page;
}

const key = (page: Page, k: string) => page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);
async function type(page: Page, keys: string[]) {
  for (const k of keys) await key(page, k);
}
const candidates = (page: Page) => page.locator('[data-test=candidate]').allTextContents();

describe('on-screen keyboard', () => {
  it('m-m-z-h in pinyin offers 密码找回 as a candidate and a suggestion, which opens', async () => {
    const page = await openHelp();
    await type(page, ['m', 'm', 'z', 'h']);
    expect(await page.textContent('[data-test=kb-buffer]')).toBe('mmzh');
    await expect.poll(() => candidates(page)).toContain('密码找回');
    await page.locator('[data-test=suggestions] button', { hasText: '密码找回' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'keyboard-pinyin-zh.png') });
    await page.locator('[data-test=candidate]', { hasText: '密码找回' }).click();
    expect(await page.inputValue('[data-test=search-input]')).toBe('密码找回');
    expect(await page.textContent('[data-test=kb-buffer]')).toBe('');
    await page.locator('[data-test=suggestions] button', { hasText: '密码找回' }).first().click();
    await expect.poll(() => page.textContent('[data-test=article-title]')).toBe('密码找回');
  });

  it('a syllable offers single characters; delete, digits and English letters type; search runs', async () => {
    const page = await openHelp();
    await type(page, ['k', 'a']);
    await expect.poll(() => candidates(page)).toContain('卡');
    await page.locator('[data-test=candidate]', { hasText: /^卡$/ }).click();
    // Live suggestions follow what is typed: KB phrases starting with 卡.
    await page.locator('[data-test=suggestions] button', { hasText: /^卡/ }).first().waitFor();
    await type(page, ['g', 'u', 'a']);
    await expect.poll(() => candidates(page)).toContain('挂');
    await key(page, '{bksp}');
    expect(await page.textContent('[data-test=kb-buffer]')).toBe('gu');
    await type(page, ['a', '{space}']); // space takes the first candidate
    const afterSpace = await page.inputValue('[data-test=search-input]');
    expect(afterSpace.startsWith('卡') && afterSpace.length > 1).toBe(true);
    for (let i = afterSpace.length; i > 1; i--) await key(page, '{bksp}');
    expect(await page.inputValue('[data-test=search-input]')).toBe('卡');
    await key(page, '{123}');
    await type(page, ['1', '2']);
    await key(page, '{abc}');
    await key(page, '{lang}');
    await type(page, ['a', 't', 'm']);
    expect(await page.inputValue('[data-test=search-input]')).toBe('卡12atm');
    for (let i = 0; i < 5; i++) await key(page, '{bksp}');
    await key(page, '{search}');
    await page.locator('[data-test=results] .result').first().waitFor();
    expect(await page.locator('[data-test=results] mark', { hasText: '卡' }).count()).toBeGreaterThan(0);
  });

  it('English screen: the keyboard types letters and suggests English articles', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    await page.click('[data-test=tile-help]');
    await type(page, ['p', 'a', 's', 's']);
    expect(await page.locator('[data-test=candidates]').count()).toBe(0); // no pinyin composition in English
    expect(await page.inputValue('[data-test=search-input]')).toBe('pass');
    expect(await page.locator('[data-test=keyboard] [data-skbtn="{search}"]').textContent()).toBe('Search');
    await key(page, '{search}');
    await page.locator('[data-test=results] .result', { hasText: /password/i }).first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'keyboard-en.png') });
  });

  it('Finish wipes the pinyin being composed, the candidates and the text', async () => {
    const page = await openHelp();
    await type(page, ['k', 'a']);
    await expect.poll(() => candidates(page)).toContain('卡');
    await page.locator('[data-test=candidate]', { hasText: /^卡$/ }).click();
    await type(page, ['m', 'i']);
    await expect.poll(() => candidates(page)).not.toEqual([]);
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=attract]');
    await page.click('[data-test=attract]');
    await page.click('[data-test=tile-help]');
    await page.waitForSelector('[data-test=keyboard] .hg-button');
    expect(await page.textContent('[data-test=kb-buffer]')).toBe('');
    expect(await candidates(page)).toEqual([]);
    expect(await page.inputValue('[data-test=search-input]')).toBe('');
    expect(await page.locator('[data-test=suggestions]').count()).toBe(0);
  });
});
