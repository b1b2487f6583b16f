// Sync state (core/sync): the committed cursor — changed only in the transaction that applies a
// checkpoint — and a staging area for the pages of a sync in progress, so an interrupted sync
// resumes where it stopped instead of starting over. Staged rows never touch the KB tables.
import type { Migration } from '../migrate.ts';

export const migration0100: Migration = {
  version: 100,
  name: 'sync-state',
  up(db) {
    db.exec(`
      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hub_url TEXT,
        hub_id TEXT,                      -- the hub database the cursor belongs to
        cursor INTEGER NOT NULL DEFAULT 0,
        last_checkpoint TEXT,             -- JSON: the checkpoint applied last
        last_success_at TEXT,
        last_attempt_at TEXT,
        last_error TEXT,
        stage_hub_id TEXT,                -- the sync being staged: (stage_since → stage_to]
        stage_since INTEGER,
        stage_to INTEGER,
        stage_after INTEGER               -- pages up to here are in sync_stage
      );
      INSERT INTO sync_state (id) VALUES (1);

      CREATE TABLE sync_stage (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        op TEXT NOT NULL,
        hash TEXT NOT NULL,
        data TEXT                         -- JSON as received (put), NULL (delete)
      );
    `);
  },
};
