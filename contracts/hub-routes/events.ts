// Live events for the console (server-sent events; contracts/hub-events.ts declares the types and
// who receives each). Every role may connect; each receives only what it may see.
import { EventsQuery } from '../hub-events.ts';
import { binary, route, users } from './define.ts';
import { z } from 'zod';

export const EVENTS_ROUTES = {
  'events.stream': route({
    method: 'GET',
    path: '/v1/events',
    auth: users('admin', 'editor', 'agent', 'branch-manager'),
    summary: 'server-sent events: kiosk status (coalesced), command outcomes, enrolment, configuration, releases and rollouts; heartbeats; Last-Event-ID resumes',
    query: EventsQuery,
    headers: z.object({ 'last-event-id': z.string().optional().meta({ description: 'the id of the last event received: the missed ones follow, or a reset event' }) }),
    responses: { 200: binary('text/event-stream') },
    errors: { 503: 'too many live-event connections on this hub' },
    invalid: 'bad events query',
  }),
} as const;
