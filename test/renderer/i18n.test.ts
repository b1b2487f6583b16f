// The renderer's strings: every key in both languages, nothing empty, the same placeholders in
// both; and vue-i18n (as renderer/src/i18n.ts sets it up) follows the app store's locale.
import { createApp, ref } from 'vue';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../contracts/kb-bundle.ts';
import { LOCALES, compileMessage, i18n, installI18n, messageTables, useT, useTOptional } from '../../renderer/src/i18n.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const tables = Object.entries(messageTables) as Array<[string, Record<(typeof LOCALES)[number], Record<string, string>>]>;

describe('message tables', () => {
  it('there are three tables (core, customer, staff)', () => {
    expect(tables.map(([name]) => name).sort()).toEqual(['core', 'customer', 'staff']);
  });

  for (const [name, table] of tables) {
    describe(name, () => {
      it('has the same keys in zh-CN and en', () => {
        const zh = Object.keys(table['zh-CN']).sort();
        const en = Object.keys(table.en).sort();
        expect(zh.filter((k) => !en.includes(k)), 'keys missing in en').toEqual([]);
        expect(en.filter((k) => !zh.includes(k)), 'keys missing in zh-CN').toEqual([]);
      });

      it('has no empty value in either language', () => {
        for (const locale of LOCALES) {
          const empty = Object.entries(table[locale]).filter(([, v]) => typeof v !== 'string' || v.trim() === '');
          expect(empty.map(([k]) => `${locale}:${k}`)).toEqual([]);
        }
      });

      it('uses the same {placeholders} in both languages', () => {
        const differ = Object.keys(table.en).filter((k) => table['zh-CN'][k] !== undefined && placeholders(table.en[k]!).join() !== placeholders(table['zh-CN'][k]!).join());
        expect(differ).toEqual([]);
      });
    });
  }

  it('no two tables give one key different texts (the merge would silently drop one)', () => {
    const clashes: string[] = [];
    for (const locale of LOCALES) {
      const seen = new Map<string, [string, string]>();
      for (const [name, table] of tables) {
        for (const [k, v] of Object.entries(table[locale])) {
          const before = seen.get(k);
          if (before && before[1] !== v) clashes.push(`${locale}:${k} (${before[0]} / ${name})`);
          seen.set(k, [name, v]);
        }
      }
    }
    expect(clashes).toEqual([]);
  });
});

describe('compileMessage', () => {
  const run = (text: string, vars: Record<string, unknown>) => compileMessage(text)({ named: (k: string) => vars[k] } as never);

  it('fills {name} placeholders and leaves vue-i18n syntax characters literal', () => {
    expect(run('{n} 秒后结束', { n: 15 })).toBe('15 秒后结束');
    expect(run('a @:b | c {x}{y}', { x: 1, y: 'z' })).toBe('a @:b | c 1z');
    expect(run('plain', {})).toBe('plain');
  });

  it('a missing value is empty and a value is never interpolated twice', () => {
    expect(run('ref {ref}!', {})).toBe('ref !');
    expect(run('ref {ref}', { ref: '{ref} <b>' })).toBe('ref {ref} <b>');
  });
});

describe('useT / useTOptional through vue-i18n', () => {
  // What main.ts does with the app store's locale, here with a plain ref.
  const locale = ref<Locale>('zh-CN');
  beforeAll(() => installI18n(createApp({}), () => locale.value));

  it('follows the locale source, synchronously', () => {
    locale.value = 'zh-CN';
    const t = useT();
    expect(t('idleBody', { n: 7 })).toBe('7 秒后将结束本次服务并清除您的信息');
    locale.value = 'en';
    expect(i18n.global.locale.value).toBe('en');
    expect(t('idleBody', { n: 7 })).toBe('This visit ends in 7 s and your information is cleared');
    expect(t('back')).toBe('Back');
  });

  it('useTOptional: a run-time key, or the fallback when there is none', () => {
    const tOpt = useTOptional();
    locale.value = 'zh-CN';
    expect(tOpt('area_kb', 'kb')).toBe('知识库');
    locale.value = 'en';
    expect(tOpt('area_kb', 'kb')).toBe('Knowledge base');
    expect(tOpt('update_up-to-date', 'x')).toBe('up to date');
    expect(tOpt('area_nonexistent', 'nonexistent')).toBe('nonexistent');
    for (const hostile of ['__proto__', 'constructor', 'toString', 'area_kb.x', '']) expect(tOpt(hostile, 'fallback')).toBe('fallback');
  });

  it('vue-i18n holds message functions only (nothing for a compiler to parse)', () => {
    for (const l of LOCALES) {
      const m = i18n.global.getLocaleMessage(l) as Record<string, unknown>;
      expect(Object.keys(m).length).toBeGreaterThan(50);
      expect(Object.values(m).every((v) => typeof v === 'function')).toBe(true);
    }
  });
});
