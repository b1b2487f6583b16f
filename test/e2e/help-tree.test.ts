// The help centre's category tree in browser mode on a KB synced from a real hub process: three
// levels down (breadcrumbs, sub-categories, articles), into an article and back, up a level at a
// time and by breadcrumb, in both languages; touch targets, axe and the CSP (vue-i18n, no eval).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hubForKiosk } from './hub-kiosk.ts';
import { PORTRAIT, SHOTS, axeViolations, kioskForTests, startSession } from './util.ts';

type Titles = { zh: string; en: string };
const both = (type: 'category' | 'article', id: string, t: Titles, extra: Record<string, unknown> = {}) => [
  { type, id, locale: 'zh-CN', title: t.zh, ...(type === 'article' ? { body: `${t.zh}：请按屏幕提示操作。` } : {}), ...extra },
  { type, id, locale: 'en', title: t.en, ...(type === 'article' ? { body: `${t.en}: follow the steps on the screen.` } : {}), ...extra },
];

const KB = [
  ...both('category', 'services', { zh: '服务指南', en: 'Service guide' }, { order: 10 }),
  ...both('category', 'other', { zh: '其他事项', en: 'Other matters' }, { order: 20 }),
  ...both('category', 'services-cards', { zh: '银行卡业务', en: 'Card services' }, { order: 10, parentId: 'services' }),
  ...both('category', 'services-cards-lost', { zh: '挂失与冻结', en: 'Lost and blocked cards' }, { order: 10, parentId: 'services-cards' }),
  ...both('category', 'other-soon', { zh: '即将推出', en: 'Coming soon' }, { order: 10, parentId: 'other' }),
  ...both('article', 'svc-hours', { zh: '营业时间说明', en: 'Opening hours explained' }, { categoryId: 'services' }),
  ...both('article', 'cards-new', { zh: '办理新卡', en: 'Getting a new card' }, { categoryId: 'services-cards' }),
  ...both('article', 'cards-lost-report', { zh: '挂失步骤', en: 'How to report a lost card' }, { categoryId: 'services-cards-lost' }),
  ...both('article', 'other-parking', { zh: '停车说明', en: 'Parking' }, { categoryId: 'other' }),
];

const hub = hubForKiosk(KB);
const kiosk = kioskForTests(hub.env);
/** Uncaught errors and console errors of the pages (none expected). */
const pageErrors: string[] = [];

