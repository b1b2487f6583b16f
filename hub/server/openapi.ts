// OpenAPI 3.1 description of the hub, generated from the route table (contracts/hub-routes/) — the
// same zod schemas the server validates with and the client parses with. Served at
// /v1/openapi.json, printed by `hub openapi`; docs/hub-api.md's route index comes from the table too.
import { z } from 'zod';
import { commonErrors, HUB_ROUTES, openApiPath, type ResponseSpec, type RouteAuth, type RouteSpec } from '../../contracts/hub-routes/index.ts';
import { PublishSummary } from '../../contracts/hub-routes/admin.ts';
import { HubErrorBody } from '../../contracts/sync-protocol.ts';

type Io = 'input' | 'output';
const schema = (s: z.ZodType, io: Io = 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io, target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
};
const content = (s: z.ZodType, io: Io = 'output') => ({ 'application/json': { schema: schema(s, io) } });

/** Security schemes of people; console sessions and personal tokens join the admin token here. */
const USER_SCHEMES = ['adminToken'];

function security(auth: RouteAuth): Array<Record<string, string[]>> | undefined {
  if (auth.kind === 'public') return undefined;
  if (auth.kind === 'kiosk') return [{ kioskToken: [] }];
  return USER_SCHEMES.map((name) => ({ [name]: [] }));
}

/** Path, query and header parameters: one per key of the route's object schemas. */
function parameters(spec: RouteSpec): object[] {
  const out: object[] = [];
  const add = (where: 'path' | 'query' | 'header', s: z.ZodType | undefined) => {
    const shape = s instanceof z.ZodObject ? (s.shape as Record<string, z.ZodType>) : {};
    for (const [name, field] of Object.entries(shape)) {
      const { description, ...fieldSchema } = schema(field);
      const required = where === 'path' || !field.safeParse(undefined).success;
      out.push({ name, in: where, required, ...(description ? { description } : {}), schema: fieldSchema });
    }
  };
  add('path', spec.params);
  add('query', spec.query);
  add('header', spec.headers);
  return out;
}

function response(r: ResponseSpec): object {
  if (r.kind === 'json') return { description: r.description, content: content(r.schema) };
  if (r.kind === 'binary') return { description: r.description, content: { [r.mediaType ?? 'application/octet-stream']: { schema: { type: 'string', format: 'binary' } } } };
  return { description: r.description };
}

function operation(id: string, spec: RouteSpec): object {
  const params = parameters(spec);
  const errors = { ...commonErrors(spec), ...spec.errors };
  const sec = security(spec.auth);
  return {
    operationId: id,
    summary: spec.summary,
    ...(sec ? { security: sec } : {}),
    ...(spec.auth.kind === 'user' ? { 'x-roles': [...spec.auth.roles] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(spec.body ? { requestBody: { required: !spec.body.safeParse(undefined).success, content: content(spec.body, 'input') } } : {}),
    responses: {
      ...Object.fromEntries(Object.entries(spec.responses).map(([status, r]) => [status, response(r)])),
      ...Object.fromEntries(Object.entries(errors).map(([status, description]) => [status, { description, content: content(HubErrorBody) }])),
    },
  };
}

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, object>> = {};
  for (const [id, spec] of Object.entries(HUB_ROUTES) as Array<[string, RouteSpec]>) {
    (paths[openApiPath(spec.path)] ??= {})[spec.method.toLowerCase()] = operation(id, spec);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Lobby Kiosk hub', version: '1', description: 'Sync protocol v1 (docs/sync-protocol.md), outbox delivery, customer identification and orders, and the admin API.' },
    components: {
      securitySchemes: {
        kioskToken: { type: 'http', scheme: 'bearer', description: 'device token printed once by `hub kiosk add`' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'admin token printed once by `hub admin-token` (a user with role admin)' },
      },
    },
    paths,
    'x-publish-summary': schema(PublishSummary),
  };
}
