// Help centre: the category tree, search with suggestions, article view, feedback, this session's recent searches.
import { defineStore } from 'pinia';
import type { Article, ArticleSummary, Category, SearchHit, Suggestion } from '../../../contracts/kiosk-api.ts';
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';
import { useAppStore } from './app.ts';
import { categoryPath, childCategories, effectiveParents, uniqueCategories } from './category-tree.ts';

/** Only the newest browse request may fill the list (fast taps down and back up). */
let browseSeq = 0;

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
    /** A level's articles are on their way (no "nothing here" meanwhile). */
    browsing: false,
  }),
  getters: {
    /** What the tree shows at the current level. */
    childCategories: (s): Category[] => childCategories(s.categories, s.categoryId),
    breadcrumbs: (s): Category[] => categoryPath(s.categories, s.categoryId),
  },
  actions: {
    /** The tree of the current locale, and the current level again (the top level after a reset). */
    async loadCategories() {
      const { locale } = useAppStore();
      let got: Category[];
      try {
        got = await kiosk().call('kb.categories', { locale });
      } catch (err) {
        this.error = err instanceof KioskApiError ? err.code : 'internal';
        return;
      }
      this.categories = uniqueCategories(got);
      if (this.categoryId !== null && !this.categories.some((c) => c.id === this.categoryId)) this.categoryId = null;
      await this.loadLevel(this.categoryId);
    },
    /** Browse to a level of the tree (leaving search results). */
    async openCategory(id: string | null) {
      this.hits = null;
      await this.loadLevel(id);
    },
    /** A level: its sub-categories (a getter) and its own articles. The top level has no articles
     *  of its own unless the KB has no categories at all (then it lists every article): the API
     *  cannot ask for "articles in no category" without fetching them all, which a large KB makes
     *  too costly for every visit to the help centre. */
    async loadLevel(wanted: string | null) {
      const { locale } = useAppStore();
      const seq = ++browseSeq;
      // An id this tree does not have (stale or hostile) is the top level, not an empty nowhere.
      const id = wanted !== null && this.categories.some((c) => c.id === wanted) ? wanted : null;
      this.categoryId = id;
      this.error = null;
      this.articles = [];
      this.browsing = false;
      if (id === null && this.categories.length > 0) return;
      this.browsing = true;
      try {
        const got = await kiosk().call('kb.articles', id ? { locale, categoryId: id } : { locale });
        if (seq === browseSeq) this.articles = got;
      } catch (err) {
        if (seq === browseSeq) this.error = err instanceof KioskApiError ? err.code : 'internal';
      } finally {
        if (seq === browseSeq) this.browsing = false;
      }
    },
    /** One level up; false when already at the top. */
    async upCategory(): Promise<boolean> {
      if (this.categoryId === null) return false;
      const parent = effectiveParents(this.categories).get(this.categoryId) ?? null;
      await this.openCategory(parent);
      return true;
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
