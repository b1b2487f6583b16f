// The kiosk's durable outbox (issue #3 §4): tickets, ratings, feedback, order requests, search
// events and staff audit entries, queued in SQLite until the hub acknowledges them one by one.
//   · Each item gets a UUIDv7 idempotency key when queued; the hub applies a key once, so
//     re-sending after a lost answer or a crash is always safe (at-least-once + dedupe = once).
//   · Personal fields (contracts/outbox.ts PERSONAL_FIELDS) are sealed with AES-256-GCM; the
//     plain `payload` column never holds them, and nothing here logs payloads.
//   · Transient failures (offline, 5xx, timeouts) back off exponentially with jitter, per item.
//   · An item the hub rejects as invalid is quarantined with the hub's reason: not retried
//     automatically, not dropped; `kiosk outbox retry --quarantined` puts it back.
//   · Delivered items are deleted: nothing personal stays on disk longer than needed.
import { v7 as uuidv7 } from 'uuid';
import {
  IdempotencyKey,
  OUTBOX_LIMITS,
  OutboxBatchResult,
  PERSONAL_FIELDS,
  validateOutboxPayload,
  type OutboxItemResult,
  type OutboxKind,
  type OutboxPayload,
} from '../../contracts/outbox.ts';
import type { Db } from '../db/open.ts';
import { backoffDelay, type BackoffPolicy } from '../../common/backoff.ts';
import { failure, hubFetch, readCapped, type HubEndpoint } from '../hub-client/http.ts';
import { hubPath } from '../hub-client/client.ts';
import { OutboxKeyError, seal, unseal, type KeyProvider } from './crypto.ts';

export class OutboxError extends Error {
  override name = 'OutboxError';
}

export interface OutboxItemView {
  key: string;
  kind: string;
  state: 'pending' | 'quarantined';
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  quarantineReason: string | null;
  /** Whether the item holds sealed personal fields (their content is never shown). */
  sealed: boolean;
}

interface Row {
  id: number;
  key: string;
  kind: string;
  created_at: string;
  payload: string;
  sealed: Buffer | null;
  state: 'pending' | 'quarantined';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  quarantine_reason: string | null;
}

export interface DeliveryReport {
  sent: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Items that stay pending after a transient failure. */
  deferred: number;
  /** The transient failure that stopped delivery, if any. */
  error: string | null;
}

export interface OutboxOptions {
  now?: () => Date;
  backoff?: BackoffPolicy;
}

const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 5_000, maxMs: 30 * 60_000, factor: 2, jitter: 0.5 };
const aadOf = (key: string, kind: string) => `${key}\n${kind}`;

export class Outbox {
  private readonly now: () => Date;
  private readonly backoff: BackoffPolicy;

