// The kiosk's sync bookkeeping in its SQLite file (migration 0100): the committed cursor and the
// staging area. The KbStore has no methods for these, so they live here, on store.db.
import type { Checkpoint } from '../../contracts/sync-protocol.ts';
import type { Db } from '../db/open.ts';

export interface SyncStateRow {
  hubUrl: string | null;
  hubId: string | null;
  cursor: number;
  lastCheckpoint: Checkpoint | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  stage: { hubId: string; since: number; to: number; after: number } | null;
}

interface RawState {
  hub_url: string | null;
  hub_id: string | null;
  cursor: number;
  last_checkpoint: string | null;
  last_success_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  stage_hub_id: string | null;
  stage_since: number | null;
  stage_to: number | null;
  stage_after: number | null;
}

export function readSyncState(db: Db): SyncStateRow {
  const r = db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as RawState;
  return {
    hubUrl: r.hub_url,
    hubId: r.hub_id,
    cursor: r.cursor,
    lastCheckpoint: r.last_checkpoint ? (JSON.parse(r.last_checkpoint) as Checkpoint) : null,
    lastSuccessAt: r.last_success_at,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
    stage:
      r.stage_hub_id !== null && r.stage_since !== null && r.stage_to !== null && r.stage_after !== null
        ? { hubId: r.stage_hub_id, since: r.stage_since, to: r.stage_to, after: r.stage_after }
        : null,
  };
}

export function noteAttempt(db: Db, fields: { hubUrl?: string; error?: string | null; success?: boolean }): void {
  const now = new Date().toISOString();
  db.prepare(
    `UPDATE sync_state SET last_attempt_at = @now, hub_url = coalesce(@hubUrl, hub_url),
       last_error = CASE WHEN @setError THEN @error ELSE last_error END,
       last_success_at = CASE WHEN @success THEN @now ELSE last_success_at END
     WHERE id = 1`,
  ).run({ now, hubUrl: fields.hubUrl ?? null, setError: fields.error !== undefined ? 1 : 0, error: fields.error ?? null, success: fields.success ? 1 : 0 });
}

/**
 * The new cursor and checkpoint, and the stage emptied: called inside the transaction that applies
 * the checkpoint to the KB (apply.ts), so the cursor moves exactly when the KB does.
 */
export function commitCheckpoint(db: Db, c: { hubId: string; checkpoint: Checkpoint; at: string }): void {
  db.prepare(
    `UPDATE sync_state SET hub_id = ?, cursor = ?, last_checkpoint = ?, last_success_at = ?, last_error = NULL,
       stage_hub_id = NULL, stage_since = NULL, stage_to = NULL, stage_after = NULL WHERE id = 1`,
  ).run(c.hubId, c.checkpoint.to, JSON.stringify(c.checkpoint), c.at);
  db.prepare('DELETE FROM sync_stage').run();
}

export function clearStage(db: Db): void {
  db.transaction(() => {
    db.prepare('DELETE FROM sync_stage').run();
    db.prepare('UPDATE sync_state SET stage_hub_id = NULL, stage_since = NULL, stage_to = NULL, stage_after = NULL WHERE id = 1').run();
  }).immediate();
}

export interface StagedChange {
  seq: number;
  kind: string;
  key: string;
  op: 'put' | 'delete';
  hash: string;
  data: string | null;
}

/** Adds one verified page to the stage and records how far staging got, in one transaction. */
export function stagePage(db: Db, stage: { hubId: string; since: number; to: number; after: number }, changes: readonly StagedChange[]): void {
  const insert = db.prepare('INSERT OR REPLACE INTO sync_stage (seq, kind, key, op, hash, data) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of changes) insert.run(c.seq, c.kind, c.key, c.op, c.hash, c.data);
    db.prepare('UPDATE sync_state SET stage_hub_id = ?, stage_since = ?, stage_to = ?, stage_after = ? WHERE id = 1').run(stage.hubId, stage.since, stage.to, stage.after);
  }).immediate();
}

export function stagedChanges(db: Db): StagedChange[] {
  return db.prepare('SELECT seq, kind, key, op, hash, data FROM sync_stage ORDER BY seq').all() as StagedChange[];
}
