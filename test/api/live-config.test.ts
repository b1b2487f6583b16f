// Central IT's configuration reaches the running kiosk: a layer published on a real hub (Fastify on
// loopback, SQLite file or PostgreSQL schema) is synced by a kiosk core, which recomputes app.info,
// sends an 'app.info' event, refuses switched-off features with not_available (but not under a
// customer already inside them) and opens the devices the config names on real ptys — reopening
// them after, never during, a customer session.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigTarget } from '../../contracts/hub-routes/admin.ts';
import type { KioskEvent, KioskMethod } from '../../contracts/kiosk-api.ts';
import type { KioskConfigLayer } from '../../contracts/sync-config.ts';
import { openKioskCore, type KioskCore, type KioskCoreOptions } from '../../core/api/kiosk-core.ts';
import { syncedSettings } from '../../core/api/live-config.ts';
import { PORTRAIT, STAFF_PIN, kioskForTests } from '../e2e/util.ts';
import { api, postgresUnavailable, runCli, startHub, type BackendName, type TestHub } from '../hub/harness.ts';
import { simulatedDevices, until } from '../devices-app/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

const pgSkip = await postgresUnavailable();

let core: KioskCore | undefined;
let hub: TestHub | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close();
  core = hub = undefined;
});

interface Kiosk {
  core: KioskCore;
  events: Array<{ event: KioskEvent; payload: unknown }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are checked by the dispatcher; tests read fields freely
  call(method: KioskMethod, args?: unknown): Promise<any>;
  code(method: KioskMethod, args?: unknown): Promise<string>;
  /** Error message of a failing call. */
  message(method: KioskMethod, args?: unknown): Promise<string>;
  sync(): Promise<unknown>;
  appInfoEvents(): Array<Record<string, unknown>>;
}

async function kioskOn(h: TestHub, name: string, branch: string, options: Partial<KioskCoreOptions> = {}): Promise<Kiosk> {
  const { token } = await h.addKiosk(name, branch);
  const dir = tempDir();
  const c = openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: 'none', autoSync: false, env: { KIOSK_HUB_URL: h.url, KIOSK_HUB_TOKEN: token, KIOSK_STAFF_PIN: STAFF_PIN }, ...options });
  core = c;
  const events: Kiosk['events'] = [];
  c.service.events.subscribe((event, payload) => events.push({ event, payload }));
  const raw = (method: KioskMethod, args: unknown = {}) => c.service.dispatcher.call(method, args);
  return {
    core: c,
    events,
    async call(method, args) {
      const r = await raw(method, args);
      if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
      return r.value;
    },
    code: async (method, args) => {
      const r = await raw(method, args);
      return r.ok ? 'ok' : r.error.code;
    },
    message: async (method, args) => {
      const r = await raw(method, args);
      return r.ok ? 'ok' : r.error.message;
    },
    sync: () => c.hub.sync!.syncNow(),
    appInfoEvents: () => events.filter((e) => e.event === 'app.info').map((e) => e.payload as Record<string, unknown>),
  };
}

async function putConfig(h: TestHub, target: ConfigTarget, config: KioskConfigLayer): Promise<void> {
  const r = await api(h, '/v1/admin/config', { method: 'PUT', token: h.adminToken, body: JSON.stringify({ target, config }) });
  expect(r.status, r.text).toBe(200);
}