async function openTree(): Promise<Page> {
  await hub.waitSynced(8);
  const page = await kiosk.page(PORTRAIT);
  // Page-side code as strings: this file is type-checked without DOM types.
  await page.addInitScript(`window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())));
  await startSession(page, kiosk.url);
  await page.click('[data-test=tile-help]');
  await page.locator('[data-test=category]').first().waitFor();
  return page;
}

const texts = (page: Page, sel: string) => page.locator(sel).allTextContents().then((l) => l.map((s) => s.trim()));
const children = (page: Page) => texts(page, '[data-test=category-tree] [data-test=category] span:first-child');
const crumbs = (page: Page) => texts(page, '[data-test=crumb]');
const articles = (page: Page) => texts(page, '[data-test=category-article]');
const level = (page: Page) => page.getAttribute('[data-test=category-tree]', 'data-category');
const down = (page: Page, title: string) => page.locator('[data-test=category]', { hasText: title }).click();

/** Visible buttons in the tree smaller than 56 × 56 px (the product's touch target). */
const smallTargets = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('[data-test=category-tree] button')].map((b) => [b.textContent.trim(), b.getBoundingClientRect()]).filter(([, r]) => r.width > 0 && (r.width < 56 || r.height < 56)).map(([t, r]) => t + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))`) as Promise<string[]>;

describe('help centre category tree', () => {
  it('three levels down and back up: breadcrumbs, sub-categories, articles, article and back', async () => {
    const page = await openTree();
    expect(await children(page)).toEqual(['服务指南', '其他事项']);
    expect(await crumbs(page)).toEqual(['全部分类']);
    expect(await page.locator('[data-test=category-up]').count()).toBe(0);
    expect(await articles(page)).toEqual([]);

    await down(page, '服务指南');
    await expect.poll(() => articles(page)).toEqual(['营业时间说明']);
    expect(await crumbs(page)).toEqual(['全部分类', '服务指南']);
    expect(await children(page)).toEqual(['银行卡业务']);

    await down(page, '银行卡业务');
    await expect.poll(() => articles(page)).toEqual(['办理新卡']);
    expect(await children(page)).toEqual(['挂失与冻结']);

    await down(page, '挂失与冻结');
    await expect.poll(() => articles(page)).toEqual(['挂失步骤']);
    expect(await crumbs(page)).toEqual(['全部分类', '服务指南', '银行卡业务', '挂失与冻结']);
    expect(await children(page)).toEqual([]);
    expect(await page.getAttribute('[data-test=crumb][aria-current=location]', 'aria-current')).toBe('location');
    expect(await smallTargets(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'help-tree-zh.png') });
    await page.click('[data-test=high-contrast]');
    await page.click('[data-test=large-text]');
    expect(await axeViolations(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'help-tree-zh-large-contrast.png') });

    // Into the article and back: the tree is where it was.
    await page.locator('[data-test=category-article]', { hasText: '挂失步骤' }).click();
    await expect.poll(() => page.textContent('[data-test=article-title]')).toBe('挂失步骤');
    await page.click('[data-test=back]');
    expect(await level(page)).toBe('services-cards-lost');
    expect(await articles(page)).toEqual(['挂失步骤']);

    // Up one level, then by breadcrumb, then to the top.
    await page.click('[data-test=category-up]');
    await expect.poll(() => level(page)).toBe('services-cards');
    await expect.poll(() => articles(page)).toEqual(['办理新卡']);
    await page.locator('[data-test=crumb]', { hasText: '服务指南' }).click();
    await expect.poll(() => level(page)).toBe('services');
    await page.click('[data-test=category-up]');
    await expect.poll(() => level(page)).toBe('');
    expect(await children(page)).toEqual(['服务指南', '其他事项']);
    expect(await articles(page)).toEqual([]);
    expect(await page.locator('[data-test=category-up]').count()).toBe(0);
    // The header's Back from the top of the tree goes home.
    await page.click('[data-test=back]');
    await page.waitForSelector('[data-test=tile-help]');
    expect(await page.evaluate('window.__csp')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('switching language on the tree shows it in the other language, all the way down', async () => {
    const page = await openTree();
    await down(page, '服务指南');
    await down(page, '银行卡业务');
    await expect.poll(() => articles(page)).toEqual(['办理新卡']);
    await page.click('[data-test=language]');
    // The language switch starts the help centre afresh: the top level, now in English.
    await expect.poll(() => children(page)).toEqual(['Service guide', 'Other matters']);
    expect(await crumbs(page)).toEqual(['All categories']);
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await down(page, 'Service guide');
    await down(page, 'Card services');
    await expect.poll(() => articles(page)).toEqual(['Getting a new card']);
    expect(await crumbs(page)).toEqual(['All categories', 'Service guide', 'Card services']);
    expect(await children(page)).toEqual(['Lost and blocked cards']);
    expect((await page.textContent('[data-test=category-up]'))?.trim()).toBe('‹ Up one level');
    expect(await page.getAttribute('[data-test=breadcrumbs]', 'aria-label')).toBe('You are here');
    expect(await page.textContent('[data-test=back]')).toBe('Back');
    expect(await smallTargets(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'help-tree-en.png') });
    await page.click('[data-test=language]');
    await expect.poll(() => children(page)).toEqual(['服务指南', '其他事项']);
    expect(await crumbs(page)).toEqual(['全部分类']);
    expect(await page.evaluate('window.__csp')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('an empty category says so, in words, and up leads out of it', async () => {
    const page = await openTree();
    await down(page, '其他事项');
    await expect.poll(() => articles(page)).toEqual(['停车说明']);
    expect(await children(page)).toEqual(['即将推出']);
    expect(await page.locator('[data-test=category-empty]').count()).toBe(0);
    await down(page, '即将推出');
    await expect.poll(() => page.locator('[data-test=category-empty]').textContent()).toBe('这个分类暂时没有内容');
    await page.click('[data-test=category-up]');
    await expect.poll(() => level(page)).toBe('other');
    expect(await page.locator('[data-test=category-empty]').count()).toBe(0);
  });

  it('a search from the tree shows results in place of the tree; a result opens', async () => {
    const page = await openTree();
    await page.click('[data-test=language]');
    await expect.poll(() => children(page)).toEqual(['Service guide', 'Other matters']);
    for (const k of 'parking') await page.click(`[data-test=keyboard] [data-skbtn="${k}"]`);
    await page.click('[data-test=keyboard] [data-skbtn="{search}"]');
    await page.locator('[data-test=results] .result', { hasText: 'Parking' }).waitFor();
    expect(await page.locator('[data-test=category-tree]').count()).toBe(0);
    await page.locator('[data-test=results] .result', { hasText: 'Parking' }).click();
    await expect.poll(() => page.textContent('[data-test=article-title]')).toBe('Parking');
    expect(pageErrors).toEqual([]);
  });
});
