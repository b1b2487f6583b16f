// Electron's security checklist (electronjs.org/docs/latest/tutorial/security), all 20 items, each
// guarded by a test that fails if the setting or code that satisfies it is removed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY } from '../../electron/common/channels.ts';
import { registerKioskIpc, trustedSender } from '../../electron/main/ipc.ts';
import { APP_SCHEME_PRIVILEGES } from '../../electron/main/protocol.ts';
import { hardenWebContents, isBlockedInput, kioskWindowOptions, lockDownSession } from '../../electron/main/window.ts';
import { createPreloadBridge } from '../../electron/preload/bridge.ts';
import { kioskCsp } from '../../core/bridge/csp.ts';
import { FakeContextBridge, FakeEvent, FakeIpcMain, FakeKioskContents, FakeSession } from './fake-electron.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const prod = { dev: false, hideCursor: false };
const web = kioskWindowOptions({ preload: '/p.cjs', flags: prod }).webPreferences!;

function sources(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [[p, readFileSync(p, 'utf8')] as [string, string]] : [];
  });
}
const electronSources = sources(join(ROOT, 'electron'));
const code = (s: string) => s.replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');

function hardened() {
  const wc = new FakeKioskContents(new FakeIpcMain(), APP_ENTRY);
  hardenWebContents(wc as never, prod);
  return wc;
}

