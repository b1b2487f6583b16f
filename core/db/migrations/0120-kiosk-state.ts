// Kiosk state that is neither KB nor outbox, kept across sessions and restarts, nothing personal:
// the offline queue-number counters (core/queue/queue.ts) and the decisions on central IT's fleet
// commands (core/fleet/commands.ts: recorded before acting, so a command never runs twice).
// IF NOT EXISTS: development databases made before this migration already have the tables.
import type { Migration } from '../migrate.ts';

export const migration0120: Migration = {
  version: 120,
  name: 'kiosk-state',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS queue_local (
        day TEXT NOT NULL,
        service TEXT NOT NULL,
        last_number INTEGER NOT NULL DEFAULT 0,
        hub_waiting INTEGER,
        PRIMARY KEY (day, service)
      );
      CREATE TABLE IF NOT EXISTS queue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS fleet_commands (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        state TEXT NOT NULL,
        detail TEXT,
        reported INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
