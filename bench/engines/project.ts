// The project's own engine in the search benchmark: the real KB store, importer, searcher and
// suggester on a real SQLite file — exactly what the kiosk runs.
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ArticleRecord, CategoryRecord } from '../../contracts/kb-bundle.ts';
import { importBundle } from '../../core/kb/importer.ts';
import type { KbStore } from '../../core/kb/store.ts';
import { openKbStore } from '../../core/kiosk-db.ts';
import { Searcher } from '../../core/search/searcher.ts';
import { Suggester } from '../../core/search/suggester.ts';
import type { SearchEngine } from './types.ts';

export function createProjectEngine(): SearchEngine {
  let store: KbStore | undefined;
  let searcher: Searcher | undefined;
  let suggester: Suggester | undefined;
  let file = '';
  return {
    name: 'lobby-kiosk',
    async build(docs: readonly ArticleRecord[], dir: string) {
      file = join(dir, 'kb.db');
      store = openKbStore(file);
      // Synthetic articles name categories the generator does not emit: add them, as a bundle would.
      const categories = new Map<string, CategoryRecord>();
      for (const d of docs) {
        if (d.categoryId) categories.set(`${d.locale}/${d.categoryId}`, { type: 'category', id: d.categoryId, locale: d.locale, title: d.categoryId });
      }
      const records = [...categories.values(), ...docs].map((record, i) => ({ record, file: 'bench', line: i + 1 }));
      importBundle(store, { records, images: new Map() });
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      searcher = new Searcher(store);
      suggester = new Suggester(store);
    },
    search: (q, limit) => searcher!.search(q, { limit }).map((h) => h.id),
    suggest: (prefix, limit) => suggester!.suggest(prefix, { limit }).map((s) => s.text),
    dbBytes: () => [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0),
    close: () => store?.close(),
  };
}
