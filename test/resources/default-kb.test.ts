// The embedded default KB bundle (resources/kb/default): every line must pass the bundle contract,
// both locales must be complete twins, and every reference (category, parent, image) must resolve.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleRecord, LOCALES } from '../../contracts/kb-bundle.ts';
import type { ArticleRecord, CategoryRecord, Locale, SynonymsRecord } from '../../contracts/kb-bundle.ts';

const BUNDLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../resources/kb/default');
const BUNDLE_FILE = join(BUNDLE_DIR, 'kb.jsonl');

const lines = readFileSync(BUNDLE_FILE, 'utf8')
  .split('\n')
  .map((text, i) => ({ text, lineNo: i + 1 }))
  .filter(({ text }) => text.trim() !== '');

const parsed = lines.map(({ text, lineNo }) => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { lineNo, ok: false as const, error: `invalid JSON: ${(err as Error).message}` };
  }
  const result = BundleRecord.safeParse(json);
  return result.success
    ? { lineNo, ok: true as const, record: result.data }
    : { lineNo, ok: false as const, error: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
});

const records = parsed.flatMap((p) => (p.ok ? [p.record] : []));
const categories = records.filter((r): r is CategoryRecord => r.type === 'category');
const articles = records.filter((r): r is ArticleRecord => r.type === 'article');
const synonyms = records.filter((r): r is SynonymsRecord => r.type === 'synonyms');
const ofLocale = <T extends { locale?: Locale | undefined }>(list: T[], locale: Locale) => list.filter((r) => r.locale === locale);

/** Markdown image targets: ![alt](target) or ![alt](target "title"). */
function imageTargets(body: string): string[] {
  return [...body.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
}

describe('default KB bundle', () => {
  it('has content', () => {
    expect(lines.length).toBeGreaterThan(0);
  });

  it('every line parses against the bundle contract', () => {
    const bad = parsed.filter((p) => !p.ok).map((p) => `line ${p.lineNo}: ${p.ok ? '' : p.error}`);
    expect(bad).toEqual([]);
  });

  it('has at least 8 categories and 60 articles per locale', () => {
    for (const locale of LOCALES) {
      expect(ofLocale(categories, locale).length, `categories in ${locale}`).toBeGreaterThanOrEqual(8);
      expect(ofLocale(articles, locale).length, `articles in ${locale}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('ids are unique per locale and type', () => {
    for (const locale of LOCALES) {
      for (const list of [ofLocale(categories, locale), ofLocale(articles, locale)]) {
        const ids = list.map((r) => r.id);
        const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
        expect(dupes, `duplicate ids in ${locale}`).toEqual([]);
      }
    }
  });

  it('every article and category exists in both zh-CN and en', () => {
    const lists: { id: string; locale: Locale }[][] = [articles, categories];
    for (const list of lists) {
      const zh = new Set(ofLocale(list, 'zh-CN').map((r) => r.id));
      const en = new Set(ofLocale(list, 'en').map((r) => r.id));
      expect([...zh].filter((id) => !en.has(id)), 'zh-CN without an en twin').toEqual([]);
      expect([...en].filter((id) => !zh.has(id)), 'en without a zh-CN twin').toEqual([]);
    }
  });

  it('every categoryId and parentId refers to a category of the same locale', () => {
    const problems: string[] = [];
    for (const locale of LOCALES) {
      const ids = new Set(ofLocale(categories, locale).map((c) => c.id));
      for (const c of ofLocale(categories, locale)) {
        if (c.parentId != null && !ids.has(c.parentId)) problems.push(`category ${locale}/${c.id}: parent ${c.parentId}`);
        if (c.parentId === c.id) problems.push(`category ${locale}/${c.id} is its own parent`);
      }
      for (const a of ofLocale(articles, locale)) {
        if (a.categoryId == null) problems.push(`article ${locale}/${a.id} has no category`);
        else if (!ids.has(a.categoryId)) problems.push(`article ${locale}/${a.id}: category ${a.categoryId}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every article has at least 2 questions and some tags', () => {
    const thin = articles.filter((a) => (a.questions?.length ?? 0) < 2 || (a.tags?.length ?? 0) < 1);
    expect(thin.map((a) => `${a.locale}/${a.id}`)).toEqual([]);
  });

  it('every referenced image exists beside the bundle', () => {
    const referenced = articles.flatMap((a) => imageTargets(a.body).map((target) => ({ a, target })));
    expect(referenced.length).toBeGreaterThanOrEqual(8);
    const missing = referenced
      .filter(({ target }) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/') || !existsSync(join(BUNDLE_DIR, target)))
      .map(({ a, target }) => `${a.locale}/${a.id}: ${target}`);
    expect(missing).toEqual([]);
  });

  it('has the article the pinyin-initials search relies on', () => {
    const recover = ofLocale(articles, 'zh-CN').find((a) => a.id === 'pwd-recover');
    expect(recover?.title).toBe('密码找回');
  });

  it('has synonym groups for both locales', () => {
    expect(synonyms.length).toBeGreaterThanOrEqual(10);
    for (const locale of LOCALES) expect(ofLocale(synonyms, locale).length).toBeGreaterThan(0);
  });
});
