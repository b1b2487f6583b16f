// session.*: the customer session (core/session/): start, status, activity, end (which wipes it).
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function sessionHandlers({ session }: HandlerContext): NamespaceHandlers<'session'> {
  return {
    'session.start': () => session.start(),
    'session.status': () => session.state(),
    'session.touch': () => {
      session.touch();
      return { ok: true };
    },
    'session.end': ({ reason }) => session.end(reason),
  };
}
