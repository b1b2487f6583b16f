// Help centre: categories, search with suggestions, article view, feedback, this session's recent searches.
import { defineStore } from 'pinia';
import type { Article, ArticleSummary, Category, SearchHit, Suggestion } from '../../../contracts/kiosk-api.ts';
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';
import { useAppStore } from './app.ts';

export const useHelpStore = defineStore('help', {
  state: () => ({
    categories: [] as Category[],
    categoryId: null as string | null,
    articles: [] as ArticleSummary[],
    query: '',
    suggestions: [] as Suggestion[],
    hits: null as SearchHit[] | null,
    article: null as Article | null,
    feedbackSent: false,
    recent: [] as string[],
    error: null as string | null,
  }),
  actions: {
    async loadCategories() {
      const { locale } = useAppStore();
      this.categories = await kiosk().call('kb.categories', { locale });
    },
    async openCategory(id: string | null) {
      const { locale } = useAppStore();
      this.categoryId = id;
      this.hits = null;
      this.articles = await kiosk().call('kb.articles', id ? { locale, categoryId: id } : { locale });
    },
    async suggest(prefix: string) {
      this.query = prefix;
      const text = prefix.trim();
      if (!text) {
        this.suggestions = [];
        return;
      }
      const { locale } = useAppStore();
      const got = await kiosk().call('kb.suggest', { prefix: text.slice(0, 64), locale, limit: 6 });
      if (this.query === prefix) this.suggestions = got;
    },
    async search(query?: string) {
      const text = (query ?? this.query).trim().slice(0, 500);
      if (!text) return;
      const { locale } = useAppStore();
      this.query = text;
      this.suggestions = [];
      this.hits = (await kiosk().call('kb.search', { query: text, locale, limit: 10 })).hits;
      this.recent = [text, ...this.recent.filter((r) => r !== text)].slice(0, 5);
    },
    async openArticle(id: string, from: 'help' | 'assistant' = 'help') {
      const app = useAppStore();
      app.articleFrom = from;
      this.error = null;
      try {
        this.article = await kiosk().call('kb.article', { id, locale: app.locale });
        this.feedbackSent = false;
        app.go('article');
      } catch (err) {
        this.error = err instanceof KioskApiError ? err.code : 'internal';
      }
    },
    async feedback(helpful: boolean) {
      if (!this.article || this.feedbackSent) return;
      await kiosk().call('kb.feedback', { id: this.article.id, locale: this.article.locale, helpful });
      this.feedbackSent = true;
    },
    dehydrate() {
      this.$reset();
    },
  },
});
