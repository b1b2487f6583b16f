// A typed client for the hub, derived from the route table (contracts/hub-routes/): the kiosk core
// and the web console call the hub through it. Runtime-neutral (fetch, URL, streams: a browser and
// Node alike); fetch is injected or global.
//   client.call('orders.get', { params, query, body, headers, signal })
//     → the parsed, typed body of a non-error answer (JSON checked with the route's zod schema;
//       bytes as Uint8Array; null for a 304), or a HubClientError.
//   hubPath('sync.changes', {}, { since: 12 }) → 'v1/sync/changes?since=12', for calls that stay raw
//     (sync pages with ETag, gzip and size caps; blobs with Range).
// Arguments are checked against the route's schemas before anything is sent (a clear error without
// a round trip); the hub checks them again, because it trusts no one.
import type { z } from 'zod';
import {
  HUB_ROUTES,
  isHubRouteId,
  type HubRouteId,
  type HubRoutes,
  type RouteBodyInput,
  type RouteHeadersInput,
  type RouteParamsInput,
  type RouteQueryInput,
  type RouteResult,
  type RouteSpec,
} from './hub-routes/index.ts';

/** Every failure of a call, whether the hub refused it (status ≥ 400) or it never got an answer (0). */
export class HubClientError extends Error {
  override name = 'HubClientError';
  readonly details?: Array<{ path: string; message: string }>;
  /** rate_limited: when asking again can succeed (the body's, else the Retry-After header's). */
  readonly retryAfterSec?: number;
  /** reset_required: the oldest cursor the hub can still serve incrementally. */
  readonly horizon?: number;
  constructor(
    /** The hub's status; 0 when there was no answer (unreachable, timeout, aborted) or the call was refused here. */
    readonly status: number,
    /** The hub's error code (bad_request, unauthorized, not_found, …) or one of this client's:
     *  unknown_route, bad_request (status 0), unreachable, timeout, aborted, too_large, bad_response. */
    readonly code: string,
    message: string,
    extra: { details?: Array<{ path: string; message: string }>; retryAfterSec?: number; horizon?: number } = {},
  ) {
    super(message);
    if (extra.details) this.details = extra.details;
    if (extra.retryAfterSec !== undefined) this.retryAfterSec = extra.retryAfterSec;
    if (extra.horizon !== undefined) this.horizon = extra.horizon;
  }
}

// ---- arguments, typed per route ----------------------------------------------------------------

/** Required when the schema has required keys, optional otherwise, absent when the route has none. */
type Part<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : Record<string, never> extends T ? { [P in K]?: T } : undefined extends T ? { [P in K]?: T } : { [P in K]: T };

export type CallOptions<Id extends HubRouteId> = Part<'params', RouteParamsInput<HubRoutes[Id]>> &
  Part<'query', RouteQueryInput<HubRoutes[Id]>> &
  Part<'body', RouteBodyInput<HubRoutes[Id]>> & {
    /** Per call, on top of the client's headers (the customer session, If-None-Match …). */
    headers?: ([RouteHeadersInput<HubRoutes[Id]>] extends [undefined] ? unknown : RouteHeadersInput<HubRoutes[Id]>) & Record<string, string | undefined>;
    signal?: AbortSignal;
  };
type CallArgs<Id extends HubRouteId> = Record<string, never> extends CallOptions<Id> ? [options?: CallOptions<Id>] : [options: CallOptions<Id>];
type PathArgs<Id extends HubRouteId> = [RouteParamsInput<HubRoutes[Id]>] extends [undefined]
  ? [params?: Record<string, never>, query?: RouteQueryInput<HubRoutes[Id]>]
  : [params: RouteParamsInput<HubRoutes[Id]>, query?: RouteQueryInput<HubRoutes[Id]>];

export type HubResult<Id extends HubRouteId> = RouteResult<HubRoutes[Id]>;

export interface HubClientOptions {
  /** The hub's base URL (may carry a path prefix); relative ('/') in a browser page. */
  baseUrl: string | URL;
  fetch?: typeof fetch;
  /** Asked before each call: Authorization, X-Kiosk-*, a CSRF token … */
  headers?: () => Record<string, string>;
  /** Cookies in a browser: 'same-origin' for the console. */
  credentials?: 'include' | 'same-origin' | 'omit';
  /** Largest answer read (default 8 MiB): a broken or hostile hub cannot make a caller buffer gigabytes. */
  maxResponseBytes?: number;
}

export interface HubClient {
  call<Id extends HubRouteId>(id: Id, ...args: CallArgs<Id>): Promise<HubResult<Id>>;
}

// ---- paths -------------------------------------------------------------------------------------

function routeOf(id: string): RouteSpec {
  if (!isHubRouteId(id)) throw new HubClientError(0, 'unknown_route', `unknown hub route '${String(id).slice(0, 80)}'`);
  return HUB_ROUTES[id];
}

function check(schema: z.ZodType, value: unknown, id: string, part: string): void {
  const r = schema.safeParse(value);
  if (r.success) return;
  const details = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = details[0]!;
  throw new HubClientError(0, 'bad_request', `${id}: bad ${part}: ${first.path ? `field '${first.path}': ` : ''}${first.message}`, { details });
}

