// queue.*: a queue number for a counter, from the hub or, offline, the kiosk's own (core/queue/).
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function queueHandlers({ queue }: HandlerContext): NamespaceHandlers<'queue'> {
  return {
    'queue.take': ({ service }) => queue.take(service),
  };
}
