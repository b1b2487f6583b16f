// Rating the visit in browser mode: a score and tags are sent (queued in the outbox), the thanks
// shows a reference; Finish wipes the half-filled form.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PORTRAIT, axeViolations, startBrowserMode, startSession, type BrowserMode } from './util.ts';

let mode: BrowserMode;
let context: BrowserContext | undefined;

beforeAll(async () => {
  mode = await startBrowserMode();
});
afterAll(async () => {
  await mode?.stop();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function openRating(locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  context = await mode.browser.newContext({ viewport: PORTRAIT });
  const page = await context.newPage();
  await startSession(page, mode.url);
  if (locale === 'en') await page.click('[data-test=language]');
  await page.click('[data-test=tile-rating]');
  await page.waitForSelector('[data-test=rating]');
  return page;
}

describe('rating', () => {
  it('send stays off until a score is chosen; score + tags are sent and a reference shown', async () => {
    const page = await openRating('en');
    expect(await page.isDisabled('[data-test=rating-send]')).toBe(true);
    await page.click('[data-test=rating-4]');
    await page.click('[data-test=rating-tag-fast]');
    await page.click('[data-test=rating-tag-clear]');
    expect(await page.getAttribute('[data-test=rating-tag-fast]', 'aria-pressed')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-test=rating-send]');
    expect(await page.textContent('[data-test=rating-thanks]')).toMatch(/Reference R-[0-9A-F]{8}/);
    await page.click('[data-test=rating-home]');
    await page.waitForSelector('[data-test=tile-rating]');
  });

  it('Finish wipes a half-filled rating', async () => {
    const page = await openRating();
    await page.click('[data-test=rating-2]');
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=attract]');
    await startSession(page, mode.url);
    await page.click('[data-test=tile-rating]');
    expect(await page.getAttribute('[data-test=rating-2]', 'aria-checked')).toBe('false');
    expect(await page.isDisabled('[data-test=rating-send]')).toBe(true);
  });
});
