// The staff panel in browser mode, with real parts only: a `hub serve` process for "sync now" and
// the outbox, the three device simulators on socat pty pairs for test print and test card read,
// and the configured reboot command (`true`: a real command that does nothing). Screenshots of the
// panel in both languages and orientations go to out/e2e/. The hub is stopped by the last test.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceHealth } from '../../contracts/device-config.ts';
import { CARD_PROFILES } from '../../native/simulators/profiles.ts';
import { staffMessages } from '../../renderer/src/locales/staff.ts';
import { jsonl } from '../helpers/tmp.ts';
import { article, category, runCli, startHubProcess } from '../hub/harness.ts';
import { startSimulatedDevices, type TestDevices } from './devices.ts';
import { LANDSCAPE, PORTRAIT, ROOT, SHOTS, STAFF_PIN, axeViolations, kioskForTests, tempDirKept } from './util.ts';

const dir = tempDirKept();
/** Filled in before the kiosk starts (hooks run in order: this one, then kioskForTests'). */
const env: Record<string, string> = { KIOSK_REBOOT_ARGV: JSON.stringify(['true']) };
let hub: Awaited<ReturnType<typeof startHubProcess>> | undefined;
let devices: TestDevices | undefined;

beforeAll(async () => {
  const db = join(dir, 'hub.db');
  writeFileSync(join(dir, 'kb.jsonl'), jsonl(category('cards', 'Cards'), article('lost', 'Report a lost card', 'Call us at once.', { categoryId: 'cards' })));
  const imported = await runCli('hub', ['kb', 'import', join(dir, 'kb.jsonl'), '--db', db]);
  expect(imported.code, imported.stderr).toBe(0);
  const seeded = await runCli('hub', ['demo', 'seed', '--db', db]);
  expect(seeded.code, seeded.stderr).toBe(0);
  const added = await runCli('hub', ['kiosk', 'add', 'lobby-1', '--db', db]);
  expect(added.code, added.stderr).toBe(0);
  hub = await startHubProcess(['--db', db]);
  devices = await startSimulatedDevices(join(dir, 'devices'));
  Object.assign(env, { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: added.stdout.trim(), ...devices.env });
});
afterAll(async () => {
  await hub?.stop();
  await devices?.stop();
});
const kiosk = kioskForTests(env);

async function unlock(viewport = PORTRAIT): Promise<Page> {
  const page = await kiosk.page(viewport);
  await page.goto(kiosk.url);
  await page.waitForSelector('[data-test=attract]');
  for (let i = 0; i < 5; i++) await page.click('[data-test=staff-corner]');
  for (const d of STAFF_PIN) await page.click(`[data-test=pin-${d}]`);
  await page.click('[data-test=pin-ok]');
  await page.waitForSelector('[data-test=staff-panel]');
  return page;
}

/** Top of the panel, then a screenshot of what a staff member sees first. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('document.querySelector("[data-test=staff]").scrollTo(0, 0)');
  await page.screenshot({ path: join(SHOTS, name) });
}

/** Device health (the printer's status is polled every 2 s) and outbox delivery arrive on their own schedule. */
const LIVE_WAIT = { timeout: 15_000, interval: 200 };
const state = (page: Page, selector: string) => page.locator(selector).getAttribute('data-state');

describe('staff panel strings', () => {
  it('has every key in both languages, every key the panel uses, and one for every device state and kind', () => {
    const zh = staffMessages['zh-CN'] as Record<string, string>;
    const en = staffMessages.en as Record<string, string>;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const table of [zh, en]) expect(Object.entries(table).filter(([, v]) => !v.trim())).toEqual([]);
    const dir = join(ROOT, 'renderer/src/components');
    const used = readdirSync(dir)
      .filter((f) => f.startsWith('Staff') && f.endsWith('.vue'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\bt\('(sp\w+)'/g)].map((m) => m[1]!));
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((k) => !(k in zh))).toEqual([]);
    for (const s of DeviceHealth.shape.state.options) expect(zh[`spDeviceState_${s}`]).toBeTruthy();
    for (const k of DeviceHealth.shape.kind.options) expect(en[`spDeviceKind_${k}`]).toBeTruthy();
    for (const u of ['s', 'min', 'h', 'd']) expect(zh[`spAge_${u}`]).toContain('{n}');
  });
});

