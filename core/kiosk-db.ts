// The kiosk database: one SQLite file whose schema is composed here from the steps of core/db/
// (KB, stats, sync state, outbox, kiosk state) and core/search/ (its index), and the KB store
// opened on it with the search index it keeps in step. Composed at the top of core/ so that db/
// and kb/ import no domain: a new index (its migration and its KbIndex) is added here, one line each.
import { openDatabase, type Db } from './db/open.ts';
import { latestVersion, type Migration } from './db/migrate.ts';
import { migration0010 } from './db/migrations/0010-kb-base.ts';
import { migration0030 } from './db/migrations/0030-search-stats.ts';
import { migration0100 } from './db/migrations/0100-sync-state.ts';
import { migration0110 } from './db/migrations/0110-outbox.ts';
import { migration0120 } from './db/migrations/0120-kiosk-state.ts';
import { KbStore } from './kb/store.ts';
import { migration0020 } from './search/migrations/0020-search-index.ts';
import { LexicalIndex } from './search/lexical-index.ts';

/** The registry: append only, versions strictly increasing (test/core/db/migrations.test.ts). */
export const KIOSK_MIGRATIONS: readonly Migration[] = [migration0010, migration0020, migration0030, migration0100, migration0110, migration0120];
export const LATEST_VERSION = latestVersion(KIOSK_MIGRATIONS);

/** The kiosk's SQLite file, migrated to the latest version (unless opened read-only). */
export function openKioskDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  return openDatabase(file, KIOSK_MIGRATIONS, options);
}

/** The KB store of the kiosk's file with its search index; an index built by another version is rebuilt once. */
export function openKbStore(file: string): KbStore {
  const db = openKioskDatabase(file);
  const store = new KbStore(db, file === ':memory:' ? `/tmp/kiosk-mem-blobs-${process.pid}` : `${file}.blobs`, { indexes: [new LexicalIndex(db)] });
  store.reindexStale();
  return store;
}
