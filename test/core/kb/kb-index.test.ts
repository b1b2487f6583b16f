// The store keeps every index it was given in step (core/kb/kb-index.ts): here a second index of
// its own table beside the lexical one — what a dense index will be — written in the store's
// transactions, rebuilt on its own when its version changes, told the committed synonyms only.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../core/db/open.ts';
import type { IndexableArticle, KbIndex, SynonymGroup } from '../../../core/kb/kb-index.ts';
import { importBundle } from '../../../core/kb/importer.ts';
import { KbStore } from '../../../core/kb/store.ts';
import { openKioskDatabase } from '../../../core/kiosk-db.ts';
import { LexicalIndex } from '../../../core/search/lexical-index.ts';
import { Searcher } from '../../../core/search/searcher.ts';
import { readBundle } from '../../../contracts/node/kb-bundle-reader.ts';
import { jsonl, tempDir, writeFiles } from '../../helpers/tmp.ts';

/** A second index in the same file: one row per article (a stand-in for a table of vectors). */
class TitleIndex implements KbIndex {
  readonly versionKey = 'title_index_version';
  synonyms: readonly SynonymGroup[] = [];
  constructor(
    private readonly db: Db,
    readonly version = '1',
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS title_index (article_rowid INTEGER PRIMARY KEY, title TEXT NOT NULL)');
  }
  index(a: IndexableArticle): void {
    this.db.prepare('INSERT OR REPLACE INTO title_index (article_rowid, title) VALUES (?, ?)').run(a.rowid, a.title);
  }
  remove(rowid: number): void {
    this.db.prepare('DELETE FROM title_index WHERE article_rowid = ?').run(rowid);
  }
  clear(): void {
    this.db.exec('DELETE FROM title_index');
  }
  synonymsChanged(groups: readonly SynonymGroup[]): void {
    this.synonyms = groups;
  }
  titles(): string[] {
    return (this.db.prepare('SELECT title FROM title_index ORDER BY title').all() as Array<{ title: string }>).map((r) => r.title);
  }
}

const art = (id: string, title: string) => ({ type: 'article', id, locale: 'zh-CN', title, body: `${title}的办理方法。` });

function open(file: string, version = '1') {
  const db = openKioskDatabase(file);
  const titles = new TitleIndex(db, version);
  const store = new KbStore(db, `${file}.blobs`, { indexes: [new LexicalIndex(db), titles] });
  store.reindexStale();
  return { store, titles };
}

function importText(store: KbStore, text: string) {
  const dir = tempDir();
  writeFiles(dir, { 'kb.jsonl': text });
  return importBundle(store, readBundle(join(dir, 'kb.jsonl')));
}

describe('indexes given to the KB store', () => {
  it('are written with every article change, in the same transaction', () => {
    const { store, titles } = open(join(tempDir(), 'kb.db'));
    importText(store, jsonl(art('a1', '密码找回'), art('a2', '修改手机号')));
    expect(titles.titles()).toEqual(['修改手机号', '密码找回']);
    expect(new Searcher(store).search('密码').map((h) => h.id)).toEqual(['a1']);

    const a2 = store.articleHashes().get('zh-CN\u0000a2')!.rowid;
    store.transaction(() => store.deleteArticle(a2));
    expect(titles.titles()).toEqual(['密码找回']);

    // A failed transaction leaves the KB and both indexes as they were.
    expect(() =>
      store.transaction(() => {
        store.upsertArticle({ type: 'article', id: 'a3', locale: 'zh-CN', title: '挂失', body: '挂失银行卡' });
        throw new Error('disk full');
      }),
    ).toThrow(/disk full/);
    expect(titles.titles()).toEqual(['密码找回']);
    expect(new Searcher(store).search('挂失')).toEqual([]);
    store.close();
  });

  it('are rebuilt on open when their own version changed, once', () => {
    const file = join(tempDir(), 'kb.db');
    const first = open(file);
    importText(first.store, jsonl(art('a1', '密码找回')));
    first.store.db.exec('DELETE FROM title_index'); // lost: only a rebuild brings it back
    first.store.close();

    const same = open(file);
    expect(same.titles.titles()).toEqual([]);
    same.store.close();

    const next = open(file, '2');
    expect(next.titles.titles()).toEqual(['密码找回']);
    expect(new Searcher(next.store).search('密码').map((h) => h.id)).toEqual(['a1']);
    next.store.close();
  });

  it('hear of the synonym groups at open and on change, and never of groups rolled back', () => {
    const { store, titles } = open(join(tempDir(), 'kb.db'));
    expect(titles.synonyms).toEqual([]);
    store.transaction(() => store.replaceSynonyms([{ terms: ['银行卡', '储蓄卡'] }]));
    expect(titles.synonyms.map((g) => g.terms)).toEqual([['银行卡', '储蓄卡']]);
    expect(() =>
      store.transaction(() => {
        store.replaceSynonyms([{ terms: ['挂失', '冻结'] }]);
        throw new Error('sync failed');
      }),
    ).toThrow(/sync failed/);
    expect(titles.synonyms.map((g) => g.terms)).toEqual([['银行卡', '储蓄卡']]);
    store.close();
  });
});
