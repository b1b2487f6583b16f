import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError, readBundle } from '../../../contracts/node/kb-bundle-reader.ts';
import { seedDefaultKb } from '../../../core/kb/default-kb.ts';
import { importBundle } from '../../../core/kb/importer.ts';
import type { KbStore } from '../../../core/kb/store.ts';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { Searcher } from '../../../core/search/searcher.ts';
import { jsonl, tempDir, writeFiles } from '../../helpers/tmp.ts';

const cat = { type: 'category', id: 'acct', locale: 'zh-CN', title: '账户与密码', order: 1 };
const art = (id: string, title: string, extra: object = {}) => ({
  type: 'article',
  id,
  locale: 'zh-CN',
  categoryId: 'acct',
  title,
  body: `${title}的办理方法。`,
  ...extra,
});

/** Everything a failed import must leave as it was. */
function snapshot(store: KbStore) {
  return {
    articles: store.db.prepare('SELECT id, locale, title, body, content_hash FROM articles ORDER BY rowid').all(),
    categories: store.db.prepare('SELECT * FROM categories ORDER BY id, locale').all(),
    synonyms: store.db.prepare('SELECT * FROM synonym_groups').all(),
    fts: store.db.prepare('SELECT count(*) n FROM search_docs').get(),
  };
}

function setup() {
  const dir = tempDir();
  const store = openKbStore(join(dir, 'kb.db'));
  writeFiles(dir, { 'base.jsonl': jsonl(cat, art('a1', '密码找回'), art('a2', '修改手机号')) });
  importBundle(store, readBundle(join(dir, 'base.jsonl')));
  return { dir, store };
}

function importText(dir: string, store: KbStore, text: string | Buffer, options = {}) {
  writeFiles(dir, { 'in.jsonl': text });
  return importBundle(store, readBundle(join(dir, 'in.jsonl')), options);
}

describe('bundle import', () => {
  it('imports, then re-imports only what changed', () => {
    const { dir, store } = setup();
    expect(store.counts().articles).toBe(2);
    const again = importText(dir, store, jsonl(cat, art('a1', '密码找回'), art('a2', '修改手机号')));
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2, removed: 0 });
    const changed = importText(dir, store, jsonl(art('a2', '更换绑定手机号'), art('a3', '挂失银行卡')));
    expect(changed).toMatchObject({ added: 1, updated: 1, unchanged: 0, removed: 0 });
    expect(store.getArticle('a2', 'zh-CN')?.title).toBe('更换绑定手机号');
    expect(store.getArticle('a1', 'zh-CN')).not.toBeNull();
    // The index follows: the new title is found, the old one no longer is.
    expect(new Searcher(store).search('更换绑定手机号')[0]?.id).toBe('a2');
  });

  it('--replace removes articles and categories absent from the bundle', () => {
    const { dir, store } = setup();
    const summary = importText(dir, store, jsonl(cat, art('a1', '密码找回')), { replace: true });
    expect(summary.removed).toBe(1);
    expect(store.getArticle('a2', 'zh-CN')).toBeNull();
    expect(new Searcher(store).search('修改手机号').map((h) => h.id)).not.toContain('a2');
  });

  it('keeps unknown fields', () => {
    const { dir, store } = setup();
    importText(dir, store, jsonl(art('a9', '发票', { audience: 'business', priority: 3 })));
    const row = store.db.prepare("SELECT extra FROM articles WHERE id = 'a9'").get() as { extra: string };
    expect(JSON.parse(row.extra)).toEqual({ audience: 'business', priority: 3 });
  });

  it('stores images as content-addressed blobs and rewrites their links', () => {
    const { dir, store } = setup();
    writeFiles(dir, { 'images/slot.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>' });
    importText(dir, store, jsonl(art('img', '插卡位置', { body: '如图：![卡槽](images/slot.svg)' })));
    const body = store.getArticle('img', 'zh-CN')!.body;
    const sha = /kb-blob:([0-9a-f]{64})/.exec(body)?.[1];
    expect(sha).toBeDefined();
    expect(store.blobs.get(sha!)?.toString()).toContain('<svg');
    expect(store.blobMediaType(sha!)).toBe('image/svg+xml');
    // Replacing the article by one without the image garbage-collects the blob.
    importText(dir, store, jsonl(art('img', '插卡位置', { body: '无图' })));
    expect(store.blobs.has(sha!)).toBe(false);
  });

  const hostile: Array<[string, string | Buffer, RegExp]> = [
    ['invalid JSON', jsonl(art('x1', '新文章')) + '{"type":"article",\n', /in\.jsonl:2: not valid JSON/],
    ['a truncated line', jsonl(art('x1', '新文章')).slice(0, -20), /in\.jsonl:1: not valid JSON/],
    ['a missing title', jsonl(art('x1', '新文章'), { type: 'article', id: 'x2', locale: 'zh-CN', body: '' }), /in\.jsonl:2: field 'title'/],
    ['an unknown locale', jsonl({ ...art('x1', '新'), locale: 'fr' }), /in\.jsonl:1: field 'locale'/],
    ['an unknown record type', jsonl({ type: 'video', id: 'v' }), /in\.jsonl:1:/],
    ['a duplicate id', jsonl(art('x1', '一'), art('x1', '二')), /in\.jsonl:2: article 'x1' \(zh-CN\) appears twice/],
    ['an unknown category', jsonl(art('x1', '新', { categoryId: 'nope' })), /in\.jsonl:1: .*category 'nope'/],
    ['a parent cycle', jsonl({ ...cat, id: 'p', parentId: 'q' }, { ...cat, id: 'q', parentId: 'p' }), /own ancestor/],
    ['a missing image', jsonl(art('x1', '新', { body: '![a](images/none.png)' })), /image 'images\/none.png' not found/],
    ['an image outside the bundle', jsonl(art('x1', '新', { body: '![a](../../etc/passwd.png)' })), /outside the bundle/],
    ['invalid UTF-8', Buffer.concat([Buffer.from(jsonl(art('x1', '新'))), Buffer.from([0xff, 0xfe, 0x0a])]), /in\.jsonl:2: not valid UTF-8/],
    ['a bad id', jsonl(art('../../x', '新')), /field 'id'/],
    ['an oversized title', jsonl(art('x1', '长'.repeat(301))), /longer than 300/],
  ];
  for (const [what, text, message] of hostile) {
    it(`rejects a bundle with ${what}, naming the line, importing nothing`, () => {
      const { dir, store } = setup();
      const before = snapshot(store);
      let error: unknown;
      try {
        importText(dir, store, text);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(BundleError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/nothing was imported/);
      expect(snapshot(store)).toEqual(before);
    });
  }

  it('reports every bad line, not only the first', () => {
    const dir = tempDir();
    writeFiles(dir, { 'b.jsonl': 'x\n{}\n' + jsonl(art('ok', '好')) + 'y\n' });
    try {
      readBundle(join(dir, 'b.jsonl'));
      expect.unreachable();
    } catch (err) {
      expect((err as BundleError).problems.map((p) => p.line)).toEqual([1, 2, 4]);
    }
  });

  it('seeds the starter KB into an empty DB only', () => {
    const store = openKbStore(join(tempDir(), 'kb.db'));
    const summary = seedDefaultKb(store);
    expect(summary?.added).toBeGreaterThanOrEqual(120);
    expect(store.listCategories('zh-CN').length).toBeGreaterThanOrEqual(8);
    expect(store.counts().blobs).toBeGreaterThan(0);
    expect(seedDefaultKb(store)).toBeNull();
  });
});
