// The kiosk sync engine (sync protocol v1, docs/sync-protocol.md):
//   fetch pages → verify each change's hash → stage (durably, page by page) → verify the
//   checkpoint (count + checksum over the whole sync) → fetch missing blobs (digest-checked) →
//   apply everything, the search index and the new cursor in ONE transaction → GC blobs.
// An interruption anywhere resumes from the last committed cursor, reusing the staged pages of the
// same snapshot. Runs on demand (syncOnce / syncNow) or on a schedule taken from the synced
// configuration, with exponential backoff and jitter while the hub is unreachable; emits 'status'.
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import {
  PutChange,
  SYNC_LIMITS,
  SyncPageEnvelope,
  changeHashInput,
  checkpointLine,
  KIOSK_HEADERS,
  type BlobRef,
  type Checkpoint,
} from '../../contracts/sync-protocol.ts';
import type { KbStore } from '../kb/store.ts';
import { backoffDelay } from '../../common/backoff.ts';
import { applySync, type ApplySummary, type ParsedChange } from './apply.ts';
import { fetchBlob, inParallel } from './blobs.ts';
import { effectiveConfig } from './config.ts';
import { SyncError } from '../hub-client/errors.ts';
import { failure, hubFetch, hubUrl, readCapped, type HubEndpoint } from '../hub-client/http.ts';
import { hubPath } from '../hub-client/client.ts';
import { clearStage, noteAttempt, readSyncState, stagePage, stagedChanges, type StagedChange } from './state.ts';

export interface SyncOptions {
  hubUrl: string;
  token: string;
  allowInsecureHttp?: boolean;
  /** Changes per page to ask for (the hub caps it). */
  pageLimit?: number;
  /** Per request. */
  timeoutMs?: number;
  /** Largest page body accepted (decompressed). */
  maxPageBytes?: number;
  blobConcurrency?: number;
  appVersion?: string;
  /** Reported to the hub with each poll (fleet view). */
  outboxBacklog?: () => number;
  /** The app updater's state, reported with each poll (fleet view). */
  updateState?: () => string | null;
  /** Device health summary (contracts/device-health.ts), reported with each poll (fleet view). */
  deviceHealth?: () => string | null;
  /** Seconds since the kiosk core started, reported with each poll (fleet view). */
  uptimeSeconds?: () => number;
  /** Tests: called between steps so a fault can be injected at a precise point. */
  onStep?: (step: 'page-staged' | 'verified' | 'blobs-fetched' | 'applied') => void | Promise<void>;
}

export interface SyncResult {
  changed: boolean;
  full: boolean;
  cursor: number;
  pages: number;
  changes: number;
  blobsFetched: number;
  bytes: number;
  applied: ApplySummary | null;
}

export interface SyncProgress {
  phase: 'pages' | 'blobs' | 'apply';
  done: number;
  total: number | null;
}

export interface SyncStatus {
  state: 'idle' | 'syncing' | 'error';
  /** null until the first attempt; false after a network failure, true after any hub answer. */
  online: boolean | null;
  cursor: number;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  progress: SyncProgress | null;
  nextAttemptAt: string | null;
}

/** One sync at a time per database file, across processes (the app and the CLI). */
class SyncLock {
  private held = false;
  constructor(private readonly path: string | null) {}

