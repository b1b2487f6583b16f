// The kiosk window and everything that locks it down. Pure functions and functions of a
// webContents/session, typed against electron's .d.ts and tested against a fake of those APIs
// (test/electron). Each setting here answers an item of Electron's security checklist; the tests
// name the item they guard.
import type { BrowserWindowConstructorOptions, Input, Session, WebContents } from 'electron';
import { APP_ORIGIN, isAppUrl } from '../common/channels.ts';

export interface ShellFlags {
  /** Developer mode: devtools, reload and zoom shortcuts allowed; not kiosk/fullscreen. */
  dev: boolean;
  hideCursor: boolean;
}

export function shellFlags(argv: readonly string[], env: NodeJS.ProcessEnv): ShellFlags {
  return {
    dev: argv.includes('--kiosk-dev') || env.KIOSK_DEV === '1',
    hideCursor: argv.includes('--hide-cursor') || env.KIOSK_HIDE_CURSOR === '1',
  };
}

export function kioskWindowOptions(options: { preload: string; flags: ShellFlags }): BrowserWindowConstructorOptions {
  const { dev } = options.flags;
  return {
    show: false,
    kiosk: !dev,
    fullscreen: !dev,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#0b5cad',
    width: 1080,
    height: 1920,
    title: 'Lobby Kiosk',
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: dev,
      safeDialogs: true,
      disableDialogs: true,
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}

/**
 * Keys a customer must not use: devtools, reload, zoom, close, quit, fullscreen toggle, print,
 * find, view-source, history navigation. In dev mode only closing the app stays blocked.
 */
export function isBlockedInput(input: Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>, dev: boolean): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (input.alt && key === 'f4') return true;
  if (mod && (key === 'q' || key === 'w')) return true;
  if (dev) return false;
  if (['f5', 'f11', 'f12', 'browserback', 'browserforward', 'browserrefresh'].includes(key)) return true;
  if (input.alt && (key === 'arrowleft' || key === 'arrowright' || key === 'home')) return true;
  if (mod && ['r', '+', '=', '-', '_', '0', 'p', 'f', 'g', 'u', 'o', 's', 'n', 't', 'j', 'h', 'l'].includes(key)) return true;
  if (mod && input.shift && ['i', 'j', 'c', 'r', 'delete'].includes(key)) return true;
  return false;
}

type Hardenable = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'setVisualZoomLevelLimits'>;

/** Navigation, new windows, webviews, redirects and blocked keys on the kiosk webContents. */
export function hardenWebContents(wc: Hardenable, flags: ShellFlags): void {
  wc.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  wc.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.on('before-input-event', (event, input) => {
    if (isBlockedInput(input, flags.dev)) event.preventDefault();
  });
  // No pinch zoom.
  void wc.setVisualZoomLevelLimits(1, 1);
}

type Lockable = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler' | 'on'>;

/** Every permission denied (devices are the core's business, never the page's), downloads cancelled. */
export function lockDownSession(ses: Lockable): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.on('will-download', (event) => event.preventDefault());
}

/** CSS injected when the cursor should be hidden (touch-only kiosks). */
export const HIDDEN_CURSOR_CSS = '* { cursor: none !important; }';

export { APP_ORIGIN };
