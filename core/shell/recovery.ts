// Crash recovery policy shared by both shells (Electron main: render-process-gone, unresponsive,
// GPU child-process-gone, a silent watchdog; browser mode: Chromium exiting). Pure logic with an
// injected clock: reload the page with a growing delay; after `maxFailures` within `windowMs`,
// relaunch the whole app; and when relaunches themselves loop (recorded on disk, since a relaunch
// loses memory), stop and show the out-of-service page instead of flapping forever.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type FailureKind = 'render-gone' | 'unresponsive' | 'gpu-gone' | 'watchdog' | 'child-exit';

export type RecoveryDecision = { action: 'reload'; delayMs: number } | { action: 'relaunch' } | { action: 'give-up'; reason: string };

export interface RecoveryOptions {
  maxFailures: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** More relaunches than this within crashLoopWindowMs is a crash loop. */
  maxRelaunches: number;
  crashLoopWindowMs: number;
}

export const DEFAULT_RECOVERY: RecoveryOptions = {
  maxFailures: 3,
  windowMs: 5 * 60_000,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRelaunches: 3,
  crashLoopWindowMs: 15 * 60_000,
};

/** Relaunch times survive the relaunch: kept in a small JSON file. */
export interface RelaunchHistory {
  load(): number[];
  save(times: number[]): void;
}

export class FileRelaunchHistory implements RelaunchHistory {
  constructor(private readonly file: string) {}

  load(): number[] {
    try {
      if (!existsSync(this.file)) return [];
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(v) ? v.filter((n): n is number => typeof n === 'number' && Number.isFinite(n)) : [];
    } catch {
      return [];
    }
  }

  save(times: number[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(times.slice(-50)));
    renameSync(tmp, this.file);
  }
}

export class MemoryRelaunchHistory implements RelaunchHistory {
  times: number[] = [];
  load(): number[] {
    return [...this.times];
  }
  save(times: number[]): void {
    this.times = [...times];
  }
}

export class RecoveryPolicy {
  private failures: number[] = [];
  private readonly options: RecoveryOptions;

  constructor(
    options: Partial<RecoveryOptions> = {},
    private readonly history: RelaunchHistory = new MemoryRelaunchHistory(),
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_RECOVERY, ...options };
  }

  /** A failure happened: what to do about it. */
  onFailure(_kind: FailureKind): RecoveryDecision {
    const t = this.now();
    this.failures = this.failures.filter((f) => t - f < this.options.windowMs);
    this.failures.push(t);
    if (this.failures.length < this.options.maxFailures) {
      const delayMs = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (this.failures.length - 1));
      return { action: 'reload', delayMs };
    }
    const relaunches = this.history.load().filter((r) => t - r < this.options.crashLoopWindowMs);
    if (relaunches.length >= this.options.maxRelaunches) {
      return { action: 'give-up', reason: `${relaunches.length} relaunches within ${Math.round(this.options.crashLoopWindowMs / 60_000)} min: crash loop` };
    }
    this.history.save([...relaunches, t]);
    this.failures = [];
    return { action: 'relaunch' };
  }

  recentFailures(): number {
    const t = this.now();
    return this.failures.filter((f) => t - f < this.options.windowMs).length;
  }
}

/**
 * The renderer beats every few seconds (kiosk API app.heartbeat). When beats stop for `timeoutMs`
 * while the page is supposed to be alive, the page is hung even if Chromium did not say so.
 */
export class Watchdog {
  private lastBeat: number | null = null;
  private fired = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onSilent: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  beat(): void {
    this.lastBeat = this.now();
    this.fired = false;
  }

  /** The page is being (re)loaded: no beats expected until it sends its first one. */
  reset(): void {
    this.lastBeat = null;
    this.fired = false;
  }

  /** Call periodically; fires onSilent once per silence. */
  check(): boolean {
    if (this.lastBeat === null || this.fired) return false;
    if (this.now() - this.lastBeat < this.timeoutMs) return false;
    this.fired = true;
    this.onSilent();
    return true;
  }
}
