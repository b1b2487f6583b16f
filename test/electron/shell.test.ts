// The Electron shell started against the fake Electron: what it registers, in which order, and
// how the kiosk window, its session and its IPC behave. Together with security-checklist.test.ts
// these are the main process's tests on machines without an Electron binary.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKioskClient } from '../../contracts/kiosk-api-client.ts';
import { APP_ENTRY } from '../../electron/common/channels.ts';
import { createPreloadBridge } from '../../electron/preload/bridge.ts';
import { prepareShell, startShell, type ElectronApis, type Shell } from '../../electron/main/shell.ts';
import { tempDir, writeFiles } from '../helpers/tmp.ts';
import { FakeEvent, FakeWebContents, createFakeElectron } from './fake-electron.ts';

let shell: Shell | undefined;
afterEach(() => {
  shell?.core.close();
  shell = undefined;
});

async function boot(env: NodeJS.ProcessEnv = { KIOSK_STAFF_PIN: '1357' }, argv: string[] = []) {
  const dir = tempDir();
  const rendererDir = join(dir, 'renderer');
  writeFiles(rendererDir, { 'index.html': '<!doctype html><title>kiosk</title>', 'out-of-service.html': 'oos' });
  const fake = createFakeElectron({ userData: join(dir, 'userData') });
  const electron = fake.electron as unknown as ElectronApis;
  expect(prepareShell(electron)).toBe(true);
  fake.ready();
  shell = await startShell(electron, { rendererDir, preloadPath: join(dir, 'preload.cjs'), env, argv });
  const win = fake.windows[0]!;
  await new Promise((r) => setImmediate(r));
  return { fake, win, dir };
}

describe('electron shell (fake Electron)', () => {
  it('registers app:// as privileged and enables the sandbox before ready, then takes the single-instance lock', async () => {
    const { fake } = await boot();
    expect(fake.calls.slice(0, 3)).toEqual(['registerSchemesAsPrivileged', 'enableSandbox', 'requestSingleInstanceLock']);
    expect(fake.electron.protocol.privileged[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true, bypassCSP: false } });
  });

  it('quits when another instance already runs', () => {
    const fake = createFakeElectron({ userData: tempDir(), otherInstanceRunning: true });
    expect(prepareShell(fake.electron as unknown as ElectronApis)).toBe(false);
    expect(fake.electron.app.quits).toBe(1);
  });

  it('opens one kiosk window on app://, shown on ready-to-show, no menu, display sleep prevented', async () => {
    const { fake, win } = await boot();
    expect(fake.windows).toHaveLength(1);
    expect(win.loaded).toEqual([APP_ENTRY]);
    expect(win.shown).toBe(true);
    expect(win.kiosk && win.fullScreen).toBe(true);
    expect(win.options.show).toBe(false);
    expect(win.options.frame).toBe(false);
    expect(fake.electron.Menu.menu).toBeNull();
    expect(fake.electron.powerSaveBlocker.started).toEqual(['prevent-display-sleep']);
    expect(win.webContents.zoomLimits).toEqual([1, 1]);
  });

  it('serves the renderer through the app:// protocol handler with the CSP', async () => {
    const { fake } = await boot();
    const handler = fake.electron.session.defaultSession.protocolHandlers.get('app')!;
    const res = await handler(new Request(APP_ENTRY));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>kiosk</title>');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handler(new Request('app://kiosk/../../etc/passwd'))).status).toBe(404);
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('carries the kiosk API from the preload bridge to the core and back', async () => {
    const { win } = await boot();
    const client = createKioskClient(createPreloadBridge(win.webContents.renderer as never) as never);
    const info = await client.call('app.info');
    expect(info.mode).toBe('electron');
    const { hits } = await client.call('kb.search', { query: '挂失', locale: 'zh-CN' });
    expect(hits.length).toBeGreaterThan(0);
  });

  it('refuses IPC from a sub-frame, another page or another webContents', async () => {
    const { win, fake } = await boot();
    const renderer = win.webContents.renderer;
    renderer.frame = { url: APP_ENTRY }; // not the main frame object
    expect(await renderer.invoke('kiosk:call', 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    renderer.frame = win.webContents.mainFrame;
    (win.webContents.mainFrame as { url: string }).url = 'https://evil.example/';
    expect(await renderer.invoke('kiosk:call', 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    (win.webContents.mainFrame as { url: string }).url = APP_ENTRY;
    const stranger = new FakeWebContents(fake.ipcMain, APP_ENTRY);
    expect(await stranger.renderer.invoke('kiosk:call', 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await renderer.invoke('kiosk:call', 'app.info', {})).toMatchObject({ ok: true });
  });

  it('sends core events to the kiosk window', async () => {
    const { win } = await boot();
    const bridge = createPreloadBridge(win.webContents.renderer as never);
    const got = new Promise((resolve) => bridge.on('session.ended', resolve));
    shell!.core.service.session.start();
    shell!.core.service.session.end('idle');
    await expect(got).resolves.toEqual({ reason: 'idle' });
  });

  it('staff "exit kiosk mode" leaves kiosk and full screen; restart relaunches the app', async () => {
    const { win, fake } = await boot();
    const client = createKioskClient(createPreloadBridge(win.webContents.renderer as never) as never);
    await client.call('staff.unlock', { pin: '1357' });
    await client.call('staff.exitKiosk');
    expect(win.kiosk).toBe(false);
    expect(win.fullScreen).toBe(false);
    await client.call('staff.restartApp');
    await expect.poll(() => fake.electron.app.relaunches).toBe(1);
    expect(fake.electron.app.exits).toEqual([0]);
  });

  it('renderer heartbeats feed the watchdog; a crash reloads the page and ends the customer session', async () => {
    const { win } = await boot();
    const client = createKioskClient(createPreloadBridge(win.webContents.renderer as never) as never);
    await client.call('app.heartbeat', { at: Date.now() });
    await client.call('session.start');
    win.webContents.fire('render-process-gone', new FakeEvent(), { reason: 'crashed', exitCode: 139 });
    expect((await client.call('session.status')).active).toBe(false);
    await expect.poll(() => win.webContents.reloads, { timeout: 5000 }).toBe(1);
  });

  it('dev flag re-enables devtools and leaves kiosk mode off; hidden cursor CSS on request', async () => {
    const { win } = await boot({}, ['--kiosk-dev', '--hide-cursor']);
    expect(win.options.webPreferences?.devTools).toBe(true);
    expect(win.options.kiosk).toBe(false);
    win.webContents.fire('dom-ready');
    expect(win.webContents.insertedCss[0]).toContain('cursor: none');
  });
});
