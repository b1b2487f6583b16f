import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { seedDefaultKb } from '../../../core/kb/default-kb.ts';
import type { KbStore } from '../../../core/kb/store.ts';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { readBundle } from '../../../contracts/node/kb-bundle-reader.ts';
import { importBundle } from '../../../core/kb/importer.ts';
import { toSafeHtml } from '../../../core/search/highlight.ts';
import { Searcher } from '../../../core/search/searcher.ts';
import { Suggester } from '../../../core/search/suggester.ts';
import { jsonl, writeFiles } from '../../helpers/tmp.ts';

let dir: string;
let store: KbStore;
let searcher: Searcher;
let suggester: Suggester;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-search-'));
  store = openKbStore(join(dir, 'kb.db'));
  seedDefaultKb(store);
  searcher = new Searcher(store);
  suggester = new Suggester(store);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (q: string, locale?: string, limit = 3) => searcher.search(q, { limit, ...(locale ? { locale } : {}) }).map((h) => h.id);

describe('search quality on the starter KB (what customers type)', () => {
  const cases: Array<[query: string, expected: string, locale: string]> = [
    ['密码忘了怎么办', 'pwd-recover', 'zh-CN'],
    ['卡丢了', 'card-report-lost', 'zh-CN'],
    ['几点开门', 'branch-hours', 'zh-CN'],
    ['如何挂失银行卡', 'card-report-lost', 'zh-CN'],
    ['怎样开发票', 'invoice-request', 'zh-CN'],
    ['退款多久到账', 'refund-time', 'zh-CN'],
    ['收不到验证码', 'id-sms-missing', 'zh-CN'],
    ['取款机把卡吞了', 'card-retained', 'zh-CN'],
    ['钱转错人了', 'pay-wrong-transfer', 'zh-CN'],
    ['改收货地址', 'order-change-address', 'zh-CN'],
    // Traditional characters and full-width letters are normalised.
    ['密碼忘了怎麼辦', 'pwd-recover', 'zh-CN'],
    // Homophone typos meet through fuzzy pinyin: 蜜码 (mi ma) for 密码, 挂湿 (gua shi) for 挂失.
    ['蜜码找回', 'pwd-recover', 'zh-CN'],
    ['银行卡挂湿', 'card-report-lost', 'zh-CN'],
    ['forgot my password', 'pwd-recover', 'en'],
    ['lost my card', 'card-report-lost', 'en'],
    ['opening hours', 'branch-hours', 'en'],
    ['how long does a refund take', 'refund-time', 'en'],
    // Spelling typos meet through letter trigrams.
    ['pasword recovery', 'pwd-recover', 'en'],
    ['invoise', 'invoice-request', 'en'],
    ['cancle my order', 'order-cancel', 'en'],
  ];
  for (const [q, expected, locale] of cases) {
    it(`${q} → ${expected}`, () => {
      expect(ids(q, locale)).toContain(expected);
    });
  }

  it('the first result is right for most of these questions', () => {
    const firsts = cases.filter(([q, expected, locale]) => ids(q, locale, 1)[0] === expected).length;
    expect(firsts / cases.length).toBeGreaterThanOrEqual(0.8);
  });
});

describe('filters', () => {
  it('locale keeps results in one language', () => {
    const hits = searcher.search('密码 password', { locale: 'en', limit: 20 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.locale === 'en')).toBe(true);
  });
  it('category includes its sub-categories and nothing else', () => {
    const hits = searcher.search('卡', { locale: 'zh-CN', categoryId: 'cards', limit: 50 });
    expect(hits.map((h) => h.categoryId)).toContain('cards-lost');
    expect(hits.every((h) => h.categoryId === 'cards' || h.categoryId === 'cards-lost')).toBe(true);
  });
});

describe('hostile queries never throw and never reach FTS syntax', () => {
  const queries = ['"', '""', '*', 'AND', 'OR', 'NOT', 'NEAR(', 'NEAR(a b, 2)', 'title:密码', '^密码', '密码*', 'a', '', ' ', '卡',
    '\u0000\u0001', '😀🔥', '\ud800', 'x'.repeat(10_000), '密码'.repeat(5_000), '{ "$where": 1 }', "'; DROP TABLE articles; --", '(((', ')'];
  for (const q of queries) {
    it(`${JSON.stringify(q.slice(0, 20))}${q.length > 20 ? `… (${q.length} chars)` : ''}`, () => {
      const hits = searcher.search(q, { limit: 5 });
      expect(Array.isArray(hits)).toBe(true);
      expect(suggester.suggest(q)).toBeInstanceOf(Array);
    });
  }
  it('a long repeated query still finds the topic', () => {
    expect(ids('密码'.repeat(5_000))[0]).toBeDefined();
  });
  it('the KB survives them', () => {
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.counts().articles).toBeGreaterThan(100);
  });
});

