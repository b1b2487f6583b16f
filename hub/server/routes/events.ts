// GET /v1/events: the console's live events (hub/events/sse.ts). The handler takes the response
// over from Fastify (hijack) once the caller is known and the connection limits allow it; the
// stream re-checks the caller's credentials every minute (a logged-out user's stream ends).
import { HUB_EVENT_TYPE_NAMES, type HubEventType } from '../../../contracts/hub-events.ts';
import { EVENTS_ROUTES } from '../../../contracts/hub-routes/events.ts';
import { SseRefused } from '../../events/sse.ts';
import { areaPlugin } from '../area-plugin.ts';
import { HttpError } from '../errors.ts';

export default areaPlugin(EVENTS_ROUTES, ({ sse, auth }) => ({
  'events.stream': async ({ query, principal, req, reply }) => {
    try {
      sse.checkCapacity(principal);
    } catch (err) {
      if (err instanceof SseRefused) throw new HttpError(err.statusCode, err.statusCode === 503 ? 'unavailable' : 'rate_limited', err.message);
      throw err;
    }
    const header = req.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && header.length <= 100 ? header : query.lastEventId;
    const types = query.types ? (query.types.split(',') as HubEventType[]) : undefined;
    reply.hijack();
    sse.open(reply.raw, principal, {
      ...(types && types.length < HUB_EVENT_TYPE_NAMES.length ? { types } : {}),
      ...(lastEventId ? { lastEventId } : {}),
      reauth: async () => {
        for (const authenticate of auth.users) {
          const user = await authenticate(req).catch(() => null);
          if (user) return user.id === principal.id && user.role === principal.role && user.branch === principal.branch;
        }
        return false;
      },
    });
    return reply;
  },
}));