  acquire(): void {
    if (this.held) throw new SyncError('busy', 'a sync of this kiosk is already running');
    if (this.path) {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const fd = openSync(this.path, 'wx', 0o600);
          writeSync(fd, String(process.pid));
          closeSync(fd);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          const pid = Number(readFileSync(this.path, 'utf8').trim());
          if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new SyncError('busy', `another process (pid ${pid}) is syncing this kiosk`);
          rmSync(this.path, { force: true }); // left by a process that died
          if (attempt === 1) throw new SyncError('busy', 'could not take the sync lock');
        }
      }
    }
    this.held = true;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.path) rmSync(this.path, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** 'applied': a sync committed changes (after the transaction), e.g. new configuration layers. */
export class SyncEngine extends EventEmitter<{ status: [SyncStatus]; applied: [ApplySummary] }> {
  private readonly endpoint: HubEndpoint;
  private readonly lock: SyncLock;
  private current: Promise<SyncResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private running = false;
  private snapshot: SyncStatus;

  constructor(
    private readonly store: KbStore,
    private readonly options: SyncOptions,
  ) {
    super();
    if (!options.token) throw new SyncError('config', 'no device token: give --token or set KIOSK_HUB_TOKEN');
    this.endpoint = { url: hubUrl(options.hubUrl, { allowInsecureHttp: options.allowInsecureHttp ?? false }), token: options.token, timeoutMs: options.timeoutMs ?? 30_000 };
    const file = store.db.name;
    this.lock = new SyncLock(file && file !== ':memory:' ? `${file}.sync.lock` : null);
    const s = readSyncState(store.db);
    this.snapshot = { state: 'idle', online: null, cursor: s.cursor, lastSyncAt: s.lastSuccessAt, lastAttemptAt: s.lastAttemptAt, lastError: s.lastError, progress: null, nextAttemptAt: null };
  }

  status(): SyncStatus {
    return { ...this.snapshot };
  }

  private update(patch: Partial<SyncStatus>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.emit('status', this.status());
  }

  /** One sync now; concurrent callers share it. */
  syncOnce(): Promise<SyncResult> {
    if (!this.current) {
      this.current = this.run().finally(() => {
        this.current = null;
      });
    }
    return this.current;
  }

  // ---- schedule -----------------------------------------------------------------------------

  /** Syncs now and then every `sync.intervalSeconds` of the synced configuration. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.update({ nextAttemptAt: null });
    return this.current ? this.current.then(() => undefined, () => undefined) : Promise.resolve();
  }

  /** "Sync now" from the staff panel or a hub command: runs at once, keeps the schedule. */
  async syncNow(): Promise<SyncResult> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.tick();
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.update({ nextAttemptAt: new Date(Date.now() + ms).toISOString() });
    this.timer = setTimeout(() => void this.tick().catch(() => {}), ms);
  }

  private async tick(): Promise<SyncResult> {
    const config = effectiveConfig(this.store.db);
    try {
      const r = await this.syncOnce();
      this.failures = 0;
      this.schedule((config.sync.intervalSeconds ?? 300) * 1000);
      return r;
    } catch (err) {
      this.failures++;
      const maxMs = (config.sync.maxBackoffSeconds ?? 1800) * 1000;
      const permanent = err instanceof SyncError && (err.code === 'auth' || err.code === 'config');
      this.schedule(permanent ? maxMs : backoffDelay(this.failures - 1, { initialMs: 5000, maxMs, factor: 2, jitter: 0.5 }));
      throw err;
    }
  }

  // ---- one sync -----------------------------------------------------------------------------

  private async run(): Promise<SyncResult> {
    this.lock.acquire();
    this.update({ state: 'syncing', progress: { phase: 'pages', done: 0, total: null }, lastAttemptAt: new Date().toISOString() });
    try {
      noteAttempt(this.store.db, { hubUrl: this.endpoint.url.href });
      const result = await this.sync();
      noteAttempt(this.store.db, { error: null, success: true });
      const s = readSyncState(this.store.db);
      this.update({ state: 'idle', online: true, cursor: s.cursor, lastSyncAt: s.lastSuccessAt, lastError: null, progress: null });
      if (result.applied) this.emitApplied(result.applied);
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      try {
        noteAttempt(this.store.db, { error: message.slice(0, 500) });
      } catch {
        /* the DB itself may be the problem; the error below says what happened */
      }
      this.update({ state: 'error', online: err instanceof SyncError && err.code === 'network' ? false : true, lastError: message, progress: null });
      throw err;
    } finally {
      this.lock.release();
    }
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.options.appVersion) h[KIOSK_HEADERS.appVersion] = this.options.appVersion;
    if (this.options.outboxBacklog) h[KIOSK_HEADERS.outboxBacklog] = String(this.options.outboxBacklog());
    const update = this.options.updateState?.();
    if (update) h[KIOSK_HEADERS.updateState] = update;
    const devices = this.options.deviceHealth?.();
    if (devices) h[KIOSK_HEADERS.deviceHealth] = devices;
    const uptime = this.options.uptimeSeconds?.();
    if (uptime !== undefined && Number.isFinite(uptime) && uptime >= 0) h[KIOSK_HEADERS.uptime] = String(Math.floor(uptime));
    return h;
  }

  /** A listener's failure must not turn a committed sync into a failed one. */
  private emitApplied(summary: ApplySummary): void {
    for (const l of this.listeners('applied')) {
      try {
        (l as (s: ApplySummary) => void)(summary);
      } catch {
        /* the listener logs its own failures */
      }
    }
  }

  private async sync(): Promise<SyncResult> {
    const db = this.store.db;
    const first = readSyncState(db);
    let since = first.hubId ? first.cursor : 0;
    const result: SyncResult = { changed: false, full: false, cursor: since, pages: 0, changes: 0, blobsFetched: 0, bytes: 0, applied: null };

    for (let restart = 0; restart < 5; restart++) {
      const state = readSyncState(db);
      const stage = state.stage && state.stage.since === since ? state.stage : null;
      if (state.stage && !stage) clearStage(db);
      let after = stage?.after ?? since;
      let to: number | undefined = stage?.to;
      let hubId: string | undefined = stage?.hubId;
      let final: StagedChange[] | null = null;
      let checkpoint: Checkpoint | null = null;
      let restartWith: number | null = null;

      while (final === null) {
        const headers = this.headers();
        // A poll (no sync under way) asks "anything after my cursor?" and lets the hub answer 304.
        const poll = to === undefined && state.hubId && since > 0;
        if (poll) headers['if-none-match'] = `"${state.hubId}:${since}"`;
        const query = { since, ...(poll ? {} : { after }), ...(to !== undefined ? { to } : {}), limit: this.options.pageLimit ?? SYNC_LIMITS.defaultPageChanges };
        const res = await hubFetch({ ...this.endpoint }, hubPath('sync.changes', {}, query), { headers });
        if (res.status === 304) {
          await res.body?.cancel().catch(() => {});
          return result;
        }
        if (res.status === 410 || res.status === 409) {
          const err = await failure(res, 'sync');
          clearStage(db);
          if (res.status === 410 && since === 0) throw new SyncError('protocol', `the hub asked for a reset of a full sync: ${err.message}`);
          restartWith = res.status === 410 ? 0 : since; // 410 reset_required → full sync; 409 → new snapshot
          break;
        }
        if (res.status !== 200) throw await failure(res, 'sync');
        const body = await readCapped(res, this.options.maxPageBytes ?? SYNC_LIMITS.maxPageBytes, 'sync page');
        result.bytes += body.length;
        const page = this.parsePage(body, { since, after, to, hubId });
        if (since > 0 && state.hubId && page.hubId !== state.hubId) {
          // Another hub database (restored, rebuilt): our cursor means nothing there.
          clearStage(db);
          restartWith = 0;
          break;
        }
        const changes = page.raw;
        result.pages++;
        to = page.to;
        hubId = page.hubId;
        if (page.next === null) {
          final = changes;
          checkpoint = page.checkpoint;
        } else {
          stagePage(db, { hubId, since, to, after: page.next }, changes);
          after = page.next;
          this.update({ progress: { phase: 'pages', done: after - since, total: to - since } });
          await this.options.onStep?.('page-staged');
        }
      }
      if (restartWith !== null) {
        since = restartWith;
        continue;
      }

      // ---- verify the checkpoint over everything this sync delivered --------------------------
      const all = [...stagedChanges(db).filter((c) => c.seq > since && c.seq <= to!), ...final!];
      const cp = checkpoint!;
      const h = createHash('sha256');
      for (const c of all) h.update(checkpointLine(c.seq, c.hash));
      const checksum = h.digest('hex');
      if (cp.since !== since || cp.to !== to || cp.count !== all.length || cp.checksum !== checksum) {
        clearStage(db);
        throw new SyncError(
          'checksum',
          `checkpoint mismatch for (${since}, ${to}]: the hub says ${cp.count} changes with checksum ${cp.checksum.slice(0, 12)}…, ` +
            `received ${all.length} with ${checksum.slice(0, 12)}…; nothing applied`,
        );
      }
      const parsed = this.parseChanges(all);
      await this.options.onStep?.('verified');

      // ---- blobs ----------------------------------------------------------------------------
      const blobs = parsed.filter((c) => c.kind === 'blob' && c.op === 'put').map((c) => c.data as BlobRef);
      const missing = blobs.filter((b) => !this.store.blobs.has(b.sha256));
      let done = 0;
      this.update({ progress: { phase: 'blobs', done: 0, total: missing.length } });
      await inParallel(missing, this.options.blobConcurrency ?? 4, async (b) => {
        result.bytes += await fetchBlob({ ...this.endpoint, headers: this.headers() }, this.store.blobs, b);
        result.blobsFetched++;
        this.update({ progress: { phase: 'blobs', done: ++done, total: missing.length } });
      });
      await this.options.onStep?.('blobs-fetched');

      // ---- apply: one transaction ------------------------------------------------------------
      this.update({ progress: { phase: 'apply', done: 0, total: parsed.length } });
      result.applied = applySync(this.store, parsed, { full: since === 0, hubId: hubId!, checkpoint: cp });
      await this.options.onStep?.('applied');
      this.store.collectGarbageBlobs();
      result.changed = true;
      result.full = since === 0;
      result.cursor = cp.to;
      result.changes = parsed.length;
      return result;
    }
    throw new SyncError('protocol', 'the hub kept invalidating the sync (snapshot expired or reset five times in a row)');
  }

  /** Validates a page against the request and every change against its hash. */
  private parsePage(body: Buffer, req: { since: number; after: number; to: number | undefined; hubId: string | undefined }): {
    hubId: string;
    to: number;
    next: number | null;
    checkpoint: Checkpoint | null;
    raw: StagedChange[];
  } {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new SyncError('protocol', `sync page is not valid JSON (${(err as Error).message.slice(0, 120)}); nothing applied`);
    }
    // Envelope first (data not yet validated): the hash is computed over the data as sent, since
    // schema defaults must not change what is hashed. parseChanges() validates the data.
    const envelope = SyncPageEnvelope.safeParse(json);
    if (!envelope.success) {
      const i = envelope.error.issues[0]!;
      throw new SyncError('protocol', `sync page rejected: ${i.path.length ? `'${i.path.join('.')}': ` : ''}${i.message}; nothing applied`);
    }
    const page = envelope.data;
    const expect = (ok: boolean, what: string) => {
      if (!ok) throw new SyncError('protocol', `sync page rejected: ${what}; nothing applied`);
    };
    expect(page.since === req.since, `since ${page.since}, asked ${req.since}`);
    expect(page.after === req.after, `after ${page.after}, asked ${req.after}`);
    expect(req.to === undefined || page.to === req.to, `snapshot ${page.to}, asked ${req.to}`);
    expect(req.hubId === undefined || page.hubId === req.hubId, 'the hub id changed in the middle of a sync');
    expect(page.full === (req.since === 0), 'full flag does not match since');
    expect(page.next === null || (page.next > page.after && page.next <= page.to), `next ${page.next} outside (${page.after}, ${page.to}]`);
    let prev = page.after;
    const out: StagedChange[] = [];
    page.changes.forEach((c) => {
      expect(c.seq > prev && c.seq <= page.to, `change seq ${c.seq} out of order or outside (${page.after}, ${page.to}]`);
      prev = c.seq;
      const hash = createHash('sha256').update(changeHashInput(c)).digest('hex');
      if (hash !== c.hash) throw new SyncError('checksum', `change ${c.seq} (${c.kind} ${String(c.key).slice(0, 80)}) does not match its hash; nothing applied`);
      out.push({ seq: c.seq, kind: c.kind, key: c.key, op: c.op, hash: c.hash, data: c.op === 'put' ? JSON.stringify(c.data) : null });
    });
    if (page.next !== null) expect(page.next === prev, `next ${page.next} is not the last change's seq ${prev}`);
    return { hubId: page.hubId, to: page.to, next: page.next, checkpoint: page.checkpoint, raw: out };
  }

  private parseChanges(all: readonly StagedChange[]): ParsedChange[] {
    return all.map((c) => {
      if (c.op === 'delete') return { seq: c.seq, kind: c.kind as ParsedChange['kind'], key: c.key, op: 'delete', data: null };
      const parsed = PutChange.safeParse({ seq: c.seq, kind: c.kind, key: c.key, op: 'put', hash: c.hash, data: JSON.parse(c.data!) });
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        throw new SyncError('protocol', `change ${c.seq} (${c.kind}) is invalid: ${i.path.length ? `'${i.path.join('.')}': ` : ''}${i.message}; nothing applied`);
      }
      return { seq: c.seq, kind: parsed.data.kind, key: c.key, op: 'put', data: parsed.data.data };
    });
  }
}
