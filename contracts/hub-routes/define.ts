// The shape of one hub route, declared once (contracts/hub-routes/<area>.ts) and read by three ends:
// the server registers and authorises it (hub/server/routes/), OpenAPI and docs/hub-api.md are
// generated from it (hub/server/openapi.ts), and the typed client calls it (contracts/hub-client.ts).
// The pattern is contracts/kiosk-api.ts (KIOSK_METHODS). Runtime-neutral: zod only.
import type { z } from 'zod';

// ---- who may call a route ----------------------------------------------------------------------

/** Roles of people (console users, personal API tokens; today the shared admin token is `admin`). */
export const HUB_ROLES = ['admin', 'editor', 'agent', 'branch-manager'] as const;
export type HubRole = (typeof HUB_ROLES)[number];

/**
 * public: anyone · kiosk: a kiosk's device token · user: a person whose role is listed (console
 * session, personal token, or the shared admin token, which authenticates as role `admin`).
 */
export type RouteAuth = { kind: 'public' } | { kind: 'kiosk' } | { kind: 'user'; roles: readonly HubRole[] };

export const PUBLIC = { kind: 'public' } as const;
export const KIOSK = { kind: 'kiosk' } as const;
export function users<const R extends readonly [HubRole, ...HubRole[]]>(...roles: R): { kind: 'user'; roles: R } {
  return { kind: 'user', roles };
}
/** Anyone signed in, whatever the role (their own session, their own tokens). */
export const ANY_USER = users(...HUB_ROLES);
/** Every admin API route of today: central IT only. */
export const ADMIN = users('admin');

// ---- what a route answers ----------------------------------------------------------------------

/** A JSON body checked by `schema` (by the client always, by the server in tests). */
export interface JsonBody<S extends z.ZodType = z.ZodType> {
  readonly kind: 'json';
  readonly schema: S;
  readonly description: string;
}
/** No body (304). */
export interface NoBody {
  readonly kind: 'empty';
  readonly description: string;
}
/** Bytes of the content's own media type (blobs, 200 and 206; a CSV export; an HTML page). */
export interface BinaryBody {
  readonly kind: 'binary';
  readonly description: string;
  /** For OpenAPI; default application/octet-stream. */
  readonly mediaType?: string;
}
export type ResponseSpec = JsonBody | NoBody | BinaryBody;

export const json = <S extends z.ZodType>(schema: S, description: string): JsonBody<S> => ({ kind: 'json', schema, description });
export const noBody = (description: string): NoBody => ({ kind: 'empty', description });
export const binary = (description: string, mediaType?: string): BinaryBody => ({ kind: 'binary', description, ...(mediaType ? { mediaType } : {}) });

// ---- the route ---------------------------------------------------------------------------------

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Fastify syntax: `/v1/customer/orders/:id`; every `:name` is a key of `params`. */
  readonly path: `/${string}`;
  readonly auth: RouteAuth;
  readonly summary: string;
  /** Path parameters, validated before the handler runs (400 `bad_request` naming the field). */
  readonly params?: z.ZodObject;
  /** The query string (strings on the wire: coerce numbers). Absent: the query is not read. */
  readonly query?: z.ZodType;
  /** The JSON body. Absent: the body is not read. */
  readonly body?: z.ZodType;
  /** Headers the handler reads. Documented and typed for the client; the handler reads them
   *  tolerantly itself (a hostile status header must never fail a kiosk's poll), so they are not
   *  validated by the route helper. */
  readonly headers?: z.ZodObject;
  /** Answers that are not errors, by status; the lowest is the default status of the handler. */
  readonly responses: { readonly [status: number]: ResponseSpec };
  /** Errors this route may answer besides the common ones (400, 401, 403, 413, 415, 429, 500), with
   *  their meaning; each has the error body `{error: {code, message, …}}` (HubErrorBody). */
  readonly errors?: { readonly [status: number]: string };
  /** How a 400 for a bad request starts ('bad refund request'); per part where they differ. */
  readonly invalid?: string | { readonly params?: string; readonly query?: string; readonly body?: string };
  /** false: not counted by the rate limit (liveness probes). */
  readonly rateLimit?: false;
}

/** Declares one route; the literal type is kept so handlers and the client are typed from it. */
export const route = <const R extends RouteSpec>(spec: R): R => spec;

// ---- types derived from a route ----------------------------------------------------------------

type Out<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;
type In<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? z.input<S> : undefined;

/** What the handler gets after validation. */
export type RouteParams<R> = Out<R, 'params'>;
export type RouteQuery<R> = Out<R, 'query'>;
export type RouteBody<R> = Out<R, 'body'>;
/** What a caller passes (before coercion and defaults). */
export type RouteParamsInput<R> = In<R, 'params'>;
export type RouteQueryInput<R> = In<R, 'query'>;
export type RouteBodyInput<R> = In<R, 'body'>;
export type RouteHeadersInput<R> = In<R, 'headers'>;

type BodyOf<S, io extends 'in' | 'out'> = S extends JsonBody<infer Z> ? (io extends 'in' ? z.input<Z> : z.output<Z>) : S extends BinaryBody ? Uint8Array : null;
/** The body of any non-error answer of the route, as parsed by the client. */
export type RouteResult<R> = R extends { readonly responses: infer Rs } ? { [K in keyof Rs]: BodyOf<Rs[K], 'out'> }[keyof Rs] : never;
/** What a handler may return for a JSON answer (before the client's parsing). */
export type RouteReply<R> = R extends { readonly responses: infer Rs } ? { [K in keyof Rs]: Rs[K] extends JsonBody ? BodyOf<Rs[K], 'in'> : never }[keyof Rs] : never;

/** `/v1/orders/:id` → `/v1/orders/{id}` (OpenAPI and docs). */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The `:name` parameters of a path, in order. */
export const pathParams = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

/** The first status a handler answers with unless it says otherwise (201 for a create). */
export function defaultStatus(spec: RouteSpec): number {
  return Math.min(...Object.keys(spec.responses).map(Number));
}

/** Statuses every route of this kind may answer with, and why; the rest are in `errors`. */
export function commonErrors(spec: RouteSpec): Record<number, string> {
  // Fastify parses a body on any method but GET (a route that ignores it still refuses bad JSON).
  const hasBody = spec.method !== 'GET';
  const out: Record<number, string> = {};
  if (hasBody || spec.params !== undefined || spec.query !== undefined) out[400] = 'invalid request (details name each bad field), or malformed JSON';
  if (spec.auth.kind !== 'public') {
    out[401] = 'missing, unknown or revoked credentials';
    out[403] = 'authenticated, but not allowed to use this route';
  }
  if (hasBody) {
    out[413] = 'body too large';
    out[415] = 'unsupported media type (send application/json)';
  }
  if (spec.rateLimit !== false) out[429] = 'rate limited, or too many failed authentications';
  out[500] = 'internal error (details only in the hub log)';
  return out;
}
