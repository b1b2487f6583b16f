// Tests only (HubServerOptions.checkResponses; the test harness turns it on): every answer is
// checked against its route's declaration in the table — a JSON body against the schema for its
// status, an error against HubErrorBody, and no status the table does not declare. A mismatch is
// recorded and answered 500, so the test that caused it fails. Production never pays for this
// (the no-change poll is the fleet's hot path).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import { commonErrors, HUB_ROUTES, isHubRouteId, type RouteSpec } from '../../contracts/hub-routes/index.ts';
import { HubErrorBody } from '../../contracts/sync-protocol.ts';

function bytesOf(payload: unknown): Buffer | null {
  if (payload === undefined || payload === null) return null;
  if (typeof payload === 'string') return Buffer.from(payload);
  if (Buffer.isBuffer(payload)) return payload;
  return null; // a stream: nothing the hub sends today
}

function jsonProblem(schema: z.ZodType, payload: unknown, reply: FastifyReply): string | null {
  let bytes = bytesOf(payload);
  if (!bytes) return 'no JSON body';
  if (reply.getHeader('content-encoding') === 'gzip') bytes = gunzipSync(bytes);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'a body that is not JSON';
  }
  const r = schema.safeParse(value);
  return r.success ? null : r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

function problemOf(spec: RouteSpec, status: number, payload: unknown, reply: FastifyReply): string | null {
  const declared = spec.responses[status];
  if (declared?.kind === 'binary') return null;
  if (declared?.kind === 'empty') return bytesOf(payload)?.length ? 'a body where the table declares none' : null;
  if (declared?.kind === 'json') return jsonProblem(declared.schema, payload, reply);
  if (status >= 400 && (spec.errors?.[status] !== undefined || commonErrors(spec)[status] !== undefined)) return jsonProblem(HubErrorBody, payload, reply);
  return 'a status the route table does not declare';
}

/** Installs the check; returns the list it records problems in. */
export function installResponseCheck(app: FastifyInstance): string[] {
  const problems: string[] = [];
  app.addHook('onSend', async (req, reply, payload) => {
    const id = req.routeOptions.config?.routeId;
    if (!isHubRouteId(id)) return payload; // no such endpoint (404 handler)
    const problem = problemOf(HUB_ROUTES[id], reply.statusCode, payload, reply);
    if (!problem) return payload;
    const text = `${req.method} ${req.url.split('?')[0]} (${id}) answered ${reply.statusCode}: ${problem}`;
    problems.push(text);
    req.log.error({ problem: text }, 'response does not match the route table');
    reply.code(500).removeHeader('content-encoding').header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify({ error: { code: 'internal', message: `response check: ${text}` } });
  });
  return problems;
}
