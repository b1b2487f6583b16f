// sync.*: where the kiosk's copy of the KB and configuration stands (core/sync/).
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function syncHandlers({ hub }: HandlerContext): NamespaceHandlers<'sync'> {
  return {
    'sync.status': () => {
      const s = hub?.sync?.status();
      if (!s) return { online: false, lastSyncAt: null, cursor: null, error: 'no hub is configured on this kiosk' };
      return { online: s.online ?? false, lastSyncAt: s.lastSyncAt, cursor: String(s.cursor), error: s.lastError };
    },
  };
}
