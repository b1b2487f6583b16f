// outbox.*: what still waits to be delivered to the hub (core/outbox/).
import type { NamespaceHandlers } from '../dispatcher.ts';
import { needHub, type HandlerContext } from './context.ts';

export function outboxHandlers(ctx: HandlerContext): NamespaceHandlers<'outbox'> {
  return {
    'outbox.status': () => {
      const hub = needHub(ctx, 'outbox.status');
      const oldest = hub.outbox.list({ state: 'pending', limit: 1 })[0];
      return { pending: hub.outbox.counts().pending, oldestAt: oldest?.createdAt ?? null };
    },
  };
}
