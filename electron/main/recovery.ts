// Recovery wiring in the main process: render-process-gone, unresponsive, GPU child-process-gone
// and a silent watchdog all go through the shared RecoveryPolicy (core/shell/recovery.ts): reload
// after a growing delay, relaunch after repeated failures, the out-of-service page in a crash loop.
import type { App, BrowserWindow } from 'electron';
import type { FailureKind, RecoveryDecision, RecoveryPolicy, Watchdog } from '../../core/shell/recovery.ts';
import type { Logger } from '../../core/log/logger.ts';
import { APP_ORIGIN } from '../common/channels.ts';

export const OUT_OF_SERVICE_URL = `${APP_ORIGIN}/out-of-service.html`;

export interface RecoveryDeps {
  app: Pick<App, 'on' | 'relaunch' | 'exit'>;
  window: () => Pick<BrowserWindow, 'webContents' | 'loadURL' | 'isDestroyed'> | undefined;
  policy: RecoveryPolicy;
  watchdog: Watchdog;
  logger?: Logger;
  /** Called before a reload/relaunch: the customer session ends (its data must not survive a crash). */
  onRecover?: (kind: FailureKind) => void;
  schedule?: (fn: () => void, ms: number) => unknown;
  /** How often to check the watchdog (ms). */
  watchdogEveryMs?: number;
}

export function attachRecovery(deps: RecoveryDeps): { handle(kind: FailureKind): RecoveryDecision; stop(): void } {
  const schedule = deps.schedule ?? ((fn, ms) => setTimeout(fn, ms));
  const handle = (kind: FailureKind): RecoveryDecision => {
    const decision = deps.policy.onFailure(kind);
    deps.logger?.warn({ kind, action: decision.action }, 'renderer failure');
    deps.onRecover?.(kind);
    const win = deps.window();
    if (decision.action === 'reload') {
      schedule(() => {
        const w = deps.window();
        if (!w || w.isDestroyed()) return;
        deps.watchdog.reset();
        w.webContents.reload();
      }, decision.delayMs);
    } else if (decision.action === 'relaunch') {
      deps.app.relaunch();
      deps.app.exit(0);
    } else if (win && !win.isDestroyed()) {
      deps.watchdog.reset();
      void win.loadURL(OUT_OF_SERVICE_URL);
    }
    return decision;
  };

  const win = deps.window();
  win?.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') handle('render-gone');
  });
  win?.webContents.on('unresponsive', () => handle('unresponsive'));
  deps.app.on('child-process-gone', (_event, details) => {
    if (details.type === 'GPU') handle('gpu-gone');
  });
  const timer = setInterval(() => deps.watchdog.check(), deps.watchdogEveryMs ?? 5000);
  timer.unref();
  return { handle, stop: () => clearInterval(timer) };
}
