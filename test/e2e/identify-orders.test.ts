// Identify → orders → refund/change → receipt, in browser mode against real parts: a hub process
// (`hub serve` on a SQLite file with the demo customers), the three device simulators on socat pty
// pairs (card reader, fingerprint sensor, ESC/POS printer), Debian Chromium through playwright-core.
// The printer simulator's transcript is what a customer would take home: it must carry the
// reference and the masked name, never the full name.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../hub/identity/demo.ts';
import { customerMessages } from '../../renderer/src/locales/customer.ts';
import { customerRig } from './demo-hub.ts';
import { LANDSCAPE, PORTRAIT, SHOTS, axeViolations, kioskForTests, startSession } from './util.ts';

// Registered before kioskForTests' own beforeAll: the kiosk starts with the hub and devices known.
const rig = customerRig();
const kiosk = kioskForTests(rig.env);

const zhang = DEMO_CUSTOMERS.find((c) => c.profile === 'zhang')!;
const ouyang = DEMO_CUSTOMERS.find((c) => c.profile === 'ouyang')!;
/** The plain-words error messages of the identify, order and queue screens (English). */
const PLAIN_ERRORS = Object.entries(customerMessages.en).flatMap(([k, v]) => (k.startsWith('err_') ? [v] : []));

async function expectAxeClean(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** Home → "my orders" → identify with the card of `profile` on the reader → the order list. */
async function identifyByCard(page: Page, profile: string): Promise<void> {
  rig.devices.idcard.insert(profile);
  await page.click('[data-test=tile-orders]');
  await page.waitForSelector('[data-test=identify]');
  await page.click('[data-test=identify-idcard]');
  await page.waitForSelector('[data-test=orders] .order-row');
}

describe('identify and orders', () => {
  it('(a) ID card → orders → refund → receipt printed with the reference and the masked name only', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=tile-orders]');
    await page.waitForSelector('[data-test=identify-idcard]');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'identify-zh-portrait.png') });
    await page.click('[data-test=back]');

    await identifyByCard(page, 'zhang');
    expect(await page.textContent('[data-test=customer]')).toContain('张*三');
    const rows = await page.locator('[data-test=orders] .order-row').count();
    expect(rows).toBe(8);
    expect(await page.textContent('[data-test=order-DEMO-ZHANG-004] .status-chip')).toBe('已送达');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'orders-zh-portrait.png') });

    await page.click('[data-test=order-DEMO-ZHANG-004]');
    await page.waitForSelector('[data-test=order-action-refund]');
    // A delivered order offers refund and return, and nothing it does not allow.
    expect(await page.locator('[data-test^=order-action-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))).toEqual([
      'order-action-refund',
      'order-action-return',
    ]);
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'order-zh-portrait.png'), fullPage: true });

    await page.click('[data-test=order-action-refund]');
    await page.waitForSelector('[data-test=order-refund]');
    expect(await page.isDisabled('[data-test=refund-submit]')).toBe(true);
    await page.click('[data-test=reason-damaged]');
    const whole = await page.textContent('[data-test=refund-amount]');
    // One item fewer → a smaller amount; back to the whole order.
    await page.click('[data-test=qty-less-SHIPPING]');
    expect(await page.textContent('[data-test=refund-amount]')).not.toBe(whole);
    await page.click('[data-test=qty-more-SHIPPING]');
    expect(await page.textContent('[data-test=refund-amount]')).toBe(whole);
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'refund-zh-portrait.png'), fullPage: true });
    await page.click('[data-test=refund-submit]');

    await page.waitForSelector('[data-test=order-result]');
    const reference = /\b[A-Z]{1,3}-[0-9A-F]{8}\b/.exec((await page.textContent('[data-test=order-reference]')) ?? '')?.[0];
    expect(reference).toBeDefined();
    await page.click('[data-test=receipt-print]');
    await page.waitForSelector('[data-test=receipt-printed]');
    expect(await page.textContent('[data-test=receipt-printed]')).toBe('请取走您的凭条');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'receipt-zh-portrait.png') });

    const printed = rig.devices.printedText();
    expect(printed).toContain(reference!);
    expect(printed).toContain('张*三');
    expect(printed).not.toContain(zhang.name);
    expect(printed).not.toContain(zhang.idNumber);

    // The list is read again: the order moved on.
    await page.click('[data-test=order-back-list]');
    await page.waitForSelector('[data-test=order-DEMO-ZHANG-004] .status-chip[data-status=refund-requested]');
    expect(await page.textContent('[data-test=order-DEMO-ZHANG-004] .status-chip')).toBe('退款申请中');
  });

  it('(b) paper out: the receipt QR code is shown on screen with the problem in plain words', async () => {
    const page = await kiosk.page(LANDSCAPE);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    await identifyByCard(page, 'li');
    expect(await page.textContent('[data-test=customer]')).toContain('李*');

    // A placed order: change its delivery time (a slot of the next days), then print.
    await page.click('[data-test=order-DEMO-LI-001]');
    await page.waitForSelector('[data-test=order-action-delivery-time]');
    expect(await page.locator('[data-test^=order-action-]').count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'order-en-landscape.png'), fullPage: true });
    await page.click('[data-test=order-action-delivery-time]');
    await page.click('[data-test=slot-2]');
    expect(await page.getAttribute('[data-test=slot-2]', 'aria-checked')).toBe('true');
    await expectAxeClean(page);
    await page.click('[data-test=slot-save]');
    await page.waitForSelector('[data-test=order-result]');
    expect(await page.textContent('[data-test=order-result] h1')).toBe('Sent');

    rig.devices.control('printer paper out');
    try {
      await page.click('[data-test=receipt-print]');
      await page.waitForSelector('[data-test=qr] path');
      expect(await page.textContent('[data-test=receipt-problem]')).toBe('The printer is out of paper');
      expect(await page.getAttribute('[data-test=qr]', 'aria-label')).toMatch(/^Receipt QR code: [A-Z]{1,3}-[0-9A-F]{8}$/);
      await expectAxeClean(page);
      await page.screenshot({ path: join(SHOTS, 'receipt-qr-en-landscape.png') });
    } finally {
      rig.devices.control('printer paper in');
    }

    // Back in the order: the new delivery time is shown.
    await page.click('[data-test=order-back-list]');
    await page.click('[data-test=order-DEMO-LI-001]');
    await page.waitForSelector('[data-test=order-time]');
    expect(await page.textContent('[data-test=order-time]')).not.toBe('Not set');
  });

  it('(c) phone + SMS code: wrong code refused in plain words, the right one identifies', async () => {
    const page = await kiosk.page(LANDSCAPE);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    await page.click('[data-test=tile-orders]');
    await page.waitForSelector('[data-test=identify-sms]');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'identify-en-landscape.png') });
    await page.click('[data-test=identify-sms]');
    expect(await page.isDisabled('[data-test=sms-request]')).toBe(true);
    for (const d of ouyang.phone) await page.click(`[data-test=pad-${d}]`);
    // An extra digit is ignored; delete works.
    await page.click('[data-test=pad-9]');
    expect(await page.textContent('[data-test=phone-display]')).toBe(ouyang.phone);
    await page.click('[data-test=pad-del]');
    await page.click(`[data-test=pad-${ouyang.phone.at(-1)}]`);
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'identify-sms-en-landscape.png') });
    await page.click('[data-test=sms-request]');

    await page.waitForSelector('[data-test=sms-sent]');
    expect(await page.textContent('[data-test=sms-sent]')).toBe('Code sent to 138****8003');
    // The resend button counts down from the hub's cool-down.
    expect(await page.isDisabled('[data-test=sms-resend]')).toBe(true);
    expect(await page.textContent('[data-test=sms-resend]')).toMatch(/You can ask again in \d+ s/);
    const code = await rig.hub.smsCode('138****8003');

    const wrong = code === '000000' ? '111111' : '000000';
    for (const d of wrong) await page.click(`[data-test=pad-${d}]`);
    await page.click('[data-test=sms-verify]');
    await page.waitForSelector('[data-test=identify-error]');
    expect(await page.textContent('[data-test=identify-error]')).toContain('did not match');
    expect(await page.textContent('[data-test=code-display]')).not.toContain(wrong);

    for (const d of code) await page.click(`[data-test=pad-${d}]`);
    await page.click('[data-test=sms-verify]');
    await page.waitForSelector('[data-test=orders] .order-row');
    expect(await page.textContent('[data-test=customer]')).toContain('欧**月');
    expect(await page.textContent('[data-test=orders]')).toContain('Delivered');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'orders-en-landscape.png') });

    // Change the address of a placed order with the on-screen keyboard (digits mode).
    await page.click('[data-test=order-DEMO-OUYANG-001]');
    await page.click('[data-test=order-action-address]');
    await page.waitForSelector('[data-test=order-address-edit] [data-test=keyboard] .hg-button');
    for (const k of 'gate') await page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);
    await page.click('[data-test=keyboard] [data-skbtn="{space}"]');
    await page.click('[data-test=keyboard] [data-skbtn="{123}"]');
    for (const k of '42') await page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);
    expect(await page.inputValue('[data-test=address-text]')).toBe('gate 42');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'order-address-en-landscape.png') });
    await page.click('[data-test=address-save]');
    await page.waitForSelector('[data-test=order-result]');
    await page.click('[data-test=order-back-list]');
    await page.click('[data-test=order-DEMO-OUYANG-001]');
    expect(await page.textContent('[data-test=order-address]')).toBe('gate 42');

    // Cancel asks first; "no" keeps the order.
    await page.click('[data-test=order-action-cancel]');
    await page.waitForSelector('[data-test=cancel-confirm]');
    await expectAxeClean(page);
    await page.click('[data-test=cancel-no]');
    expect(await page.locator('[data-test=cancel-confirm]').count()).toBe(0);
    await page.click('[data-test=order-action-cancel]');
    await page.click('[data-test=cancel-yes]');
    await page.waitForSelector('[data-test=order-result]');
    await page.click('[data-test=order-back-list]');
    await page.waitForSelector('[data-test=order-DEMO-OUYANG-001] .status-chip[data-status=cancelled]');
    expect(await page.textContent('[data-test=order-DEMO-OUYANG-001] .status-chip')).toBe('Cancelled');
  });

  it('queue number: a service is picked, the big number and the people waiting shown, the ticket printed', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=tile-queue]');
    await page.waitForSelector('[data-test=queue-general]');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'queue-zh-portrait.png') });
    await page.click('[data-test=queue-orders]');
    await page.waitForSelector('[data-test=queue-number]');
    const number = (await page.textContent('[data-test=queue-number]'))!.trim();
    expect(number).toMatch(/^[A-Z]?\d+$/);
    expect(await page.textContent('[data-test=queue-waiting]')).toMatch(/^前面还有 \d+ 人$/);
    await page.click('[data-test=receipt-print]');
    await page.waitForSelector('[data-test=receipt-printed]');
    expect(rig.devices.printedText()).toContain(number);
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'queue-number-zh-portrait.png') });
  });

  it('card reader unplugged: the error is said in plain words, and "try again" works once it is back', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await rig.devices.unplug('idcard');
    try {
      await page.click('[data-test=language]');
      await page.click('[data-test=tile-orders]');
      await page.click('[data-test=identify-idcard]');
      await page.waitForSelector('[data-test=identify-error]');
      expect(PLAIN_ERRORS).toContain((await page.textContent('[data-test=identify-error]'))!.trim());
      await expectAxeClean(page);
      await page.screenshot({ path: join(SHOTS, 'identify-error-en-portrait.png') });
    } finally {
      await rig.devices.replug('idcard');
    }
    rig.devices.idcard.insert('zhang');
    // The device manager reconnects on its own: retry until the read goes through.
    for (let i = 0; i < 20 && !(await page.locator('[data-test=orders]').count()); i++) {
      await page.click('[data-test=identify-retry]');
      await page.waitForSelector('[data-test=identify-error], [data-test=orders] .order-row');
    }
    await page.waitForSelector('[data-test=orders] .order-row');
  });

  it('fingerprint: phone on the pad, then the finger; the wrong finger is refused in plain words', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    await page.click('[data-test=tile-orders]');
    await page.click('[data-test=identify-fingerprint]');
    for (const d of zhang.phone) await page.click(`[data-test=pad-${d}]`);
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'identify-fingerprint-en-portrait.png') });
    // Finger 2 is 李四's: no match for 张小三's phone.
    rig.devices.fingerprint.place(2);
    await page.click('[data-test=fingerprint-start]');
    await page.waitForSelector('[data-test=identify-error]');
    expect(PLAIN_ERRORS).toContain((await page.textContent('[data-test=identify-error]'))!.trim());
    rig.devices.fingerprint.lift();
    rig.devices.fingerprint.place(1);
    await page.click('[data-test=fingerprint-start]');
    await page.waitForSelector('[data-test=orders] .order-row');
    expect(await page.textContent('[data-test=customer]')).toContain('张*三');
  });
});

