// Strings of the staff panel. Every key in both languages (a test checks).
export const staffMessages = {
  'zh-CN': {},
  en: {},
} as const;
