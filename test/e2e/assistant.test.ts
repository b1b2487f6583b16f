// The assistant screen in browser mode: quick replies, questions typed on the on-screen keyboard,
// answers that open articles (Back returns to the chat), "talk to a person", and a session end
// that wipes the chat.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PORTRAIT, SHOTS, axeViolations, kioskForTests, startSession } from './util.ts';

const kiosk = kioskForTests();

async function openAssistant(locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await kiosk.page(PORTRAIT);
  await startSession(page, kiosk.url);
  if (locale === 'en') await page.click('[data-test=language]');
  await page.click('[data-test=tile-assistant]');
  await page.waitForSelector('[data-test=assistant] [data-test=keyboard] .hg-button');
  return page;
}

const key = (page: Page, k: string) => page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);

describe('assistant', () => {
  it('a quick reply gets an article answer that opens; Back returns to the chat', async () => {
    const page = await openAssistant();
    await page.click('[data-test=quick-assistantQuick1]');
    await page.locator('[data-test=chat-customer]', { hasText: '忘记密码怎么办' }).waitFor();
    const answer = page.locator('[data-test=chat-answer] [data-test=chat-article]').first();
    await answer.waitFor();
    const title = await answer.locator('strong').textContent();
    expect(title).toMatch(/密码/);
    await page.screenshot({ path: join(SHOTS, 'assistant-zh.png') });
    expect(await axeViolations(page)).toEqual([]);
    await answer.click();
    await expect.poll(() => page.textContent('[data-test=article-title]')).toBe(title!.trim());
    await page.click('[data-test=back]');
    await page.locator('[data-test=chat-customer]', { hasText: '忘记密码怎么办' }).waitFor();
  });

  it('below the confidence threshold it offers the top choices (a one-character question: 卡)', async () => {
    const page = await openAssistant();
    await key(page, 'k');
    await key(page, 'a');
    await page.locator('[data-test=candidate]', { hasText: /^卡$/ }).click();
    await key(page, '{search}');
    await page.locator('[data-test=chat-choices]').waitFor();
    expect(await page.locator('[data-test=chat-choice]').count()).toBeGreaterThanOrEqual(2);
    const first = page.locator('[data-test=chat-choice]').first();
    const title = (await first.textContent())!.trim();
    await first.click();
    await expect.poll(() => page.textContent('[data-test=article-title]')).toBe(title);
  });

  it('a question typed on the keyboard is answered; nonsense is handed over; "talk to a person" says what happens', async () => {
    const page = await openAssistant('en');
    for (const k of 'lost card') await key(page, k === ' ' ? '{space}' : k);
    expect(await page.inputValue('[data-test=assistant-input]')).toBe('lost card');
    await key(page, '{search}');
    await page.locator('[data-test=chat-customer]', { hasText: 'lost card' }).waitFor();
    await page.locator('[data-test=chat-answer], [data-test=chat-choices]').first().waitFor();
    expect(await page.inputValue('[data-test=assistant-input]')).toBe('');
    for (const k of 'qqxzj') await key(page, k);
    await page.click('[data-test=assistant-send]');
    await page.locator('[data-test=chat-handover]').waitFor();
    await page.click('[data-test=quick-person]');
    // A ticket with the last question is queued for the hub; its reference is shown.
    expect(await page.textContent('[data-test=chat-ticket]')).toMatch(/reference T-[0-9A-F]{8}/);
    expect(await page.textContent('[data-test=chat-person]')).toContain('a member of staff will come');
    expect(await page.textContent('[data-test=chat-person]')).toContain('queue number');
    await page.screenshot({ path: join(SHOTS, 'assistant-en.png') });
  });

  it('intents: a refund question gets its article and the way to "my orders"; asking for an agent offers a person', async () => {
    const page = await openAssistant();
    await page.click('[data-test=quick-assistantQuick3]');
    const intent = page.locator('[data-test=chat-intent]');
    await intent.waitFor();
    // This kiosk has no hub: orders are not available here, and the chat says so instead of a dead button.
    expect(await intent.textContent()).toContain('退款或退货');
    expect(await intent.textContent()).toContain('请到柜台办理');
    expect(await page.locator('[data-test=chat-intent-orders]').count()).toBe(0);

    await page.click('[data-test=language]');
    for (const k of 'agent') await key(page, k);
    await key(page, '{search}');
    await page.locator('[data-test=chat-intent-person]').click();
    expect(await page.textContent('[data-test=chat-ticket]')).toMatch(/reference T-[0-9A-F]{8}/);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('Finish wipes the chat and what was being typed', async () => {
    const page = await openAssistant();
    await page.click('[data-test=quick-assistantQuick2]');
    await page.locator('[data-test=chat-customer]', { hasText: '银行卡丢了' }).waitFor();
    await key(page, 'k');
    await page.click('[data-test=finish]');
    await page.waitForSelector('[data-test=attract]');
    await page.click('[data-test=attract]');
    await page.click('[data-test=tile-assistant]');
    await page.waitForSelector('[data-test=chat]');
    expect(await page.locator('[data-test=chat-customer]').count()).toBe(0);
    expect(await page.textContent('[data-test=kb-buffer]')).toBe('');
    expect(await page.inputValue('[data-test=assistant-input]')).toBe('');
  });
});
