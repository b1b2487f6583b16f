// kb.*: the help centre — categories, articles (with related ones), search, suggestions as the
// customer types, "was this helpful?", and the KB's images.
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import { articleSummary } from '../../kb/store.ts';
import { recordSearchEvent, type HandlerContext } from './context.ts';

export function kbHandlers(ctx: HandlerContext): NamespaceHandlers<'kb'> {
  const { store, searcher, suggester, session } = ctx;
  return {
    'kb.categories': ({ locale }) => store.listCategories(locale),
    'kb.articles': ({ locale, categoryId }) => store.listArticles(locale, categoryId).map(articleSummary),
    'kb.article': ({ id, locale }) => {
      const a = store.getArticle(id, locale);
      if (!a) throw new KioskApiError('not_found', `no article '${id}' in ${locale}`);
      store.recordView(id, locale);
      session.touch();
      const related = searcher
        .search([a.title, ...a.tags].join(' '), { locale, limit: 4 })
        .filter((h) => h.id !== a.id)
        .slice(0, 3)
        .map(articleSummary);
      return { id: a.id, locale: a.locale as 'zh-CN' | 'en', categoryId: a.categoryId, title: a.title, body: a.body, tags: a.tags, updatedAt: a.updatedAt, related };
    },
    'kb.search': ({ query, locale, categoryId, limit }) => {
      session.touch();
      const hits = searcher.search(query, { locale, categoryId, limit: limit ?? 10, record: true });
      recordSearchEvent(ctx, locale, query, hits.length);
      return { hits };
    },
    'kb.suggest': ({ prefix, locale, limit }) => suggester.suggest(prefix, { locale, limit: limit ?? 8 }),
    'kb.feedback': ({ id, locale, helpful }) => {
      if (!store.getArticle(id, locale)) throw new KioskApiError('not_found', `no article '${id}' in ${locale}`);
      store.recordFeedback(id, locale, helpful);
      return { ok: true };
    },
    'kb.blob': ({ sha256 }) => {
      const mediaType = store.blobMediaType(sha256);
      const data = mediaType ? store.blobs.get(sha256) : null;
      if (!mediaType || !data) throw new KioskApiError('not_found', `no image ${sha256.slice(0, 12)}…`);
      return { mediaType, base64: data.toString('base64') };
    },
  };
}
