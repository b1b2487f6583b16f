// The migration registry: append only, versions strictly increasing. PRAGMA user_version holds the
// version a DB is at; each step runs in its own transaction together with the version bump.
import type { Database } from 'better-sqlite3';
import { migration0010 } from './0010-kb-base.ts';
import { migration0020 } from './0020-search-index.ts';
import { migration0030 } from './0030-search-stats.ts';
import { migration0100 } from './0100-sync-state.ts';
import { migration0110 } from './0110-outbox.ts';
import { migration0120 } from './0120-kiosk-state.ts';
import type { Migration } from './types.ts';

export const MIGRATIONS: readonly Migration[] = [migration0010, migration0020, migration0030, migration0100, migration0110, migration0120];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings `db` up to `target` (default: latest). Refuses a DB written by a newer app. */
export function migrate(db: Database, target = LATEST_VERSION): number {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new SchemaTooNewError(
      `the database is at schema version ${current}, newer than this app understands (${LATEST_VERSION}); update the app or use another --db`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
