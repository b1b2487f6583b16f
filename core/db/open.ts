// Opening the kiosk's SQLite file: WAL (readers never block the writer), foreign keys on, a busy
// timeout for the CLI running beside the app, then the migrations it is given (the kiosk's
// registry is composed in core/kiosk-db.ts, so this folder imports no domain).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, type Migration } from './migrate.ts';

export type Db = Database.Database;

export function openDatabase(file: string, migrations: readonly Migration[], options: { readonly?: boolean } = {}): Db {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
  }
  return db;
}
