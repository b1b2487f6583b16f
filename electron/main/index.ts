// Electron main entry (bundled by electron-vite to out/main/index.js). All behaviour is in shell.ts
// and the kiosk core; this file only hands them the real Electron module.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import electronUpdater from 'electron-updater';
import { prepareShell, startShell } from './shell.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

if (prepareShell(electron)) {
  void startShell(electron, {
    rendererDir: join(here, '../renderer'),
    preloadPath: join(here, '../preload/index.cjs'),
    keyWrapper: electron.safeStorage,
    createUpdater: (feed) => {
      const { autoUpdater } = electronUpdater;
      autoUpdater.setFeedURL({ provider: 'generic', url: feed.url, channel: feed.channel });
      autoUpdater.autoDownload = false;
      autoUpdater.autoInstallOnAppQuit = false;
      return autoUpdater;
    },
  }).catch((err: unknown) => {
    console.error('kiosk failed to start:', err);
    electron.app.exit(1);
  });
}