describe('device prompts', () => {
  it('no card yet: the reader\'s "place your card" prompt shows; inserting the card identifies', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    rig.devices.idcard.remove();
    await page.click('[data-test=tile-orders]');
    await page.click('[data-test=identify-idcard]');
    await page.waitForSelector('[data-test=identify-prompt]:has-text("Place your ID card")');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'identify-card-en-portrait.png') });
    rig.devices.idcard.insert('ouyang');
    await page.waitForSelector('[data-test=orders] .order-row');
    expect(await page.textContent('[data-test=customer]')).toContain('欧**月');
  });
});

describe('screens in both languages and orientations', () => {
  it('identify, orders, order, refund form and queue: zh/en × portrait/landscape, axe-clean', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    rig.devices.idcard.insert('li');
    const shots: string[] = [];
    for (const locale of ['zh', 'en'] as const) {
      if (locale === 'en') await page.click('[data-test=language]');
      for (const [orientation, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
        await page.setViewportSize(size);
        const shot = async (name: string) => {
          await expectAxeClean(page);
          const file = `${name}-${locale}-${orientation}.png`;
          await page.screenshot({ path: join(SHOTS, file), fullPage: true });
          shots.push(file);
        };
        await page.click('[data-test=tile-queue]');
        await page.waitForSelector('[data-test=queue-general]');
        await shot('queue');
        await page.click('[data-test=back]');
        await page.click('[data-test=tile-orders]');
        // Identify (first time) or the list (already identified): screens load on first use, so wait for one.
        await page.waitForSelector('[data-test=identify-idcard], [data-test=orders]');
        if (await page.locator('[data-test=identify-idcard]').count()) {
          await shot('identify');
          await page.click('[data-test=identify-idcard]');
        }
        await page.waitForSelector('[data-test=orders] .order-row');
        await shot('orders');
        await page.click('[data-test=order-DEMO-LI-007]');
        await page.waitForSelector('[data-test=order-no-actions]');
        await shot('order');
        await page.click('[data-test=back]');
        await page.click('[data-test=order-DEMO-LI-004]');
        await page.click('[data-test=order-action-return]');
        await page.click('[data-test=reason-wrong-item]');
        await shot('return');
        await page.click('[data-test=back]');
        await page.waitForSelector('[data-test=order-action-return]');
        await page.click('[data-test=back]');
        await page.waitForSelector('[data-test=orders] .order-row');
        await page.click('[data-test=back]');
        await page.waitForSelector('[data-test=tile-orders]');
      }
    }
    // "identify" once (the session stays identified), the rest four times each.
    expect(shots).toHaveLength(1 + 4 * 4);
  });
});

