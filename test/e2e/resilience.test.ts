// Resilience in browser mode against a real hub process (its SQLite file kept across restarts):
// the synced KB (text and images) works with the hub stopped; a ticket sent while the hub is down
// is delivered exactly once after it is back; the idle countdown ends the session and wipes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../hub/harness.ts';
import { hubForKiosk } from './hub-kiosk.ts';
import { PORTRAIT, ROOT, SHOTS, kioskForTests, startSession } from './util.ts';

const IMAGE = readFileSync(join(ROOT, 'resources/kb/default/images/kiosk-overview.svg'));
const KB = [
  { type: 'category', id: 'emergency', locale: 'zh-CN', title: '应急指南', order: 10 },
  { type: 'category', id: 'emergency', locale: 'en', title: 'Emergency guide', order: 10 },
  { type: 'article', id: 'power-cut', locale: 'zh-CN', categoryId: 'emergency', title: '停电时怎么办', body: '请保持冷静，听从工作人员指引。\n\n![本机示意图](images/kiosk-overview.svg)\n\n恢复供电后本机会自动重启。' },
  { type: 'article', id: 'power-cut', locale: 'en', categoryId: 'emergency', title: 'What to do in a power cut', body: 'Stay calm and follow the staff.\n\n![The kiosk](images/kiosk-overview.svg)\n\nThe kiosk restarts by itself when power is back.' },
];

const hub = hubForKiosk(KB, { 'images/kiosk-overview.svg': IMAGE });
const kiosk = kioskForTests(hub.env);

async function kioskStatus(): Promise<{ outbox: { pending: number } }> {
  const r = await runCli('kiosk', ['sync', 'status', '--json', '--db', hub.kioskDb]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as never;
}

const key = (page: Page, k: string) => page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);

describe('resilience against the hub going away', () => {
  it('an article with an image from the synced KB still opens with the hub stopped', async () => {
    await hub.waitSynced(2);
    await hub.stop();
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=tile-help]');
    await page.locator('[data-test=category]', { hasText: '应急指南' }).click();
    await page.locator('[data-test=category-article]', { hasText: '停电时怎么办' }).click();
    await expect.poll(() => page.textContent('[data-test=article-title]')).toBe('停电时怎么办');
    expect(await page.textContent('[data-test=article]')).toContain('恢复供电后本机会自动重启');
    // The image is the hub's blob, held by the kiosk: loaded through the API into a blob: URL.
    await expect
      .poll(() => page.evaluate(`(() => { const i = document.querySelector('[data-test=article] img'); return i ? [i.src.slice(0, 5), i.complete && i.naturalWidth > 0, i.alt] : null; })()`))
      .toEqual(['blob:', true, '本机示意图']);
    await page.screenshot({ path: join(SHOTS, 'resilience-article-hub-down.png') });
  });

  it('a ticket sent while the hub is down arrives exactly once after it restarts', async () => {
    await hub.stop();
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    await page.click('[data-test=tile-ticket]');
    await page.click('[data-test=ticket-cat-other]');
    const text = 'powercut';
    for (const k of text) await key(page, k);
    await page.click('[data-test=ticket-send]');
    const thanks = (await page.textContent('[data-test=ticket-thanks]')) ?? '';
    const reference = /reference (T-[0-9A-F]{8})/.exec(thanks)?.[1];
    expect(reference, thanks).toBeDefined();
    expect(await hub.tickets()).toEqual([]);
    expect((await kioskStatus()).outbox.pending).toBe(1);

    await hub.start(); // same port, same database file
    // The kiosk retries on its own (outbox delivery timer, after its backoff): nothing pokes it.
    await expect.poll(async () => (await hub.tickets()).length, { timeout: 150_000, interval: 2000 }).toBe(1);
    await expect.poll(async () => (await kioskStatus()).outbox.pending, { timeout: 30_000, interval: 1000 }).toBe(0);
    const tickets = await hub.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ kiosk: 'lobby-e2e', payload: { category: 'other', text } });
    expect(`T-${tickets[0]!.key.replace(/-/g, '').slice(-8).toUpperCase()}`).toBe(reference);
  }, 240_000);

  it('the idle countdown runs out: attract screen, search box empty, recent searches gone', async () => {
    const page = await kiosk.page(PORTRAIT);
    // The page's clock, under the test's control: idle time passes without the test waiting it out.
    await page.clock.install();
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    await page.click('[data-test=tile-help]');
    for (const k of 'power') await key(page, k);
    await key(page, '{search}');
    await page.locator('[data-test=results] .result', { hasText: 'power cut' }).waitFor();
    await page.locator('.help-recent', { hasText: 'power' }).waitFor();

    await page.clock.runFor(59_000);
    expect(await page.locator('[data-test=idle-countdown]').count()).toBe(0);
    await page.clock.runFor(1_000);
    await page.locator('[data-test=idle-countdown]').waitFor();
    expect(await page.textContent('[data-test=idle-countdown]')).toContain('This visit ends in 15 s');
    await page.clock.runFor(5_000);
    expect(await page.textContent('[data-test=idle-countdown]')).toContain('ends in 10 s');
    await page.clock.runFor(10_000);
    await page.waitForSelector('[data-test=attract]');
    expect(await page.locator('[data-test=idle-countdown]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('power');
    // A new customer: Chinese again, an empty search box, no recent searches.
    await page.click('[data-test=attract]');
    await page.click('[data-test=tile-help]');
    expect(await page.inputValue('[data-test=search-input]')).toBe('');
    expect(await page.locator('.help-recent').count()).toBe(0);
    expect(await page.locator('[data-test=results]').count()).toBe(0);
    expect(await page.textContent('[data-test=back]')).toBe('返回');
  });
});
