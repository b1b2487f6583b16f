// Staff mode in browser mode: the hidden corner gesture, the PIN pad, the staff panel over the
// staff.* API, and the lockout after wrong PINs. The lockout lasts minutes in the core and is
// process-wide, so the lockout test runs last in this file.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PORTRAIT, SHOTS, STAFF_PIN, axeViolations, kioskForTests } from './util.ts';

const kiosk = kioskForTests();

async function attract(): Promise<Page> {
  const page = await kiosk.page(PORTRAIT);
  await page.goto(kiosk.url);
  await page.waitForSelector('[data-test=attract]');
  return page;
}

async function tapCorner(page: Page, times: number) {
  for (let i = 0; i < times; i++) await page.click('[data-test=staff-corner]');
}

async function enterPin(page: Page, pin: string) {
  for (const d of pin) await page.click(`[data-test=pin-${d}]`);
  await page.click('[data-test=pin-ok]');
}

describe('staff mode', () => {
  it('five taps in the corner of the attract screen open the PIN pad (four do not, and no session starts)', async () => {
    const page = await attract();
    await tapCorner(page, 4);
    expect(await page.locator('[data-test=staff]').count()).toBe(0);
    await tapCorner(page, 1);
    await page.waitForSelector('[data-test=staff]');
    expect(await axeViolations(page)).toEqual([]);
    const box = (await page.locator('[data-test=pin-5]').boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    await page.click('[data-test=staff-close]');
    expect(await page.locator('[data-test=staff]').count()).toBe(0);
    expect(await page.locator('[data-test=attract]').count()).toBe(1);
    // During a customer session there is no hidden square to hide a customer's controls.
    await page.click('[data-test=attract]');
    await page.waitForSelector('[data-test=tile-help]');
    expect(await page.locator('[data-test=staff-corner]').count()).toBe(0);
  });

  it('the correct PIN opens the staff panel: status, recent logs, restart asks first; leaving locks again', async () => {
    const page = await attract();
    await tapCorner(page, 5);
    await enterPin(page, '0000');
    await page.waitForSelector('[data-test=staff-wrong]');
    await enterPin(page, STAFF_PIN);
    await page.waitForSelector('[data-test=staff-panel]');
    expect(await page.textContent('[data-test=staff-version]')).toMatch(/\d+\.\d+\.\d+ \(browser\)/);
    // The failed and successful unlocks are audited: the log shows them (no PIN in them).
    await page.click('[data-test=staff-refresh]');
    await expect.poll(() => page.locator('[data-test=staff-logs] li').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-test=staff-logs]')).not.toContain(STAFF_PIN);
    await page.screenshot({ path: join(SHOTS, 'staff-panel-zh.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-test=staff-restart]');
    await page.waitForSelector('[data-test=staff-restart-confirm]');
    await page.click('[data-test=staff-restart-no]');
    expect(await page.locator('[data-test=staff-restart-confirm]').count()).toBe(0);
    await page.click('[data-test=staff-lock]');
    expect(await page.locator('[data-test=staff]').count()).toBe(0);
    // Locked in the core too: the corner opens the PIN pad again, not the panel.
    await tapCorner(page, 5);
    await page.waitForSelector('[data-test=pin-ok]');
    expect(await page.locator('[data-test=staff-panel]').count()).toBe(0);
  });

  it('five wrong PINs lock the pad and show the time left; OK stays disabled while locked', async () => {
    const page = await attract();
    await tapCorner(page, 5);
    for (let i = 0; i < 5; i++) {
      await enterPin(page, '1111');
      await page.waitForSelector(i < 4 ? '[data-test=staff-wrong]' : '[data-test=staff-locked]');
    }
    expect(await page.textContent('[data-test=staff-locked]')).toMatch(/已锁定.*\d+:\d\d/);
    expect(await page.isDisabled('[data-test=pin-ok]')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'staff-locked-zh.png') });
    // Reopening the pad still shows the lockout (it is the core's state, not the page's).
    await page.click('[data-test=staff-close]');
    await tapCorner(page, 5);
    await page.waitForSelector('[data-test=staff-locked]');
    expect(await page.locator('[data-test=staff-panel]').count()).toBe(0);
  });
});
