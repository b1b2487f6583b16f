// electron-updater's real DebUpdater in plain Node (Node AppAdapter + Node HTTP executor) against a
// real local HTTP feed, driven by the kiosk's UpdateService.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inMaintenanceWindow, parseMaintenanceWindow } from '../../../core/update/maintenance-window.ts';
import { NodeAppAdapter, createLinuxUpdater } from '../../../core/update/node-updater.ts';
import { UpdateService } from '../../../core/update/update-service.ts';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kiosk } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startFeed, type Feed } from './feed.ts';

let feed: Feed | undefined;

function kioskAsync(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', ...args], { cwd: fileURLToPath(new URL('../../../', import.meta.url)), env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
afterEach(async () => {
  await feed?.close();
  feed = undefined;
});

function setup(feedUrl: string, options: { sessionActive?: () => boolean; window?: string; now?: () => Date; version?: string } = {}) {
  const dir = tempDir();
  const app = new NodeAppAdapter({ version: options.version ?? '1.0.0', userDataPath: join(dir, 'userData'), cachePath: join(dir, 'cache') });
  const updater = createLinuxUpdater({ app, feed: { url: feedUrl } });
  const install = vi.spyOn(updater, 'quitAndInstall').mockImplementation(() => {});
  const service = new UpdateService({
    updater: updater as AppUpdater,
    currentVersion: app.version,
    sessionActive: options.sessionActive ?? (() => false),
    window: options.window ? parseMaintenanceWindow(options.window) : null,
    now: options.now,
  });
  return { dir, app, updater, install, service };
}

const pendingFiles = (dir: string) => {
  const p = join(dir, 'cache', 'lobby-kiosk-updater', 'pending');
  return existsSync(p) ? readdirSync(p).filter((f) => f.endsWith('.deb')) : [];
};

describe('updates from a generic feed (electron-updater, real HTTP)', () => {
  it('offers a newer version, downloads it with its sha512 checked, and installs silently with relaunch', async () => {
    feed = await startFeed({ version: '1.2.0' });
    const { dir, install, service } = setup(feed.url);
    const seen: string[] = [];
    service.subscribe((s) => seen.push(s.state));
    const status = await service.checkNow();
    expect(status).toMatchObject({ state: 'installing', availableVersion: '1.2.0', currentVersion: '1.0.0', progress: 100 });
    expect(seen).toEqual(expect.arrayContaining(['checking', 'downloading', 'downloaded', 'installing']));
    expect(install).toHaveBeenCalledWith(true, true);
    const [file] = pendingFiles(dir);
    expect(readFileSync(join(dir, 'cache', 'lobby-kiosk-updater', 'pending', file!)).equals(feed.artifact)).toBe(true);
    expect(feed.requests).toContain('/latest-linux.yml');
  });

  it('rejects a tampered artifact and installs nothing', async () => {
    feed = await startFeed({ version: '1.2.0', tamper: true });
    const { dir, install, service } = setup(feed.url);
    const status = await service.checkNow();
    expect(status.state).toBe('error');
    expect(status.detail).toMatch(/sha512 checksum mismatch/);
    expect(install).not.toHaveBeenCalled();
    expect(pendingFiles(dir)).toEqual([]);
  });

  it('does not offer the same version', async () => {
    feed = await startFeed({ version: '1.0.0' });
    const { install, service } = setup(feed.url);
    expect((await service.checkNow()).state).toBe('up-to-date');
    expect(install).not.toHaveBeenCalled();
  });

  it.each([
    [0, 'up-to-date'],
    [100, 'installing'],
  ] as const)('stagingPercentage %i → %s', async (pct, state) => {
    feed = await startFeed({ version: '1.2.0', stagingPercentage: pct });
    const { service, install, dir } = setup(feed.url);
    expect((await service.checkNow()).state).toBe(state);
    expect(install).toHaveBeenCalledTimes(state === 'installing' ? 1 : 0);
    // The rollout identity is this kiosk's, kept in userData.
    expect(readFileSync(join(dir, 'userData', '.updaterId'), 'utf8')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('defers the install while a customer session is active, installs once it ends', async () => {
    feed = await startFeed({ version: '1.2.0' });
    let active = true;
    const { install, service } = setup(feed.url, { sessionActive: () => active });
    const status = await service.checkNow();
    expect(status).toMatchObject({ state: 'waiting-for-window', detail: 'a customer is using the kiosk' });
    expect(install).not.toHaveBeenCalled();
    expect(service.tryInstall()).toBe(false);
    active = false;
    expect(service.tryInstall()).toBe(true);
    expect(install).toHaveBeenCalledWith(true, true);
  });

  it('defers the install outside the maintenance window', async () => {
    feed = await startFeed({ version: '1.2.0' });
    let now = new Date(2026, 10, 25, 14, 0);
    const { install, service } = setup(feed.url, { window: '02:00-05:00', now: () => now });
    expect((await service.checkNow()).detail).toBe('outside the maintenance window');
    expect(install).not.toHaveBeenCalled();
    now = new Date(2026, 10, 26, 3, 30);
    // A check while an update waits only retries the install.
    expect((await service.checkNow()).state).toBe('installing');
    expect(install).toHaveBeenCalledOnce();
  });

  it('reports an unreachable feed as an error, not a crash', async () => {
    const { service } = setup('http://127.0.0.1:9/');
    const status = await service.checkNow();
    expect(status.state).toBe('error');
    expect(status.detail).toBeTruthy();
  });
});

describe('maintenance window', () => {
  it('parses and checks windows, also across midnight', () => {
    const night = parseMaintenanceWindow('23:00-04:00');
    expect(inMaintenanceWindow(night, new Date(2026, 0, 1, 23, 30))).toBe(true);
    expect(inMaintenanceWindow(night, new Date(2026, 0, 1, 3, 59))).toBe(true);
    expect(inMaintenanceWindow(night, new Date(2026, 0, 1, 4, 0))).toBe(false);
    expect(inMaintenanceWindow(night, new Date(2026, 0, 1, 12, 0))).toBe(false);
    const early = parseMaintenanceWindow('02:00-05:00');
    expect(inMaintenanceWindow(early, new Date(2026, 0, 1, 1, 59))).toBe(false);
    expect(inMaintenanceWindow(early, new Date(2026, 0, 1, 2, 0))).toBe(true);
    expect(inMaintenanceWindow(null, new Date())).toBe(true);
  });

  it.each(['2-5', '25:00-03:00', '02:00-02:00', '02:61-03:00', ''])('refuses %j', (text) => {
    expect(() => parseMaintenanceWindow(text)).toThrow(/maintenance window/);
  });
});

describe('kiosk update check (CLI)', () => {
  it('says what the feed offers this kiosk, as JSON', async () => {
    feed = await startFeed({ version: '1.2.0', stagingPercentage: 100 });
    const dir = tempDir();
    // Asynchronously: the feed server lives in this process.
    const r = await kioskAsync(['update', 'check', '--feed', feed.url, '--current', '1.0.0', '--json'], { KIOSK_DATA_DIR: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ latestVersion: '1.2.0', currentVersion: '1.0.0', updateAvailable: true, stagingPercentage: 100 });
  });

  it('refuses a missing or non-http feed with a usage error', () => {
    expect(kiosk(['update', 'check']).code).toBe(2);
    const r = kiosk(['update', 'check', '--feed', 'file:///etc/passwd']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('http(s)');
  });
});
