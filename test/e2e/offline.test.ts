// Offline: a kiosk whose hub cannot be reached says so plainly (help still works, orders need the
// network, requests are queued), and a ticket sent meanwhile is queued with a reference.
import { describe, expect, it } from 'vitest';
import { PORTRAIT, axeViolations, kioskForTests, startSession } from './util.ts';

// Port 9 on loopback: nothing listens, every sync attempt fails at once.
const kiosk = kioskForTests({ KIOSK_HUB_URL: 'http://127.0.0.1:9', KIOSK_HUB_TOKEN: 'lkk_test' });

describe('offline', () => {
  it('shows the offline banner; the help centre still searches; a ticket is queued', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    await page.waitForSelector('[data-test=offline-banner]');
    expect(await page.textContent('[data-test=offline-banner]')).toContain('orders need the network');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-test=tile-help]');
    await page.waitForSelector('[data-test=keyboard] .hg-button');
    await page.click('[data-test=back]');
    await page.click('[data-test=tile-ticket]');
    await page.click('[data-test=ticket-cat-other]');
    for (const k of 'help') await page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);
    await page.click('[data-test=ticket-send]');
    expect(await page.textContent('[data-test=ticket-thanks]')).toMatch(/reference T-[0-9A-F]{8}/);
  });
});
