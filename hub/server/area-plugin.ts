// The one way a route gets onto the server: an area's table (contracts/hub-routes/<area>.ts) and
// its handlers become a Fastify plugin. For each route it
//   - registers method + path with the route id in the route's config (logs, audit, tests),
//   - adds the onRequest auth hook built from the route's `auth` (auth.ts),
//   - validates params, query and body with the route's zod schemas (400 `bad_request` with
//     `details` naming each field) before the handler runs, and hands the handler the parsed values,
//   - answers with the route's first declared status (201 for a create) unless the handler says otherwise,
//   - audits every state-changing request of a `user` route (hub/audit/audit-hook.ts).
// Handlers are typed from the table: an area plugin that misses a route, or returns the wrong
// shape, does not compile.
//
// Our own ~60 lines rather than fastify-type-provider-zod (or @ts-rest, which needs zod 3): the
// library would validate with the same zod schemas but report Fastify's error shape (ours is
// HubErrorBody, with messages the kiosks and tests know), its serializer would check every
// response in production (the no-change poll is the fleet's hot path; we check responses in tests
// only, response-check.ts), its OpenAPI path needs @fastify/swagger while ours is generated from
// the table without a server (`hub openapi`), and the table must also drive the kiosk's and the
// console's client, which no server library does.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { defaultStatus, type RouteBody, type RouteParams, type RouteQuery, type RouteReply, type RouteSpec } from '../../contracts/hub-routes/index.ts';
import { authHook, type KioskPrincipal, type UserPrincipal } from './auth.ts';
import type { HubContext } from './context.ts';
import { badRequest } from './errors.ts';
import { auditHook } from '../audit/audit-hook.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's id in HUB_ROUTES. */
    routeId?: string;
  }
}

type PrincipalOf<R> = R extends { auth: { kind: 'kiosk' } } ? KioskPrincipal : R extends { auth: { kind: 'user' } } ? UserPrincipal : null;

export interface HandlerInput<R extends RouteSpec> {
  params: RouteParams<R>;
  query: RouteQuery<R>;
  body: RouteBody<R>;
  principal: PrincipalOf<R>;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** Returns the JSON body, or the reply after sending something else (bytes, 304). */
export type RouteHandler<R extends RouteSpec> = (input: HandlerInput<R>) => Promise<RouteReply<R> | FastifyReply>;
export type AreaHandlers<T extends Record<string, RouteSpec>> = { [K in keyof T]: RouteHandler<T[K]> };

function parse(schema: z.ZodType, value: unknown, label: string, part: 'params' | 'query' | 'body'): unknown {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw badRequest(label, r.error, part);
}

function labels(spec: RouteSpec): { params: string; query: string; body: string } {
  const given = typeof spec.invalid === 'string' ? { params: spec.invalid, query: spec.invalid, body: spec.invalid } : (spec.invalid ?? {});
  return { params: given.params ?? 'bad path parameter', query: given.query ?? 'bad query', body: given.body ?? 'bad request body' };
}

export function areaPlugin<T extends Record<string, RouteSpec>>(routes: T, handlersOf: (ctx: HubContext) => AreaHandlers<T>): FastifyPluginAsync<HubContext> {
  return async (app, ctx) => {
    const handlers = handlersOf(ctx);
    for (const [id, spec] of Object.entries(routes) as Array<[keyof T & string, RouteSpec]>) {
      const handler = handlers[id] as RouteHandler<RouteSpec>;
      const label = labels(spec);
      const status = defaultStatus(spec);
      const onRequest = authHook(spec.auth, ctx.auth, id);
      const onSend = spec.auth.kind === 'user' && spec.method !== 'GET' ? auditHook(ctx.hub, id) : null;
      app.route({
        method: spec.method,
        url: spec.path,
        config: { routeId: id, ...(spec.rateLimit === false ? { rateLimit: false } : {}) },
        ...(onRequest ? { onRequest } : {}),
        ...(onSend ? { onSend } : {}),
        handler: async (req, reply) => {
          const params = spec.params ? parse(spec.params, req.params, label.params, 'params') : undefined;
          const query = spec.query ? parse(spec.query, req.query, label.query, 'query') : undefined;
          const body = spec.body ? parse(spec.body, req.body, label.body, 'body') : undefined;
          if (status !== 200) reply.code(status);
          return handler({ params, query, body, principal: req.principal, req, reply } as HandlerInput<RouteSpec>);
        },
      });
    }
  };
}
