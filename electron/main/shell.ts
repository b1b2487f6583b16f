// The Electron shell around the kiosk core, with the Electron APIs passed in (index.ts passes the
// real module; tests pass a fake). Order matters and is tested: privileged app:// scheme and
// sandbox before ready, single-instance lock, locked-down session, protocol, core, window, IPC,
// recovery, display-sleep blocker, updates.
import { join } from 'node:path';
import type * as Electron from 'electron';
import { openKioskCore, type KioskCore } from '../../core/kiosk-core.ts';
import { FileRelaunchHistory, RecoveryPolicy, Watchdog } from '../../core/shell/recovery.ts';
import type { HostActions } from '../../core/shell/host-actions.ts';
import { rebootArgv, rebootCommand } from '../../core/staff/reboot.ts';
import { WrappedKeyProvider, type KeyWrapper } from '../../core/outbox/crypto.ts';
import { openKioskDatabase } from '../../core/kiosk-db.ts';
import { updateSettings } from '../../core/update/update-config.ts';
import { UpdateService, type UpdaterLike } from '../../core/update/update-service.ts';
import { APP_ENTRY, APP_SCHEME } from '../common/channels.ts';
import { registerKioskIpc, trustedSender } from './ipc.ts';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol.ts';
import { attachRecovery } from './recovery.ts';
import { HIDDEN_CURSOR_CSS, hardenWebContents, kioskWindowOptions, lockDownSession, shellFlags } from './window.ts';

export type ElectronApis = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'powerSaveBlocker' | 'Menu'>;

export interface ShellOptions {
  /** out/renderer and out/preload/index.cjs */
  rendererDir: string;
  preloadPath: string;
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** electron-updater's autoUpdater in production; absent: updates disabled. */
  createUpdater?: (feed: { url: string; channel: string }) => UpdaterLike;
  /** Electron's safeStorage: wraps the outbox key with the OS key store when available. */
  keyWrapper?: KeyWrapper;
}

export interface Shell {
  core: KioskCore;
  window: Electron.BrowserWindow;
  updates: UpdateService | undefined;
}

/** Before app ready. Returns false when another instance runs (this one quits). */
export function prepareShell(electron: ElectronApis): boolean {
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  electron.app.enableSandbox();
  if (!electron.app.requestSingleInstanceLock()) {
    electron.app.quit();
    return false;
  }
  return true;
}

export async function startShell(electron: ElectronApis, options: ShellOptions): Promise<Shell> {
  const { app } = electron;
  const env = options.env ?? process.env;
  const flags = shellFlags(options.argv ?? process.argv, env);
  await app.whenReady();
  const userData = app.getPath('userData');

  const ses = electron.session.defaultSession;
  lockDownSession(ses);
  ses.protocol.handle(APP_SCHEME, createAppProtocolHandler(options.rendererDir));
  electron.Menu.setApplicationMenu(null);

  let updates: UpdateService | undefined;
  const watchdog = new Watchdog(30_000, () => recovery.handle('watchdog'));
  const host: HostActions = {
    restartApp: () =>
      setTimeout(() => {
        app.relaunch();
        app.exit(0);
      }, 200),
    reboot: rebootCommand(rebootArgv(env)),
    exitKiosk: () => {
      window.setKiosk(false);
      window.setFullScreen(false);
    },
    heartbeat: () => watchdog.beat(),
  };

  const dbPath = join(userData, 'kiosk.db');
  const settingsDb = openKioskDatabase(dbPath);
  let settings;
  try {
    settings = updateSettings(settingsDb, env);
  } finally {
    settingsDb.close();
  }
  const updater = settings.feedUrl && options.createUpdater ? options.createUpdater({ url: settings.feedUrl, channel: settings.channel }) : undefined;
  if (updater) {
    updates = new UpdateService({
      updater,
      currentVersion: app.getVersion(),
      sessionActive: () => kioskCore.service.session.active,
      window: settings.window,
    });
  }
  const outboxKey = options.keyWrapper?.isEncryptionAvailable() ? new WrappedKeyProvider(join(userData, 'outbox-key.sealed'), options.keyWrapper) : undefined;
  const kioskCore: KioskCore = openKioskCore({
    mode: 'electron',
    appVersion: app.getVersion(),
    dbPath,
    logDir: join(userData, 'logs'),
    env,
    host,
    updates,
    ...(outboxKey ? { outboxKey } : {}),
  });
  if (updates) {
    const u = updates;
    kioskCore.service.events.subscribe((event) => {
      if (event === 'session.ended') u.tryInstall();
    });
  }

  const window = new electron.BrowserWindow(kioskWindowOptions({ preload: options.preloadPath, flags }));
  hardenWebContents(window.webContents, flags);
  registerKioskIpc({
    ipcMain: electron.ipcMain,
    dispatcher: kioskCore.service.dispatcher,
    events: kioskCore.service.events,
    isTrusted: trustedSender(() => window.webContents),
    target: () => window.webContents,
    logger: kioskCore.log.logger,
  });
  const recovery = attachRecovery({
    app,
    window: () => window,
    policy: new RecoveryPolicy({}, new FileRelaunchHistory(join(userData, 'relaunches.json'))),
    watchdog,
    logger: kioskCore.log.logger,
    onRecover: () => kioskCore.service.session.end('restart'),
  });
  // A constant stylesheet of ours, never user-supplied content (electronegativity finding justified).
  if (flags.hideCursor) window.webContents.on('dom-ready', () => void window.webContents.insertCSS(HIDDEN_CURSOR_CSS)); /* eng-disable DANGEROUS_FUNCTIONS_JS_CHECK */
  window.once('ready-to-show', () => window.show());
  electron.powerSaveBlocker.start('prevent-display-sleep');

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    recovery.stop();
    updates?.stop();
    void kioskCore.close();
  });

  await window.loadURL(APP_ENTRY);
  updates?.start();
  return { core: kioskCore, window, updates };
}
