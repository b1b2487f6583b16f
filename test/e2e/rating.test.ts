// Rating the visit in browser mode: a score and tags are sent (queued in the outbox), the thanks
// shows a reference; Finish wipes the half-filled form.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PORTRAIT, SHOTS, axeViolations, kioskForTests, startSession } from './util.ts';

const kiosk = kioskForTests();

async function openRating(locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await kiosk.page(PORTRAIT);
  await startSession(page, kiosk.url);
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
    await startSession(page, kiosk.url);
    await page.click('[data-test=tile-rating]');
    expect(await page.getAttribute('[data-test=rating-2]', 'aria-checked')).toBe('false');
    expect(await page.isDisabled('[data-test=rating-send]')).toBe(true);
  });
});

describe('ask for a person (ticket)', () => {
  it('pick a category, type on the on-screen keyboard, send: a reference is shown', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=tile-ticket]');
    await page.waitForSelector('[data-test=ticket] [data-test=keyboard] .hg-button');
    expect(await page.isDisabled('[data-test=ticket-send]')).toBe(true);
    await page.click('[data-test=ticket-cat-cards]');
    // ka → 卡 through the pinyin candidate bar, then English letters.
    for (const k of 'ka') await page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);
    await page.locator('[data-test=candidate]', { hasText: '卡' }).first().click();
    expect(await page.inputValue('[data-test=ticket-text]')).toContain('卡');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'ticket-zh.png') });
    await page.click('[data-test=ticket-send]');
    expect(await page.textContent('[data-test=ticket-thanks]')).toMatch(/编号 T-[0-9A-F]{8}/);
  });
});
