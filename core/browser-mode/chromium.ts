// Chromium in kiosk mode as the browser-mode window: full screen, no UI, no first-run, no
// translate bar, no pinch zoom or swipe navigation, a private profile so nothing of a customer is
// left on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env, explicit?: string): string | undefined {
  if (explicit) return explicit;
  if (env.KIOSK_CHROMIUM) return env.KIOSK_CHROMIUM;
  return CANDIDATES.find((c) => existsSync(c));
}

export function chromiumKioskArgs(url: string, options: { userDataDir: string; kiosk?: boolean }): string[] {
  return [
    ...(options.kiosk === false ? [] : ['--kiosk']),
    `--app=${url}`,
    `--user-data-dir=${options.userDataDir}`,
    '--incognito',
    '--no-first-run',
    '--no-default-browser-check',
    '--noerrdialogs',
    '--disable-translate',
    '--disable-features=Translate,TranslateUI,OverscrollHistoryNavigation',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--disable-session-crashed-bubble',
    '--disable-infobars',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
  ];
}

export function launchChromium(executable: string, args: string[]): ChildProcess {
  return spawn(executable, args, { stdio: 'ignore' });
}