describe('synced settings: only what a layer sets', () => {
  it('merges fleet ← branch ← kiosk and leaves unset fields to the kiosk', () => {
    expect(syncedSettings([undefined, undefined, undefined])).toEqual({ ui: {}, features: {}, devices: null });
    const s = syncedSettings([{ branchName: 'Fleet', idleTimeoutSeconds: 100, features: { orders: false, queue: false } }, { branchName: 'Branch', features: { queue: true } }, undefined]);
    expect(s).toEqual({ ui: { branchName: 'Branch', idleTimeoutSec: 100 }, features: { orders: false, queue: true }, devices: null });
  });
});

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`live configuration from a hub on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    it('a published config changes app.info, sends an app.info event, and a switched-off feature answers not_available', async () => {
      hub = await startHub(backend);
      const k = await kioskOn(hub, 'lobby-1', 'north');
      const before = await k.call('app.info');
      expect(before).toMatchObject({ branchName: 'Lobby Kiosk', idleTimeoutSec: 60, idleCountdownSec: 15, defaultLocale: 'zh-CN' });
      expect(before.features).toMatchObject({ orders: true, tickets: true, kb: true, assistant: true });

      await putConfig(hub, { scope: 'fleet' }, { branchName: '总行营业部', idleTimeoutSeconds: 120, idleCountdownSeconds: 20, defaultLanguage: 'en', features: { orders: false } });
      await putConfig(hub, { scope: 'branch', branch: 'north' }, { branchName: '北区支行' });
      await k.sync();

      const after = await k.call('app.info');
      expect(after).toMatchObject({ branchName: '北区支行', idleTimeoutSec: 120, idleCountdownSec: 20, defaultLocale: 'en' });
      expect(after.features).toMatchObject({ orders: false, tickets: true, kb: true });
      expect(k.appInfoEvents()).toEqual([after]);

      await k.call('session.start');
      expect(await k.code('orders.list')).toBe('not_available');
      expect(await k.message('orders.list')).toMatch(/switched off .*central configuration.*orders/);
      // Other areas keep working, and their receipts carry the new branch name at once.
      const ticket = await k.call('tickets.submit', { category: 'general', text: '需要帮助' });
      expect(k.core.service.receipts.get(ticket.reference)?.data).toMatchObject({ branchName: '北区支行' });
      await k.call('session.end', { reason: 'finish' });

      // A sync that changes no configuration sends no event.
      await hub.publish([{ type: 'article', id: 'kb-only', locale: 'zh-CN', title: '新业务', body: '内容' }]);
      await k.sync();
      expect(k.appInfoEvents()).toHaveLength(1);

      // Switched back on centrally: available again (it now asks for an identified customer instead).
      await putConfig(hub, { scope: 'fleet' }, { branchName: '总行营业部', features: { orders: true } });
      await k.sync();
      const again = await k.call('app.info');
      expect(again).toMatchObject({ branchName: '北区支行', idleTimeoutSec: 60, defaultLocale: 'zh-CN' });
      expect(again.features.orders).toBe(true);
      expect(k.appInfoEvents()).toHaveLength(2);
      await k.call('session.start');
      expect(await k.code('orders.list')).not.toBe('not_available');
    });

    it('explicit options of the kiosk process win over the synced config, which wins over the defaults', async () => {
      hub = await startHub(backend);
      const k = await kioskOn(hub, 'lobby-2', 'south', { config: { branchName: '本地设置的名称' } });
      await putConfig(hub, { scope: 'kiosk', kiosk: 'lobby-2' }, { branchName: '总部设置的名称', idleTimeoutSeconds: 200 });
      await k.sync();
      expect(await k.call('app.info')).toMatchObject({ branchName: '本地设置的名称', idleTimeoutSec: 200, idleCountdownSec: 15 });
    });

    it('a feature switched off during a session keeps working for that customer until the session ends', async () => {
      hub = await startHub(backend);
      const k = await kioskOn(hub, 'lobby-3', 'east');
      await k.call('session.start');
      await putConfig(hub, { scope: 'fleet' }, { features: { tickets: false, helpCentre: false } });
      await k.sync();
      // The tile goes at once…
      expect((await k.call('app.info')).features).toMatchObject({ tickets: false, kb: false });
      expect(k.appInfoEvents().at(-1)?.features).toMatchObject({ tickets: false });
      // …but the customer who is already here finishes.
      expect(await k.code('tickets.submit', { category: 'general', text: '正在填写' })).toBe('ok');
      await k.call('session.end', { reason: 'finish' });
      await k.call('session.start');
      expect(await k.code('tickets.submit', { category: 'general', text: '下一位' })).toBe('not_available');
      // Help centre browsing is off; articles the assistant links to still open.
      expect(await k.code('kb.categories', { locale: 'zh-CN' })).toBe('not_available');
      expect(await k.code('assistant.ask', { text: '银行卡', locale: 'zh-CN' })).toBe('ok');
    });

    it('layers applied by `kiosk sync` in another process take effect at the next sync of the app, even with nothing new to fetch', async () => {
      hub = await startHub(backend);
      const { token } = await hub.addKiosk('lobby-7', 'north');
      const dbPath = join(tempDir(), 'kiosk.db');
      core = openKioskCore({ mode: 'browser', dbPath, logDir: 'none', autoSync: false, env: { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token } });
      const c = core;
      await c.hub.sync!.syncNow();
      await putConfig(hub, { scope: 'fleet' }, { branchName: '命令行同步' });
      const cli = await runCli('kiosk', ['sync', '--db', dbPath, '--hub', hub.url, '--token', token]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(await c.service.dispatcher.call('app.info', {})).toMatchObject({ ok: true, value: { branchName: 'Lobby Kiosk' } });
      const r = await c.hub.sync!.syncNow();
      expect(r.changed).toBe(false);
      expect(await c.service.dispatcher.call('app.info', {})).toMatchObject({ ok: true, value: { branchName: '命令行同步' } });
    });

    it('an unreadable config row does not break the kiosk: the configuration in force stays', async () => {
      hub = await startHub(backend);
      const k = await kioskOn(hub, 'lobby-4', 'west');
      await putConfig(hub, { scope: 'fleet' }, { branchName: '西区', features: { queue: false } });
      await k.sync();
      k.core.store.db.prepare("UPDATE config SET value = '{\"branchName\": ' WHERE key = 'hub:fleet'").run();
      expect(k.core.live.refresh()).toEqual({ ui: false, features: false, devices: false });
      expect(await k.call('app.info')).toMatchObject({ branchName: '西区', features: { queue: false } });
      expect(await k.code('app.info')).toBe('ok');
    });

    it('devices named by the synced config open on real ptys; a change waits for the customer session to end', async () => {
      const sim = await simulatedDevices();
      hub = await startHub(backend);
      const k = await kioskOn(hub, 'lobby-5', 'north');
      // No local devices file and nothing synced yet: no devices.
      expect((await k.call('app.info')).features).toMatchObject({ devices: false, print: false });
      expect(await k.code('devices.status')).toBe('not_available');

      const printer = sim.config.devices.find((d) => d.kind === 'printer')!;
      const idcard = sim.config.devices.find((d) => d.kind === 'idcard')!;
      await putConfig(hub, { scope: 'kiosk', kiosk: 'lobby-5' }, { devices: [printer] });
      await k.sync();
      await until(() => k.core.syncedDevices?.health().some((h) => h.kind === 'printer' && h.state === 'connected') ?? false);
      expect((await k.call('devices.status')).map((h: { kind: string }) => h.kind)).toEqual(['printer']);
      await until(() => k.appInfoEvents().some((e) => (e.features as Record<string, boolean>).print));
      expect((await k.call('app.info')).features).toMatchObject({ devices: true, print: true });
      expect(await k.call('staff.unlock', { pin: STAFF_PIN })).toMatchObject({ unlocked: true });
      expect(await k.call('staff.testPrint')).toEqual({ printed: true });

      // A customer is here: the new list waits.
      await k.call('session.start');
      await putConfig(hub, { scope: 'kiosk', kiosk: 'lobby-5' }, { devices: [printer, idcard] });
      await k.sync();
      expect(k.core.syncedDevices?.waiting).toBe(true);
      expect(k.core.syncedDevices?.health().map((h) => h.kind)).toEqual(['printer']);
      expect(await k.code('staff.testCardRead')).toBe('not_available');
      await k.call('session.end', { reason: 'finish' });
      await until(() => k.core.syncedDevices?.health().some((h) => h.kind === 'idcard' && h.state === 'connected') ?? false);
      expect(k.core.syncedDevices?.waiting).toBe(false);
      expect((await k.call('devices.status')).map((h: { kind: string }) => h.kind).sort()).toEqual(['idcard', 'printer']);

      // Duplicate ids: refused as a whole, the devices in use stay open.
      await putConfig(hub, { scope: 'kiosk', kiosk: 'lobby-5' }, { devices: [printer, { ...idcard, id: printer.id }] });
      await k.sync();
      await k.core.syncedDevices?.settled();
      expect((await k.call('devices.status')).map((h: { kind: string }) => h.kind).sort()).toEqual(['idcard', 'printer']);

      // Removed from the config: closed, and the API says so.
      await putConfig(hub, { scope: 'kiosk', kiosk: 'lobby-5' }, {});
      await k.sync();
      await until(() => k.core.syncedDevices?.configured() === false);
      expect(await k.code('devices.status')).toBe('not_available');
      await until(() => (k.appInfoEvents().at(-1)?.features as Record<string, boolean>).devices === false);
    });
  });
}

// The renderer end to end: a browser-mode kiosk process and headless Chromium against an in-process
// hub. Staff "sync now" pulls a new configuration; the app store takes the 'app.info' event.
describe("in the kiosk's UI (browser mode, Chromium)", () => {
  const env: Record<string, string> = {};
  let uiHub: TestHub | undefined;
  beforeAll(async () => {
    uiHub = await startHub('sqlite');
    const { token } = await uiHub.addKiosk('lobby-ui', 'north');
    Object.assign(env, { KIOSK_HUB_URL: uiHub.url, KIOSK_HUB_TOKEN: token });
    return () => uiHub?.close();
  });
  const ui = kioskForTests(env);

  it('a switched-off feature greys its tile out and the branch name changes, without a reload', async () => {
    const page = await ui.page(PORTRAIT);
    await page.goto(ui.url);
    await page.waitForSelector('[data-test=attract]');
    await putConfig(uiHub!, { scope: 'fleet' }, { branchName: '北区支行', features: { rating: false } });
    // Staff mode → sync now → leave.
    for (let i = 0; i < 5; i++) await page.click('[data-test=staff-corner]');
    for (const d of STAFF_PIN) await page.click(`[data-test=pin-${d}]`);
    await page.click('[data-test=pin-ok]');
    await page.click('[data-test=staff-sync-now]');
    await page.waitForSelector('[data-test=staff-sync-result][data-state=ok]');
    await page.click('[data-test=staff-lock]');
    await page.waitForSelector('[data-test=attract]');
    expect(await page.textContent('.attract-branch')).toBe('北区支行');
    await page.click('[data-test=attract]');
    await page.waitForSelector('[data-test=tile-help]');
    expect(await page.isDisabled('[data-test=tile-rating]')).toBe(true);
    expect(await page.isDisabled('[data-test=tile-ticket]')).toBe(false);
  });
});