describe('Electron security checklist', () => {
  it('1. only secure content: the page is app:// (secure, standard), never http(s)', () => {
    expect(APP_ENTRY).toMatch(/^app:\/\/kiosk\//);
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ secure: true, standard: true, bypassCSP: false });
    for (const [, s] of electronSources) expect(code(s)).not.toMatch(/loadURL\(\s*['"`]https?:/);
  });

  it('2. no Node.js integration for web content', () => {
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('3. context isolation on', () => {
    expect(web.contextIsolation).toBe(true);
  });

  it('4. process sandboxing on (per window and app-wide)', () => {
    expect(web.sandbox).toBe(true);
    expect(electronSources.some(([, s]) => code(s).includes('app.enableSandbox()'))).toBe(true);
  });

  it('5. permission requests denied (setPermissionRequestHandler and friends)', () => {
    const ses = new FakeSession();
    lockDownSession(ses as never);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen']) ses.permissionRequest!({}, p, (g) => answers.push(g), {});
    expect(answers).toEqual([false, false, false, false, false]);
    expect(ses.permissionCheck!({}, 'serial', 'app://kiosk', {})).toBe(false);
    expect(ses.devicePermission!({ deviceType: 'hid' })).toBe(false);
    let streams: object | undefined;
    ses.displayMedia!({}, (s) => (streams = s));
    expect(streams).toEqual({});
  });

  it('6. webSecurity not disabled', () => {
    expect(web.webSecurity).toBe(true);
  });

  it('7. a Content-Security-Policy is defined (no unsafe-inline, no eval, no remote origins)', () => {
    const csp = kioskCsp();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(electronSources.find(([p]) => p.endsWith('protocol.ts'))![1]).toContain('kioskCsp()');
  });

  it('8. allowRunningInsecureContent off', () => {
    expect(web.allowRunningInsecureContent).toBe(false);
  });

  it('9. experimental features off', () => {
    expect(web.experimentalFeatures).toBe(false);
  });

  it('10. no enableBlinkFeatures', () => {
    expect(web.enableBlinkFeatures).toBeUndefined();
    for (const [, s] of electronSources) expect(code(s)).not.toContain('enableBlinkFeatures');
  });

  it('11. <webview>: none (webviewTag off), so no allowpopups', () => {
    expect(web.webviewTag).toBe(false);
  });

  it('12. <webview>: any attach attempt is refused', () => {
    const wc = hardened();
    expect(wc.fire('will-attach-webview', new FakeEvent(), {}, { src: 'https://evil.example' }).defaultPrevented).toBe(true);
  });

  it('13. navigation limited to app://', () => {
    const wc = hardened();
    expect(wc.fire('will-navigate', new FakeEvent(), 'https://evil.example/').defaultPrevented).toBe(true);
    expect(wc.fire('will-navigate', new FakeEvent(), 'file:///etc/passwd').defaultPrevented).toBe(true);
    expect(wc.fire('will-navigate', new FakeEvent(), 'app://kiosk/index.html').defaultPrevented).toBe(false);
    expect(wc.fire('will-frame-navigate', new FakeEvent('https://evil.example/')).defaultPrevented).toBe(true);
    expect(wc.fire('will-redirect', new FakeEvent(), 'https://evil.example/').defaultPrevented).toBe(true);
  });

  it('14. new windows denied', () => {
    const wc = hardened();
    expect(wc.windowOpenHandler!({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('15. no shell.openExternal anywhere in the shell', () => {
    for (const [, s] of electronSources) {
      expect(code(s)).not.toMatch(/openExternal|openPath/);
      expect(code(s)).not.toMatch(/import\s*\{[^}]*\bshell\b[^}]*\}\s*from\s*'electron'/);
    }
  });

  it('16. a current Electron (a supported major)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const major = Number(/(\d+)/.exec(pkg.devDependencies.electron ?? '')?.[1]);
    expect(major).toBeGreaterThanOrEqual(39);
  });

  it('17. the sender of every IPC message is validated', async () => {
    const ipcMain = new FakeIpcMain();
    const wc = new FakeKioskContents(ipcMain, APP_ENTRY);
    let ran = 0;
    registerKioskIpc({
      ipcMain: ipcMain as never,
      dispatcher: { call: async () => (ran++, { ok: true, value: null }) },
      events: { subscribe: () => () => {} } as never,
      isTrusted: trustedSender(() => wc as never) as never,
      target: () => wc as never,
    });
    wc.renderer.frame = { url: 'https://evil.example/' };
    expect(await wc.renderer.invoke('kiosk:call', 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(ran).toBe(0);
    wc.renderer.frame = wc.mainFrame;
    expect(await wc.renderer.invoke('kiosk:call', 'app.info', {})).toMatchObject({ ok: true });
    expect(ran).toBe(1);
  });

  it('18. no file:// protocol: the renderer is loaded through app://', () => {
    for (const [, s] of electronSources) {
      expect(code(s)).not.toMatch(/loadFile\(|['"`]file:\/\//);
    }
  });

  it('19. fuses: runAsNode off, asar-only with integrity, no NODE_OPTIONS or inspect, no file:// privileges', () => {
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    for (const line of [
      'runAsNode: false',
      'enableNodeOptionsEnvironmentVariable: false',
      'enableNodeCliInspectArguments: false',
      'enableEmbeddedAsarIntegrityValidation: true',
      'onlyLoadAppFromAsar: true',
      'grantFileProtocolExtraPrivileges: false',
      'enableCookieEncryption: true',
    ]) {
      expect(yml).toContain(`  ${line}`);
    }
  });

  it('20. no Electron API exposed to web content: the preload exposes one narrow object', async () => {
    const cb = new FakeContextBridge();
    const ipcMain = new FakeIpcMain();
    const wc = new FakeKioskContents(ipcMain, APP_ENTRY);
    cb.exposeInMainWorld('kioskBridge', createPreloadBridge(wc.renderer as never));
    expect([...cb.exposed.keys()]).toEqual(['kioskBridge']);
    const bridge = cb.exposed.get('kioskBridge') as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['apiVersion', 'call', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
    // Unknown methods never reach IPC; listeners receive the payload only, never the IPC event.
    expect(await (bridge.call as (m: string, a: unknown) => Promise<unknown>)('ipcRenderer.send', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const received: unknown[][] = [];
    (bridge.on as (e: string, l: (...a: unknown[]) => void) => void)('session.ended', (...args) => received.push(args));
    wc.send('kiosk:event', 'session.ended', { reason: 'idle' });
    await new Promise((r) => setImmediate(r));
    expect(received).toEqual([[{ reason: 'idle' }]]);
    const preload = electronSources.find(([p]) => p.endsWith(join('preload', 'index.ts')))![1];
    expect(code(preload).match(/exposeInMainWorld/g)).toHaveLength(1);
  });

  it('devtools, reload, zoom and close shortcuts are blocked in production, re-enabled only by the dev flag', () => {
    const key = (k: string, mods: Partial<{ control: boolean; shift: boolean; alt: boolean; meta: boolean }> = {}) => ({
      type: 'keyDown' as const,
      key: k,
      control: false,
      shift: false,
      alt: false,
      meta: false,
      ...mods,
    });
    const blocked = [key('F12'), key('I', { control: true, shift: true }), key('r', { control: true }), key('F5'), key('=', { control: true }), key('-', { control: true }), key('0', { control: true }), key('F4', { alt: true }), key('w', { control: true }), key('q', { control: true }), key('F11'), key('ArrowLeft', { alt: true })];
    for (const k of blocked) expect(isBlockedInput(k, false), JSON.stringify(k)).toBe(true);
    expect(isBlockedInput(key('a'), false)).toBe(false);
    expect(isBlockedInput(key('1'), false)).toBe(false);
    expect(isBlockedInput(key('F12'), true)).toBe(false);
    expect(isBlockedInput(key('r', { control: true }), true)).toBe(false);
    expect(isBlockedInput(key('F4', { alt: true }), true)).toBe(true);
    const wc = hardened();
    expect(wc.fire('before-input-event', new FakeEvent(), key('F12')).defaultPrevented).toBe(true);
    expect(kioskWindowOptions({ preload: '/p', flags: prod }).webPreferences!.devTools).toBe(false);
  });

  it('downloads are cancelled', () => {
    const ses = new FakeSession();
    lockDownSession(ses as never);
    const e = new FakeEvent();
    ses.emit('will-download', e, {}, {});
    expect(e.defaultPrevented).toBe(true);
  });
});
