// assistant.*: a question in the customer's own words, answered from the KB (core/assistant/).
import { assistantReply } from '../../assistant/reply.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import { recordSearchEvent, type HandlerContext } from './context.ts';

export function assistantHandlers(ctx: HandlerContext): NamespaceHandlers<'assistant'> {
  return {
    'assistant.ask': ({ text, locale }) => {
      ctx.session.touch();
      const hits = ctx.searcher.search(text, { locale, limit: 4, record: true });
      recordSearchEvent(ctx, locale, text, hits.length);
      return assistantReply(text, hits);
    },
  };
}