describe('large text and high contrast', () => {
  it('the identify and order screens stay axe-clean in both modes', async () => {
    const page = await kiosk.page(PORTRAIT);
    await startSession(page, kiosk.url);
    await page.click('[data-test=large-text]');
    await page.click('[data-test=high-contrast]');
    await page.click('[data-test=tile-orders]');
    await page.click('[data-test=identify-sms]');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'identify-sms-zh-portrait-large-contrast.png') });
    await page.click('[data-test=back]');
    await identifyByCard(page, 'li');
    await page.click('[data-test=order-DEMO-LI-004]');
    await page.waitForSelector('[data-test=order-action-return]');
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'order-zh-portrait-large-contrast.png'), fullPage: true });
  });
});

// Last in the file: it stops the rig.hub.
describe('hub unreachable', () => {
  it('orders need the network: the identify screen says so in plain words', async () => {
    await rig.hub.stop();
    const page = await kiosk.page(LANDSCAPE);
    await startSession(page, kiosk.url);
    await page.click('[data-test=language]');
    rig.devices.idcard.insert('zhang');
    await page.click('[data-test=tile-orders]');
    await page.click('[data-test=identify-idcard]');
    await page.waitForSelector('[data-test=identify-error]');
    expect(await page.textContent('[data-test=identify-error]')).toContain('orders need it');
    expect(await page.locator('[data-test=customer]').count()).toBe(0);
    await expectAxeClean(page);
    await page.screenshot({ path: join(SHOTS, 'identify-offline-en-landscape.png') });
  });
});
