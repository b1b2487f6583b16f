// Strings of identify, orders, receipts and queue numbers. Every key in both languages (a test checks).
export const customerMessages = {
  'zh-CN': {},
  en: {},
} as const;
