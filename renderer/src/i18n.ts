// Strings of the renderer in both languages through vue-i18n (composition mode), one table per area
// (renderer/src/locales/). The renderer's CSP has no 'unsafe-eval' and the build uses vue-i18n's
// runtime-only bundle (no message compiler, see renderer/vite.config.ts): every string is turned
// into a plain message function here, so vue-i18n never parses (let alone evaluates) a message.
import { watch, type App } from 'vue';
import { createI18n, type MessageContext } from 'vue-i18n';
import type { Locale } from '../../contracts/kb-bundle.ts';
import { coreMessages } from './locales/core.ts';
import { customerMessages } from './locales/customer.ts';
import { staffMessages } from './locales/staff.ts';

/** Every area's table, merged per language; a new table is one more line here. */
export const messageTables = { core: coreMessages, customer: customerMessages, staff: staffMessages } as const;
export const LOCALES = ['zh-CN', 'en'] as const satisfies readonly Locale[];

const merged = {
  'zh-CN': { ...coreMessages['zh-CN'], ...customerMessages['zh-CN'], ...staffMessages['zh-CN'] },
  en: { ...coreMessages.en, ...customerMessages.en, ...staffMessages.en },
} as const;

export type MessageKey = keyof (typeof merged)['en'];
type Vars = Record<string, string | number>;
type Compiled = (ctx: MessageContext) => string;

/** `{name}` placeholders only: no pluralisation, no linked messages ('@' and '|' stay literal). */
export function compileMessage(text: string): Compiled {
  const parts = text.split(/\{(\w+)\}/);
  if (parts.length === 1) return () => text;
  return ({ named }) => parts.map((p, i) => (i % 2 === 0 ? p : String(named(p) ?? ''))).join('');
}

function compileTable(table: Record<string, string>): Record<string, Compiled> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, compileMessage(v)]));
}

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'en',
  messages: { 'zh-CN': compileTable(merged['zh-CN']), en: compileTable(merged.en) },
  // Keys are flat and some hold '-' (update states): look them up as they are, never as paths,
  // and only as own keys (a run-time key like 'constructor' must not find Object.prototype's).
  messageResolver: (obj: unknown, key: string) => (Object.hasOwn(obj as object, key) ? (obj as Record<string, Compiled>)[key]! : null),
  missingWarn: false,
  fallbackWarn: false,
});

/** vue-i18n on the app, its locale following `locale` (the app store's), set synchronously so
 *  that no render sees the old language. The store is passed in: this module stays free of the
 *  kiosk client (and of the DOM), so Node tests can load it. */
export function installI18n(app: App, locale: () => Locale): void {
  app.use(i18n);
  watch(locale, (l) => (i18n.global.locale.value = l), { immediate: true, flush: 'sync' });
}

/** A message by a key built at run time (e.g. `area_${name}`), or the fallback when there is none. */
export function useTOptional() {
  // Not te(): it falls back to a plain property read, so 'toString' would "exist" (vue-i18n 11).
  const has = (key: string) => Object.hasOwn(i18n.global.getLocaleMessage(i18n.global.locale.value), key);
  return (key: string, fallback: string): string => (has(key) ? i18n.global.t(key) : fallback);
}

export function useT() {
  return (key: MessageKey, vars: Vars = {}): string => i18n.global.t(key, vars);
}
