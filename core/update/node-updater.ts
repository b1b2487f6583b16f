// electron-updater's real Linux updater classes, outside Electron: a Node AppAdapter (version,
// paths, quit/relaunch hooks) and a Node HTTP executor. The Electron shell uses the same factory
// with an adapter over `app`; the CLI and the tests use the Node one.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { HttpExecutor, configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import { AppImageUpdater, DebUpdater, type AppUpdater, type Logger as UpdaterLogger } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';

export type { AppAdapter };

/** What electron-updater's ElectronHttpExecutor does over electron.net, over Node's http/https. */
export class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  async download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        { destination, options, onCancel, callback: (error) => (error == null ? resolve(destination) : reject(error)), responseHandler: null },
        0,
      );
    });
  }

  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return (options.protocol === 'http:' ? httpRequest : httpsRequest)(options, callback);
  }
}

export interface NodeAppOptions {
  name?: string;
  version: string;
  /** Where .updaterId (the staged-rollout identity) and app-update.yml live. */
  userDataPath: string;
  /** Where downloads are cached (<cache>/<updaterCacheDirName>/pending). */
  cachePath: string;
  onQuit?: () => void;
  onRelaunch?: () => void;
}

export class NodeAppAdapter implements AppAdapter {
  readonly isPackaged = true;
  readonly appUpdateConfigPath: string;
  private readonly quitHandlers: Array<(code: number) => void> = [];

  constructor(private readonly options: NodeAppOptions) {
    this.appUpdateConfigPath = join(options.userDataPath, 'app-update.yml');
    mkdirSync(options.userDataPath, { recursive: true });
    if (!existsSync(this.appUpdateConfigPath)) {
      // Only the cache folder name is read from here; the feed is set from the kiosk configuration.
      writeFileSync(this.appUpdateConfigPath, `provider: generic\nurl: http://127.0.0.1/\nupdaterCacheDirName: ${this.name}-updater\n`);
    }
  }

  get version(): string {
    return this.options.version;
  }
  get name(): string {
    return this.options.name ?? 'lobby-kiosk';
  }
  get userDataPath(): string {
    return this.options.userDataPath;
  }
  get baseCachePath(): string {
    return this.options.cachePath;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  relaunch(): void {
    this.options.onRelaunch?.();
  }
  quit(): void {
    for (const h of this.quitHandlers) h(0);
    this.options.onQuit?.();
  }
  onQuit(handler: (exitCode: number) => void): void {
    this.quitHandlers.push(handler);
  }
}

export interface FeedOptions {
  url: string;
  /** latest (default), beta … → <channel>-linux.yml */
  channel?: string;
}

export type LinuxPackage = 'deb' | 'appimage';

/** A configured updater: generic feed, no automatic download or install (UpdateService decides). */
export function createLinuxUpdater(options: { app: AppAdapter; feed: FeedOptions; kind?: LinuxPackage; logger?: UpdaterLogger | null; nodeHttp?: boolean }): AppUpdater {
  const updater = options.kind === 'appimage' ? new AppImageUpdater(null, options.app) : new DebUpdater(null, options.app);
  if (options.nodeHttp !== false) (updater as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttpExecutor();
  updater.setFeedURL({ provider: 'generic', url: options.feed.url, channel: options.feed.channel ?? 'latest' });
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.logger = options.logger ?? null;
  return updater;
}
