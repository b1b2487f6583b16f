// Strings of the renderer in both languages, one table per area (renderer/src/locales/).
import { computed } from 'vue';
import { useAppStore } from './stores/app.ts';
import { coreMessages } from './locales/core.ts';
import { customerMessages } from './locales/customer.ts';
import { staffMessages } from './locales/staff.ts';

const messages = {
  'zh-CN': { ...coreMessages['zh-CN'], ...customerMessages['zh-CN'], ...staffMessages['zh-CN'] },
  en: { ...coreMessages.en, ...customerMessages.en, ...staffMessages.en },
} as const;


export type MessageKey = keyof (typeof messages)['en'];

/** A message by a key built at run time (e.g. `area_${name}`), or the fallback when there is none. */
export function useTOptional() {
  const app = useAppStore();
  return (key: string, fallback: string) => (messages[app.locale] as Record<string, string>)[key] ?? fallback;
}

export function useT() {
  const app = useAppStore();
  const dict = computed(() => messages[app.locale]);
  return (key: MessageKey, vars: Record<string, string | number> = {}) =>
    dict.value[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