  constructor(
    readonly db: Db,
    private readonly keys: KeyProvider,
    options: OutboxOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /**
   * Validates and queues an item; returns its idempotency key. Throws OutboxError on bad input.
   * `key`: a key the request already went out under (its answer was lost): the hub then dedups
   * the queued item against what it may have applied, instead of applying it a second time.
   */
  enqueue<K extends OutboxKind>(kind: K, payload: OutboxPayload<K>, options?: { key?: string }): string;
  enqueue(kind: string, payload: unknown, options?: { key?: string }): string;
  enqueue(kind: string, payload: unknown, options: { key?: string } = {}): string {
    const v = validateOutboxPayload(kind, payload);
    if (!v.ok) throw new OutboxError(`${kind.slice(0, 64)} not queued: ${v.reason}`);
    if (options.key !== undefined && !IdempotencyKey.safeParse(options.key).success) throw new OutboxError(`${kind.slice(0, 64)} not queued: the key must be a lowercase UUIDv7`);
    const key = options.key ?? uuidv7();
    const plain: Record<string, unknown> = {};
    const personal: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(v.value as Record<string, unknown>)) {
      if (PERSONAL_FIELDS[v.kind].includes(field)) personal[field] = value;
      else plain[field] = value;
    }
    const sealed = Object.keys(personal).length ? seal(this.keys.key(), JSON.stringify(personal), aadOf(key, v.kind)) : null;
    const at = this.now().toISOString();
    this.db
      .prepare('INSERT INTO outbox (key, kind, created_at, payload, sealed, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key, v.kind, at, JSON.stringify(plain), sealed, at);
    return key;
  }

  list(options: { state?: 'pending' | 'quarantined'; limit?: number } = {}): OutboxItemView[] {
    const rows = this.db
      .prepare('SELECT * FROM outbox WHERE (@state IS NULL OR state = @state) ORDER BY id LIMIT @limit')
      .all({ state: options.state ?? null, limit: options.limit ?? 1000 }) as Row[];
    return rows.map((r) => ({
      key: r.key,
      kind: r.kind,
      state: r.state,
      createdAt: r.created_at,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
      quarantineReason: r.quarantine_reason,
      sealed: r.sealed !== null,
    }));
  }

  counts(): { pending: number; quarantined: number } {
    const rows = this.db.prepare('SELECT state, count(*) n FROM outbox GROUP BY state').all() as Array<{ state: string; n: number }>;
    const get = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
    return { pending: get('pending'), quarantined: get('quarantined') };
  }

  /** Makes pending items due now; with `quarantined`, also puts quarantined items back. */
  retry(options: { quarantined?: boolean } = {}): number {
    const at = this.now().toISOString();
    const due = this.db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'").run(at).changes;
    const back = options.quarantined
      ? this.db.prepare("UPDATE outbox SET state = 'pending', quarantined_at = NULL, quarantine_reason = NULL, attempts = 0, next_attempt_at = ? WHERE state = 'quarantined'").run(at).changes
      : 0;
    return due + back;
  }

  /** Decrypts an item for sending. Never log the result. */
  private wire(r: Row): { key: string; kind: string; createdAt: string; payload: Record<string, unknown> } {
    const personal = r.sealed ? (JSON.parse(unseal(this.keys.key(), r.sealed, aadOf(r.key, r.kind))) as Record<string, unknown>) : {};
    return { key: r.key, kind: r.kind, createdAt: r.created_at, payload: { ...(JSON.parse(r.payload) as Record<string, unknown>), ...personal } };
  }

  private quarantine(keys: ReadonlyArray<{ key: string; reason: string }>): void {
    const at = this.now().toISOString();
    const q = this.db.prepare("UPDATE outbox SET state = 'quarantined', quarantined_at = ?, quarantine_reason = ?, last_error = NULL WHERE key = ?");
    for (const k of keys) q.run(at, k.reason.slice(0, 500), k.key);
  }

  private defer(rows: readonly Row[], error: string): void {
    const now = this.now().getTime();
    const u = this.db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE key = ?');
    this.db.transaction(() => {
      for (const r of rows) u.run(error.slice(0, 300), new Date(now + backoffDelay(r.attempts, this.backoff)).toISOString(), r.key);
    }).immediate();
  }

  /** Applies the hub's per-item answers in one transaction. */
  private acknowledge(rows: readonly Row[], results: readonly OutboxItemResult[], report: DeliveryReport): void {
    const byKey = new Map(results.map((r) => [r.key, r]));
    const del = this.db.prepare('DELETE FROM outbox WHERE key = ?');
    const unanswered: Row[] = [];
    const rejected: Array<{ key: string; reason: string }> = [];
    this.db.transaction(() => {
      for (const r of rows) {
        const res = byKey.get(r.key);
        if (!res) unanswered.push(r);
        else if (res.status === 'rejected') rejected.push({ key: r.key, reason: `rejected by the hub: ${res.reason ?? 'no reason given'}` });
        else {
          del.run(r.key);
          if (res.status === 'accepted') report.accepted++;
          else report.duplicate++;
        }
      }
      this.quarantine(rejected);
    }).immediate();
    report.rejected += rejected.length;
    if (unanswered.length) {
      this.defer(unanswered, 'the hub did not answer for this item');
      report.deferred += unanswered.length;
    }
  }

  /**
   * Sends due items in batches until none is due or a transient failure stops it (then the items
   * back off). Auth failures throw SyncError('auth'): nothing can be delivered until fixed.
   */
  async deliver(endpoint: HubEndpoint, options: { batchSize?: number; maxBatches?: number } = {}): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, accepted: 0, duplicate: 0, rejected: 0, deferred: 0, error: null };
    let batchSize = Math.min(options.batchSize ?? 50, OUTBOX_LIMITS.maxBatchItems);
    for (let batch = 0; batch < (options.maxBatches ?? 1000); batch++) {
      const rows = this.db
        .prepare("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?")
        .all(this.now().toISOString(), batchSize) as Row[];
      if (rows.length === 0) break;

      const items: ReturnType<Outbox['wire']>[] = [];
      const sendable: Row[] = [];
      const undecryptable: Array<{ key: string; reason: string }> = [];
      for (const r of rows) {
        try {
          items.push(this.wire(r));
          sendable.push(r);
        } catch (err) {
          if (!(err instanceof OutboxKeyError) && !(err instanceof SyntaxError)) throw err;
          undecryptable.push({ key: r.key, reason: `cannot be read on this kiosk: ${err.message}` });
        }
      }
      if (undecryptable.length) this.quarantine(undecryptable);
      if (sendable.length === 0) continue;

      const body = JSON.stringify({ items });
      if (Buffer.byteLength(body) > OUTBOX_LIMITS.maxBatchBytes && sendable.length > 1) {
        batchSize = Math.max(1, Math.floor(sendable.length / 2));
        continue;
      }
      report.sent += sendable.length;
      let res: Response;
      try {
        res = await hubFetch(endpoint, hubPath('inbox.deliver'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.defer(sendable, message);
        report.deferred += sendable.length;
        report.error = message;
        return report;
      }
      if (res.status === 200) {
        let results: OutboxItemResult[];
        try {
          const parsed = OutboxBatchResult.safeParse(JSON.parse((await readCapped(res, 4 * 1024 * 1024, 'outbox answer')).toString('utf8')));
          if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
          results = parsed.data.results;
        } catch (err) {
          const message = `the hub's answer could not be read (${(err as Error).message.slice(0, 100)})`;
          this.defer(sendable, message);
          report.deferred += sendable.length;
          report.error = message;
          return report;
        }
        this.acknowledge(sendable, results, report);
        batchSize = Math.min(batchSize * 2, options.batchSize ?? 50, OUTBOX_LIMITS.maxBatchItems);
        continue;
      }
      const err = await failure(res, 'outbox');
      if (err.code === 'auth') {
        this.defer(sendable, err.message);
        report.deferred += sendable.length;
        throw err;
      }
      if ((res.status === 400 || res.status === 413) && sendable.length > 1) {
        // The envelope of one item is bad (or the batch too big): bisect until the bad item is
        // alone, then quarantine it. The others go through.
        batchSize = Math.max(1, Math.floor(sendable.length / 2));
        report.sent -= sendable.length;
        continue;
      }
      if (res.status === 400 || res.status === 413 || res.status === 422) {
        this.quarantine([{ key: sendable[0]!.key, reason: `rejected by the hub: ${err.message}` }]);
        report.rejected++;
        continue;
      }
      this.defer(sendable, err.message);
      report.deferred += sendable.length;
      report.error = err.message;
      return report;
    }
    return report;
  }
}

