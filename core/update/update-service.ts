// App updates pushed by central IT: check on a schedule, download in the background, install only
// when no customer session is active and inside the maintenance window, then quitAndInstall(true,
// true) so the kiosk comes back by itself. Staged rollout (stagingPercentage) is decided by
// electron-updater against this kiosk's .updaterId. The status goes to the staff panel (kiosk API
// update.status and its event) and to the hub heartbeat.
import type { UpdateStatus } from '../../contracts/kiosk-api.ts';
import type { Logger } from '../log/logger.ts';
import { inMaintenanceWindow, type MaintenanceWindow } from './maintenance-window.ts';

/** What the kiosk API and central IT's commands need from an app updater (this service, or a test's). */
export interface UpdateSource {
  status(): UpdateStatus;
  checkNow(): Promise<UpdateStatus>;
  subscribe(listener: (status: UpdateStatus) => void): () => void;
}

/** The part of electron-updater's AppUpdater this service drives. */
export interface UpdaterLike {
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string } } | null>;
  downloadUpdate(): Promise<string[]>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'download-progress', listener: (info: { percent: number }) => void): unknown;
}

export interface UpdateServiceOptions {
  updater: UpdaterLike;
  currentVersion: string;
  sessionActive: () => boolean;
  window: MaintenanceWindow | null;
  /** How often to look for an update (default 1 h) and to retry a pending install (default 1 min). */
  checkEveryMs?: number;
  installRetryMs?: number;
  now?: () => Date;
  logger?: Logger;
}

export class UpdateService implements UpdateSource {
  private current: UpdateStatus;
  private readonly listeners = new Set<(s: UpdateStatus) => void>();
  private timers: NodeJS.Timeout[] = [];
  private checking: Promise<UpdateStatus> | undefined;
  private readonly now: () => Date;
  /** Set by installNow(): the maintenance window is ignored until this update is installed. */
  private installAsap = false;

  constructor(private readonly options: UpdateServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.current = { state: 'idle', currentVersion: options.currentVersion, availableVersion: null, progress: null, lastCheckAt: null, detail: null };
    options.updater.on('download-progress', (p) => this.set({ progress: Math.max(0, Math.min(100, Math.round(p.percent))) }));
  }

  status(): UpdateStatus {
    return { ...this.current };
  }

  subscribe(listener: (s: UpdateStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    const every = this.options.checkEveryMs ?? 60 * 60_000;
    const retry = this.options.installRetryMs ?? 60_000;
    this.timers.push(setInterval(() => void this.checkNow(), every), setInterval(() => this.tryInstall(), retry));
    for (const t of this.timers) t.unref();
    void this.checkNow();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Check, and download what is offered to this kiosk. One check at a time. */
  checkNow(): Promise<UpdateStatus> {
    if (this.checking) return this.checking;
    if (this.current.state === 'downloaded' || this.current.state === 'waiting-for-window' || this.current.state === 'installing') {
      this.tryInstall();
      return Promise.resolve(this.status());
    }
    this.checking = this.run().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /**
   * Central IT's "update now" (hub command): check now and install as soon as no customer is using
   * the kiosk, even outside the maintenance window. The session rule still holds.
   */
  installNow(): Promise<UpdateStatus> {
    this.installAsap = true;
    return this.checkNow();
  }

  private async run(): Promise<UpdateStatus> {
    this.set({ state: 'checking', detail: null, lastCheckAt: this.now().toISOString() });
    try {
      const result = await this.options.updater.checkForUpdates();
      if (!result || !result.isUpdateAvailable) {
        this.installAsap = false;
        this.set({ state: 'up-to-date', availableVersion: null, progress: null });
        return this.status();
      }
      this.set({ state: 'downloading', availableVersion: result.updateInfo.version, progress: 0 });
      await this.options.updater.downloadUpdate();
      this.set({ state: 'downloaded', progress: 100 });
      this.options.logger?.info({ version: result.updateInfo.version }, 'update downloaded');
      this.tryInstall();
    } catch (err) {
      const message = (err as Error).message.split('\n')[0]!.slice(0, 300);
      this.options.logger?.warn({ err: message }, 'update failed');
      this.installAsap = false;
      this.set({ state: 'error', progress: null, detail: message });
    }
    return this.status();
  }

  /** Installs a downloaded update if nobody is using the kiosk and the window is open. */
  tryInstall(): boolean {
    if (this.current.state !== 'downloaded' && this.current.state !== 'waiting-for-window') return false;
    if (this.options.sessionActive()) {
      this.set({ state: 'waiting-for-window', detail: 'a customer is using the kiosk' });
      return false;
    }
    if (!this.installAsap && !inMaintenanceWindow(this.options.window, this.now())) {
      this.set({ state: 'waiting-for-window', detail: 'outside the maintenance window' });
      return false;
    }
    this.set({ state: 'installing', detail: null });
    this.options.logger?.info({ version: this.current.availableVersion }, 'installing update');
    this.options.updater.quitAndInstall(true, true);
    return true;
  }

  private set(patch: Partial<UpdateStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const l of [...this.listeners]) l(this.status());
  }
}
