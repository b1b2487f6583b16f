// update.*: the app updater's state (core/update/).
import type { NamespaceHandlers } from '../dispatcher.ts';
import { updateStatus, type HandlerContext } from './context.ts';

export function updateHandlers(ctx: HandlerContext): NamespaceHandlers<'update'> {
  return {
    'update.status': () => updateStatus(ctx),
  };
}