describe('highlights are safe to render', () => {
  it('marks matches in the title and snippet', () => {
    const hit = searcher.search('挂失', { locale: 'zh-CN', limit: 1 })[0]!;
    expect(hit.titleHighlighted.some((s) => s.hit && s.text.includes('挂失'))).toBe(true);
    expect(hit.snippet.some((s) => s.hit)).toBe(true);
  });
  it('article markup comes out as text, never as HTML', () => {
    const d = mkdtempSync(join(tmpdir(), 'kiosk-xss-'));
    const s = openKbStore(join(d, 'kb.db'));
    writeFiles(d, {
      'x.jsonl': jsonl({ type: 'article', id: 'x', locale: 'en', title: 'Card <img src=x onerror=alert(1)>', body: 'Lost card? <script>alert(1)</script> call us' }),
    });
    importBundle(s, readBundle(join(d, 'x.jsonl')));
    const hit = new Searcher(s).search('card', { limit: 1 })[0]!;
    const html = toSafeHtml(hit.titleHighlighted) + toSafeHtml(hit.snippet);
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('<mark>');
    s.close();
    rmSync(d, { recursive: true, force: true });
  });
});

describe('suggest as you type', () => {
  it('pinyin initials: mmzh → 密码找回', () => {
    expect(suggester.suggest('mmzh', { locale: 'zh-CN' })[0]).toMatchObject({ text: '密码找回', articleId: 'pwd-recover', match: 'initials' });
  });
  it('full pinyin: mima → 密码…', () => {
    const list = suggester.suggest('mima', { locale: 'zh-CN' });
    expect(list.length).toBeGreaterThan(1);
    expect(list.every((s) => s.text.startsWith('密码'))).toBe(true);
  });
  it('Chinese prefix and English prefix', () => {
    expect(suggester.suggest('银行卡', { locale: 'zh-CN' }).every((s) => s.text.startsWith('银行卡'))).toBe(true);
    expect(suggester.suggest('Rep', { locale: 'en' }).map((s) => s.articleId)).toContain('card-report-lost');
  });
  it('ranks by popularity once customers have used the KB', () => {
    const before = suggester.suggest('mima', { locale: 'zh-CN' });
    const last = before[before.length - 1]!;
    for (let i = 0; i < 5; i++) store.recordView(last.articleId, 'zh-CN');
    expect(suggester.suggest('mima', { locale: 'zh-CN' })[0]!.articleId).toBe(last.articleId);
  });
});

describe('search statistics', () => {
  it('count queries and content gaps, without personal data', () => {
    searcher.search('挂失', { locale: 'zh-CN', record: true });
    searcher.search('我的身份证号110101199003071234怎么查', { locale: 'zh-CN', record: true });
    searcher.search('qqqzzzxxx', { locale: 'zh-CN', record: true });
    const top = store.topQueries('zh-CN', 10);
    expect(top.map((q) => q.query)).toContain('挂失');
    expect(JSON.stringify(top)).not.toContain('110101199003071234');
    expect(store.topQueries('zh-CN', 10, true).map((q) => q.query)).toContain('qqqzzzxxx');
  });
});

describe('synonyms from the bundle', () => {
  it('a query naming one term of a group finds articles that use another', () => {
    const d = mkdtempSync(join(tmpdir(), 'kiosk-syn-'));
    const s = openKbStore(join(d, 'kb.db'));
    const lost = { type: 'article', id: 'lost', locale: 'zh-CN', title: '挂失办理', body: '带身份证到柜台办理。' };
    const other = { type: 'article', id: 'hours', locale: 'zh-CN', title: '营业时间', body: '周一至周日。' };
    writeFiles(d, {
      'with.jsonl': jsonl({ type: 'synonyms', locale: 'zh-CN', terms: ['挂失', '冻结账户'] }, lost, other),
      'without.jsonl': jsonl(lost, other),
    });
    importBundle(s, readBundle(join(d, 'with.jsonl')), { replace: true });
    expect(new Searcher(s).search('怎么冻结账户')[0]?.id).toBe('lost');
    // The same KB without the group: nothing in it says 冻结账户.
    importBundle(s, readBundle(join(d, 'without.jsonl')), { replace: true });
    expect(new Searcher(s).search('怎么冻结账户').map((h) => h.id)).not.toContain('lost');
    s.close();
    rmSync(d, { recursive: true, force: true });
  });
});
