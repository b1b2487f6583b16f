// Strings of the minimal renderer in both languages. (Issue 7 grows this into vue-i18n.)
import { computed } from 'vue';
import { useAppStore } from './stores/app.ts';

const messages = {
  'zh-CN': {
    tapToStart: '请点击屏幕开始',
    welcome: '欢迎光临',
    help: '帮助中心',
    helpHint: '常见问题、操作指引',
    assistant: '智能助手',
    orders: '我的订单',
    ticket: '人工服务',
    unavailable: '暂未开放',
    finish: '结束',
    back: '返回',
    home: '首页',
    searchPlaceholder: '请输入问题，支持拼音首字母',
    search: '搜索',
    noResults: '没有找到相关内容',
    categories: '全部分类',
    wasHelpful: '这篇文章对您有帮助吗？',
    yes: '有帮助',
    no: '没帮助',
    thanks: '感谢您的反馈',
    related: '相关文章',
    recent: '最近搜索',
    idleTitle: '还在吗？',
    idleBody: '{n} 秒后将结束本次服务并清除您的信息',
    stay: '继续使用',
    disconnected: '正在重新连接…',
    language: 'English',
  },
  en: {
    tapToStart: 'Tap the screen to start',
    welcome: 'Welcome',
    help: 'Help centre',
    helpHint: 'Questions and how-tos',
    assistant: 'Assistant',
    orders: 'My orders',
    ticket: 'Talk to a person',
    unavailable: 'Coming soon',
    finish: 'Finish',
    back: 'Back',
    home: 'Home',
    searchPlaceholder: 'Type your question',
    search: 'Search',
    noResults: 'Nothing found',
    categories: 'All categories',
    wasHelpful: 'Was this article helpful?',
    yes: 'Yes',
    no: 'No',
    thanks: 'Thank you for your feedback',
    related: 'Related articles',
    recent: 'Recent searches',
    idleTitle: 'Are you still there?',
    idleBody: 'This visit ends in {n} s and your information is cleared',
    stay: 'Continue',
    disconnected: 'Reconnecting…',
    language: '中文',
  },
} as const;

export type MessageKey = keyof (typeof messages)['en'];

export function useT() {
  const app = useAppStore();
  const dict = computed(() => messages[app.locale]);
  return (key: MessageKey, vars: Record<string, string | number> = {}) =>
    dict.value[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
