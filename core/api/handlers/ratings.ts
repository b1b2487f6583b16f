// ratings.*: the customer rates the visit; queued in the outbox for the hub.
import { referenceOf } from '../../session/receipt-book.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import { needHub, type HandlerContext } from './context.ts';

export function ratingsHandlers(ctx: HandlerContext): NamespaceHandlers<'ratings'> {
  return {
    'ratings.submit': ({ score, tags, comment }) => {
      const hub = needHub(ctx, 'ratings.submit');
      ctx.session.touch();
      const key = hub.outbox.enqueue('rating', { score, tags, locale: ctx.config.defaultLocale, ...(comment ? { comment } : {}) });
      void hub.deliver();
      return { reference: referenceOf('R', key), queued: true };
    },
  };
}