/**
 * The route's path with its parameters filled in (each checked and URI-encoded) and the query
 * appended — relative to the hub's base URL (no leading slash), so `new URL(hubPath(…), base)`
 * keeps a path prefix the hub may be served under.
 */
export function hubPath<Id extends HubRouteId>(id: Id, ...[params, query]: PathArgs<Id>): string {
  const spec = routeOf(id);
  const values = (params ?? {}) as Record<string, unknown>;
  if (spec.params) check(spec.params, values, id, 'path parameters');
  let path = spec.path.slice(1).replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(String(values[name])));
  if (query !== undefined) {
    if (!spec.query) throw new HubClientError(0, 'bad_request', `${id} takes no query`);
    check(spec.query, query, id, 'query');
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query as Record<string, unknown>)) if (v !== undefined) search.set(k, String(v));
    const text = search.toString();
    if (text) path += `?${text}`;
  }
  return path;
}

// ---- calls -------------------------------------------------------------------------------------

function baseOf(baseUrl: string | URL): URL {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(String(baseUrl), page);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

async function readCapped(res: Response, max: number, what: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (res.headers.get('content-encoding') === null && Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    throw new HubClientError(res.status, 'too_large', `${what} is ${declared} bytes, more than the ${max} this client reads`);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new HubClientError(res.status, 'too_large', `${what} is larger than the ${max} bytes this client reads`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function parseJson(bytes: Uint8Array): unknown {
  try {
    return bytes.byteLength ? JSON.parse(text(bytes)) : undefined;
  } catch {
    return undefined;
  }
}

/** The hub's `{error: {code, message, …}}`, read leniently: whatever answered (a proxy's HTML page) still becomes one error. */
function refusal(res: Response, bytes: Uint8Array): HubClientError {
  const e = (parseJson(bytes) as { error?: Record<string, unknown> } | undefined)?.error;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const header = Number(res.headers.get('retry-after'));
  const retryAfterSec = num(e?.retryAfterSec) ?? (res.status === 429 && Number.isFinite(header) && header >= 0 ? header : undefined);
  const details = Array.isArray(e?.details) ? (e.details as Array<{ path: string; message: string }>) : undefined;
  return new HubClientError(res.status, str(e?.code) ?? 'http_error', (str(e?.message) ?? `the hub answered ${res.status}`).slice(0, 500), {
    ...(details ? { details } : {}),
    ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
    ...(num(e?.horizon) !== undefined ? { horizon: num(e?.horizon)! } : {}),
  });
}

function noAnswer(err: unknown, signal: AbortSignal | undefined, origin: string): HubClientError {
  if (err instanceof HubClientError) return err;
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (signal?.aborted || e.name === 'AbortError' || e.name === 'TimeoutError') {
    const timeout = e.name === 'TimeoutError' || (signal?.reason as Error | undefined)?.name === 'TimeoutError';
    return new HubClientError(0, timeout ? 'timeout' : 'aborted', timeout ? `no answer from the hub at ${origin} in time` : 'the call was cancelled');
  }
  return new HubClientError(0, 'unreachable', `cannot reach the hub at ${origin}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
}

export function createHubClient(options: HubClientOptions): HubClient {
  const base = baseOf(options.baseUrl);
  const max = options.maxResponseBytes ?? 8 * 1024 * 1024;

  async function call(id: string, o: { params?: unknown; query?: unknown; body?: unknown; headers?: Record<string, string | undefined>; signal?: AbortSignal } = {}): Promise<unknown> {
    const spec = routeOf(id);
    const path = hubPath(id as HubRouteId, o.params as never, o.query as never);
    if (spec.body) check(spec.body, o.body, id, 'body');
    else if (o.body !== undefined) throw new HubClientError(0, 'bad_request', `${id} takes no body`);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers?.() };
    for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers[k] = v;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const fetchImpl = options.fetch ?? globalThis.fetch;
    try {
      const res = await fetchImpl(new URL(path, base), {
        method: spec.method,
        headers,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        redirect: 'error',
      });
      const declared = res.status < 400 ? spec.responses[res.status] : undefined;
      if (!declared) {
        const bytes = await readCapped(res, 64 * 1024, 'an error answer').catch(() => new Uint8Array(0));
        if (res.status >= 400) throw refusal(res, bytes);
        throw new HubClientError(res.status, 'bad_response', `${id}: the hub answered ${res.status}, which this route does not declare`);
      }
      const bytes = await readCapped(res, max, `the answer to ${id}`);
      if (declared.kind === 'empty') return null;
      if (declared.kind === 'binary') return bytes;
      const body = parseJson(bytes);
      const parsed = declared.schema.safeParse(body);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0]!;
      throw new HubClientError(res.status, 'bad_response', `${id}: the hub's answer does not match the route table (${issue.path.map(String).join('.') || 'body'}: ${issue.message})`);
    } catch (err) {
      throw noAnswer(err, o.signal, base.origin);
    }
  }
  return { call } as HubClient;
}