describe('staff panel', () => {
  it('shows every section live from the core; sync now against the hub; the outbox drains; both languages, orientations and display modes pass axe', async () => {
    const page = await unlock();
    for (const s of ['devices', 'sync', 'outbox', 'update', 'enrol', 'system', 'logs']) await page.waitForSelector(`[data-test=section-${s}]`);
    // Devices: the three simulators, connected (live from devices.health).
    for (const id of ['card-reader', 'fingerprint', 'printer']) {
      await expect.poll(() => page.locator(`[data-test=device-${id}]`).getAttribute('data-state'), LIVE_WAIT).toBe('connected');
    }
    expect(await page.textContent('[data-test=device-printer]')).toContain('小票打印机');
    expect(await page.textContent('[data-test=update-state]')).toBe('未启用');

    await page.click('[data-test=staff-sync-now]');
    await page.waitForSelector('[data-test=staff-sync-result][data-state=ok]');
    expect(await page.textContent('[data-test=staff-sync-result]')).toBe('同步完成');
    expect(await page.getAttribute('[data-test=sync-online]', 'data-online')).toBe('true');
    expect(await page.textContent('[data-test=sync-cursor]')).toMatch(/^\d+$/);
    expect(await page.locator('[data-test=sync-last] time').count()).toBe(1);
    expect(await page.textContent('[data-test=sync-error]')).toBe('无');
    // The audit of this unlock went into the outbox; after the sync it is delivered to the hub.
    await expect
      .poll(async () => {
        await page.click('[data-test=staff-refresh]');
        await page.waitForSelector('[data-test=outbox-pending]');
        return page.getAttribute('[data-test=outbox-pending]', 'data-count');
      }, LIVE_WAIT)
      .toBe('0');
    expect(await page.textContent('[data-test=outbox-oldest]')).toBe('无');

    // Touch targets: every button of the panel is at least 56 px both ways.
    const small = await page.$$eval('[data-test=staff] button', (bs) =>
      bs.map((b) => b.getBoundingClientRect()).filter((r) => r.width > 0 && Math.min(r.width, r.height) < 56).length,
    );
    expect(small).toBe(0);

    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'staff-panel-sections-zh-portrait.png');
    await page.click('[data-test=staff-language]');
    expect(await page.textContent('[data-test=staff-panel]')).toBe('Staff panel');
    expect(await page.textContent('[data-test=staff-sync-result]')).toBe('Sync finished');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'staff-panel-sections-en-portrait.png');
    await page.setViewportSize(LANDSCAPE);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'staff-panel-sections-en-landscape.png');
    // Landscape: two columns of sections.
    const [a, b] = await page.$$eval('.staff-grid > .staff-section', (els) => els.slice(0, 2).map((e) => e.getBoundingClientRect().top));
    expect(a).toBe(b);
    await page.click('[data-test=staff-language]');
    await shot(page, 'staff-panel-sections-zh-landscape.png');
    await page.click('[data-test=staff-large-text]');
    await page.click('[data-test=staff-high-contrast]');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'staff-panel-sections-zh-landscape-large-contrast.png');

    // Leaving staff mode puts language and display modes back.
    await page.click('[data-test=staff-lock]');
    expect(await page.locator('[data-test=staff]').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.className')).not.toMatch(/large-text|high-contrast/);
  });

  it('test print and test card read with the simulators: printed; masked name only; paper out shows the problem; lock drops the card data', async () => {
    const page = await unlock();
    await expect.poll(() => state(page, '[data-test=device-printer]'), LIVE_WAIT).toBe('connected');
    await page.click('[data-test=staff-test-print]');
    await page.waitForSelector('[data-test=staff-print-result][data-state=printed]');
    expect(devices!.printer.jobs.length).toBeGreaterThan(0);

    const zhang = CARD_PROFILES.find((p) => p.id === 'zhang')!;
    devices!.idcard.insert('zhang');
    await page.click('[data-test=staff-test-card]');
    await page.waitForSelector('[data-test=staff-card-name]');
    const name = (await page.textContent('[data-test=staff-card-name]'))!;
    const id = (await page.textContent('[data-test=staff-card-id]'))!;
    expect(name).toMatch(/^张\*+三$/);
    expect(id).toContain('*');
    expect(id.slice(-4)).toBe(zhang.idNumber.slice(-4));
    // Nor in the log lines the panel shows (the read is audited without any of it).
    await page.click('[data-test=staff-refresh]');
    await expect.poll(() => page.locator('[data-test=staff-logs] li').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-test=staff-disk]')).toMatch(/磁盘：可用 \d+\.\d GB，共 \d+\.\d GB/);
    const html = await page.content();
    expect(html).not.toContain(zhang.name);
    expect(html).not.toContain(zhang.idNumber);
    expect(html).not.toContain(zhang.address);

    // Paper out: the health turns to an error, and a test print says why it did not print.
    devices!.printer.control('paper out');
    await page.click('[data-test=staff-test-print]');
    await page.waitForSelector('[data-test=staff-print-result][data-state=problem]');
    expect(await page.textContent('[data-test=staff-print-result]')).toContain('缺纸');
    await expect.poll(() => page.locator('[data-test=device-printer] [data-test=device-error]').count(), LIVE_WAIT).toBe(1);
    expect(await page.textContent('[data-test=device-printer] [data-test=device-error]')).toContain('缺纸');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'staff-panel-paper-out-zh-portrait.png');
    await page.click('[data-test=staff-language]');
    expect(await page.textContent('[data-test=staff-print-result]')).toContain('out of paper');
    devices!.printer.control('paper in');
    await expect.poll(() => page.locator('[data-test=device-printer] [data-test=device-error]').count(), LIVE_WAIT).toBe(0);

    // Lock: the panel goes, and with it the card's masked data; a new entry asks for the PIN again.
    await page.click('[data-test=staff-lock]');
    expect(await page.locator('[data-test=staff]').count()).toBe(0);
    expect(await page.content()).not.toContain(name);
    for (let i = 0; i < 5; i++) await page.click('[data-test=staff-corner]');
    await page.waitForSelector('[data-test=pin-ok]');
    expect(await page.locator('[data-test=staff-panel]').count()).toBe(0);
    for (const d of STAFF_PIN) await page.click(`[data-test=pin-${d}]`);
    await page.click('[data-test=pin-ok]');
    await page.waitForSelector('[data-test=staff-panel]');
    expect(await page.locator('[data-test=staff-card-name]').count()).toBe(0);
    expect(await page.content()).not.toContain(name);
    await page.click('[data-test=staff-lock]');
  });

  it('a test card read still waiting when staff mode is locked: its answer is dropped, never shown after the next unlock', async () => {
    const page = await unlock();
    devices!.idcard.remove();
    await page.click('[data-test=staff-test-card]');
    await page.waitForSelector('text=请将身份证放在读卡器上');
    await page.click('[data-test=staff-lock]');
    const read = new Promise<void>((resolve) => {
      const onActivity = (line: string) => {
        if (/card 'li' read/.test(line)) {
          devices!.idcard.off('activity', onActivity);
          resolve();
        }
      };
      devices!.idcard.on('activity', onActivity);
    });
    devices!.idcard.insert('li');
    await read; // the core has the card now; its masked answer is on its way to the locked page
    for (let i = 0; i < 5; i++) await page.click('[data-test=staff-corner]');
    for (const d of STAFF_PIN) await page.click(`[data-test=pin-${d}]`);
    await page.click('[data-test=pin-ok]');
    await page.waitForSelector('[data-test=staff-panel]');
    // One more round trip on the same connection: the card read's answer (sent first) has arrived.
    await page.click('[data-test=staff-test-print]');
    await page.waitForSelector('[data-test=staff-print-result][data-state=printed]');
    expect(await page.locator('[data-test=staff-card-name]').count()).toBe(0);
    expect(await page.locator('[data-test=staff-card-result]').count()).toBe(0);
    await page.click('[data-test=staff-lock]');
  });

  it('reboot and exit ask first; reboot runs the configured command, exit says it is not available; the enrolment keypad refuses a bad reference', async () => {
    const page = await unlock();
    await page.click('[data-test=staff-reboot]');
    await page.waitForSelector('[data-test=staff-reboot-confirm]');
    await page.click('[data-test=staff-reboot-no]');
    expect(await page.locator('[data-test=staff-reboot-confirm]').count()).toBe(0);
    expect(await page.locator('[data-test=staff-reboot-result]').count()).toBe(0);
    await page.click('[data-test=staff-reboot]');
    await page.click('[data-test=staff-reboot-yes]');
    await page.waitForSelector('[data-test=staff-reboot-result][data-state=ok]');
    expect(await page.textContent('[data-test=staff-reboot-result]')).toBe('已发出重启命令');

    await page.click('[data-test=staff-check-update]');
    await page.waitForSelector('[data-test=staff-update-result][data-state=ok]');
    expect(await page.getAttribute('[data-test=update-state]', 'data-state')).toBe('disabled');

    await page.click('[data-test=staff-exit-kiosk]');
    await page.waitForSelector('[data-test=staff-exit-confirm]');
    await page.click('[data-test=staff-exit-yes]');
    await page.waitForSelector('[data-test=staff-exit-result][data-state=not_available]');
    expect(await page.textContent('[data-test=staff-exit-result]')).toContain('本机不提供此功能');

    // Enrolment: a reference must start with a letter or digit; the keypad edits it.
    await page.click('[data-test=enrol-key--]');
    await page.waitForSelector('[data-test=section-enrol] [role=alert]');
    expect(await page.isDisabled('[data-test=staff-enrol-start]')).toBe(true);
    await page.click('[data-test=enrol-delete]');
    for (const k of 'C1X') await page.click(`[data-test=enrol-key-${k}]`);
    await page.click('[data-test=enrol-delete]');
    for (const k of '23') await page.click(`[data-test=enrol-key-${k}]`);
    expect(await page.textContent('[data-test=staff-enrol-ref]')).toBe('C123');
    expect(await page.isDisabled('[data-test=staff-enrol-start]')).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-test=staff-lock]');
  });

  it('fingerprint enrolment: reference on the keypad, the sensor prompts guide two captures, the hub keeps the template; an unknown reference says so', async () => {
    const page = await unlock();
    const fp = devices!.fingerprint;
    const typeRef = async (ref: string) => {
      await page.click('[data-test=enrol-clear]');
      for (const k of ref) await page.click(`[data-test=enrol-key-${k}]`);
      expect(await page.textContent('[data-test=staff-enrol-ref]')).toBe(ref);
    };
    const prompt = (step: string) => page.waitForSelector(`[data-test=staff-enrol-prompt][data-step=${step}]`);

    await typeRef('C-DEMO-LI');
    await page.click('[data-test=staff-enrol-start]');
    await prompt('place-finger');
    expect(await page.textContent('[data-test=staff-enrol-prompt]')).toContain('请顾客将手指放在指纹仪上');
    await page.locator('[data-test=section-enrol]').screenshot({ path: join(SHOTS, 'staff-panel-enrol-prompt-zh.png') });
    fp.control('place 3');
    await prompt('lift-finger');
    fp.control('lift');
    await prompt('place-finger-again');
    fp.control('place 3');
    await page.waitForSelector('[data-test=staff-enrol-result][data-state=ok]');
    fp.control('lift');
    expect(await page.textContent('[data-test=staff-enrol-result]')).toBe('指纹登记成功');
    expect(await page.textContent('[data-test=staff-enrol-ref]')).not.toContain('C-DEMO-LI');
    await page.locator('[data-test=section-enrol]').screenshot({ path: join(SHOTS, 'staff-panel-enrolled-zh.png') });

    // A reference the hub does not know: both captures are taken, then the hub refuses it.
    await typeRef('C-NOBODY');
    await page.click('[data-test=staff-enrol-start]');
    await prompt('place-finger');
    fp.control('place 3');
    await prompt('lift-finger');
    fp.control('lift');
    await prompt('place-finger-again');
    fp.control('place 3');
    await page.waitForSelector('[data-test=staff-enrol-result][role=alert]');
    fp.control('lift');
    expect(await state(page, '[data-test=staff-enrol-result]')).toBe('not_found');
    await page.click('[data-test=staff-lock]');
  });

  it('a device unplugged and plugged back: disconnected with its reconnect attempts, then connected, live', async () => {
    const page = await unlock();
    const reader = '[data-test=device-card-reader]';
    await expect.poll(() => state(page, reader), LIVE_WAIT).toBe('connected');
    await devices!.unplug('idcard');
    await expect.poll(() => state(page, reader), LIVE_WAIT).not.toBe('connected');
    await expect.poll(() => page.textContent(reader), LIVE_WAIT).toMatch(/重连次数：[1-9]/);
    expect(await page.textContent(`${reader} [data-test=device-state]`)).toMatch(/已断开|连接中/);
    expect(await axeViolations(page)).toEqual([]);
    await devices!.replug('idcard');
    await expect.poll(() => state(page, reader), LIVE_WAIT).toBe('connected');
    await page.click('[data-test=staff-lock]');
  });

  it('a new entry on another screen asks for the PIN and locks the core: the open panel goes at once (staff.state event)', async () => {
    const page = await unlock();
    const other = await page.context().newPage();
    await other.goto(kiosk.url);
    await other.waitForSelector('[data-test=attract]');
    for (let i = 0; i < 5; i++) await other.click('[data-test=staff-corner]');
    await other.waitForSelector('[data-test=pin-ok]');
    expect(await other.locator('[data-test=staff-panel]').count()).toBe(0);
    await page.waitForSelector('[data-test=pin-ok]');
    expect(await page.locator('[data-test=staff-panel]').count()).toBe(0);
  });

  it('with the hub stopped: the audit of staff actions waits in the outbox (count, age), sync now fails and the sync section shows why', async () => {
    await hub!.stop();
    const page = await unlock();
    await page.click('[data-test=staff-refresh]');
    await expect.poll(async () => Number(await page.getAttribute('[data-test=outbox-pending]', 'data-count')), LIVE_WAIT).toBeGreaterThan(0);
    expect(await page.locator('[data-test=outbox-oldest] time').count()).toBe(1);
    await page.click('[data-test=staff-sync-now]');
    await page.waitForSelector('[data-test=staff-sync-result][data-state=offline]');
    expect(await page.textContent('[data-test=staff-sync-result]')).toContain('无法连接中心服务器');
    expect(await page.getAttribute('[data-test=sync-online]', 'data-online')).toBe('false');
    expect(await page.textContent('[data-test=sync-online]')).toBe('离线');
    expect(await page.textContent('[data-test=sync-error]')).not.toBe('无');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'staff-panel-offline-zh-portrait.png');
    await page.click('[data-test=staff-lock]');
  });
});
