// Running a migration registry: append only, versions strictly increasing (steps of 10, room for
// hotfixes). PRAGMA user_version holds the version a DB is at; each step runs in its own
// transaction together with the version bump. The kiosk's registry is composed in
// core/kiosk-db.ts from the steps in core/db/migrations/ and core/search/migrations/.
import type { Database } from 'better-sqlite3';

/** One forward-only schema step. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export const latestVersion = (migrations: readonly Migration[]) => migrations[migrations.length - 1]?.version ?? 0;

/** Brings `db` up to `target` (default: the last step). Refuses a DB written by a newer app. */
export function migrate(db: Database, migrations: readonly Migration[], target = latestVersion(migrations)): number {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new SchemaTooNewError(
      `the database is at schema version ${current}, newer than this app understands (${latest}); update the app or use another --db`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
