// Crash recovery: the shared policy (core/shell/recovery.ts) and its wiring in the main process.
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRelaunchHistory, MemoryRelaunchHistory, RecoveryPolicy, Watchdog } from '../../core/shell/recovery.ts';
import { OUT_OF_SERVICE_URL, attachRecovery } from '../../electron/main/recovery.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FakeEvent, FakeIpcMain, FakeKioskContents } from './fake-electron.ts';

describe('recovery policy', () => {
  it('reloads with growing delays, then relaunches after N failures within the window', () => {
    let now = 0;
    const p = new RecoveryPolicy({ maxFailures: 3, baseDelayMs: 1000, windowMs: 60_000 }, new MemoryRelaunchHistory(), () => now);
    expect(p.onFailure('render-gone')).toEqual({ action: 'reload', delayMs: 1000 });
    now += 10;
    expect(p.onFailure('unresponsive')).toEqual({ action: 'reload', delayMs: 2000 });
    now += 10;
    expect(p.onFailure('gpu-gone')).toEqual({ action: 'relaunch' });
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const p = new RecoveryPolicy({ maxFailures: 2, windowMs: 1000 }, new MemoryRelaunchHistory(), () => now);
    p.onFailure('render-gone');
    now = 5000;
    expect(p.onFailure('render-gone').action).toBe('reload');
  });

  it('stops relaunching in a crash loop, remembered across relaunches on disk', () => {
    let now = 1_000_000;
    const file = join(tempDir(), 'relaunches.json');
    const opts = { maxFailures: 1, maxRelaunches: 2, crashLoopWindowMs: 600_000 };
    // Each "process" is a new policy reading the same history file.
    expect(new RecoveryPolicy(opts, new FileRelaunchHistory(file), () => now).onFailure('render-gone')).toEqual({ action: 'relaunch' });
    now += 1000;
    expect(new RecoveryPolicy(opts, new FileRelaunchHistory(file), () => now).onFailure('render-gone')).toEqual({ action: 'relaunch' });
    now += 1000;
    expect(new RecoveryPolicy(opts, new FileRelaunchHistory(file), () => now).onFailure('render-gone').action).toBe('give-up');
    now += 700_000;
    expect(new RecoveryPolicy(opts, new FileRelaunchHistory(file), () => now).onFailure('render-gone')).toEqual({ action: 'relaunch' });
  });

  it('a corrupt history file counts as none', () => {
    const file = join(tempDir(), 'h.json');
    const h = new FileRelaunchHistory(file);
    h.save([1, 2]);
    expect(h.load()).toEqual([1, 2]);
    writeFileSync(file, '{not json');
    expect(h.load()).toEqual([]);
  });

  it('watchdog fires once per silence, only after the first beat', () => {
    let now = 0;
    let fired = 0;
    const w = new Watchdog(1000, () => fired++, () => now);
    now = 5000;
    expect(w.check()).toBe(false);
    w.beat();
    now += 999;
    expect(w.check()).toBe(false);
    now += 1;
    expect(w.check()).toBe(true);
    expect(w.check()).toBe(false);
    w.beat();
    now += 2000;
    expect(w.check()).toBe(true);
    expect(fired).toBe(2);
  });
});

describe('recovery wiring (fake Electron)', () => {
  function wire(opts: ConstructorParameters<typeof RecoveryPolicy>[0] = {}) {
    const wc = new FakeKioskContents(new FakeIpcMain(), 'app://kiosk/index.html');
    const loaded: string[] = [];
    const win = { webContents: wc, isDestroyed: () => false, loadURL: async (u: string) => void loaded.push(u) };
    const app = Object.assign(new EventEmitter(), { relaunches: 0, exits: [] as number[], relaunch() { app.relaunches++; }, exit(c: number) { app.exits.push(c); } });
    const scheduled: Array<[() => void, number]> = [];
    const recovered: string[] = [];
    const watchdog = new Watchdog(1000, () => r.handle('watchdog'));
    const r = attachRecovery({
      app: app as never,
      window: () => win as never,
      policy: new RecoveryPolicy({ maxFailures: 3, maxRelaunches: 0, ...opts }),
      watchdog,
      schedule: (fn, ms) => scheduled.push([fn, ms]),
      onRecover: (k) => recovered.push(k),
    });
    return { wc, app, scheduled, recovered, loaded, r };
  }

  it('render-process-gone and unresponsive reload after the policy delay; a clean exit is not a crash', () => {
    const { wc, scheduled, recovered } = wire();
    wc.fire('render-process-gone', new FakeEvent(), { reason: 'clean-exit', exitCode: 0 });
    expect(scheduled).toHaveLength(0);
    wc.fire('render-process-gone', new FakeEvent(), { reason: 'oom', exitCode: 1 });
    wc.fire('unresponsive');
    expect(scheduled.map(([, ms]) => ms)).toEqual([1000, 2000]);
    scheduled[0]![0]();
    expect(wc.reloads).toBe(1);
    expect(recovered).toEqual(['render-gone', 'unresponsive']);
  });

  it('GPU process gone counts; other child processes do not', () => {
    const { app, scheduled } = wire();
    app.emit('child-process-gone', new FakeEvent(), { type: 'Utility', reason: 'crashed' });
    expect(scheduled).toHaveLength(0);
    app.emit('child-process-gone', new FakeEvent(), { type: 'GPU', reason: 'crashed' });
    expect(scheduled).toHaveLength(1);
  });

  it('in a crash loop the out-of-service page is shown instead of relaunching', () => {
    const { wc, app, loaded } = wire({ maxFailures: 1 });
    wc.fire('render-process-gone', new FakeEvent(), { reason: 'crashed', exitCode: 1 });
    expect(app.relaunches).toBe(0);
    expect(loaded).toEqual([OUT_OF_SERVICE_URL]);
  });

  it('relaunches the app after repeated failures', () => {
    const { wc, app } = wire({ maxFailures: 2, maxRelaunches: 5 });
    wc.fire('unresponsive');
    wc.fire('unresponsive');
    expect(app.relaunches).toBe(1);
    expect(app.exits).toEqual([0]);
  });
});
