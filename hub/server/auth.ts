// Who is asking, and may they: one onRequest hook per route, built from the route's `auth` in the
// table (contracts/hub-routes/define.ts) — never checked by hand inside a handler.
//   kiosk: a kiosk's device token (Authorization: Bearer).
//   user:  a person whose role is listed; people are found by the UserAuthenticators in order (the
//          shared admin token is built in; console sessions and personal tokens plug in the same way).
// Failures: 401 without (valid) credentials, 403 with credentials of the wrong kind or role; every
// failure counts towards the per-address limit (auth-failures.ts).
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { HubRole, RouteAuth } from '../../contracts/hub-routes/index.ts';
import type { AuthFailures } from './auth-failures.ts';
import { HttpError } from './errors.ts';
import { tokenHash } from '../fleet/kiosks.ts';
import type { TokenLookup } from './tokens.ts';
import type { UserPrincipal } from '../auth/principal.ts';
import { scopeAllows } from '../accounts/tokens.ts';

export interface KioskPrincipal {
  kind: 'kiosk';
  id: string;
  branch: string | null;
}
export type { UserPrincipal };
export type RequestPrincipal = KioskPrincipal | UserPrincipal;

/** Finds the person behind a request (a session cookie, a token …), or null when it is not theirs
 *  to say. May throw an HttpError (e.g. 403 for a cookie request without its CSRF token). */
export type UserAuthenticator = (req: FastifyRequest) => Promise<UserPrincipal | null>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route's auth hook; null on public routes. */
    principal: RequestPrincipal | null;
    /** sha256 of the bearer token, when one was sent (the rate limit's key). */
    tokenHash: string | null;
    /** On a user route: the person found, whether allowed or not (the audit names them on a refusal too). */
    caller: UserPrincipal | null;
  }
}

export interface AuthDeps {
  tokens: TokenLookup;
  users: readonly UserAuthenticator[];
  failures: AuthFailures;
}

/** Global onRequest hook: hashes a bearer token once per request (auth and rate limit use it). */
export async function hashBearerToken(req: FastifyRequest): Promise<void> {
  const h = req.headers.authorization;
  if (h && h.startsWith('Bearer ') && h.length < 300) req.tokenHash = tokenHash(h.slice(7).trim());
}

async function userOf(req: FastifyRequest, deps: AuthDeps): Promise<UserPrincipal | null> {
  for (const authenticate of deps.users) {
    const user = await authenticate(req);
    if (user) return user;
  }
  return null;
}

const needs = (roles: readonly HubRole[]) => (roles.length === 1 && roles[0] === 'admin' ? 'an admin token' : `a user with role ${roles.join(' or ')}`);

/** The route's onRequest hook for its `auth`, or null for a public route. */
export function authHook(auth: RouteAuth, deps: AuthDeps, routeId: string): onRequestAsyncHookHandler | null {
  if (auth.kind === 'public') return null;
  const refuse = (req: FastifyRequest, err: HttpError): never => {
    deps.failures.note(req.ip);
    throw err;
  };
  const unknown = (req: FastifyRequest) =>
    refuse(req, req.tokenHash ? new HttpError(401, 'unauthorized', 'unknown or revoked token') : new HttpError(401, 'unauthorized', 'missing bearer token (Authorization: Bearer <token>)'));

  if (auth.kind === 'kiosk') {
    return async (req) => {
      deps.failures.refuseIfBlocked(req.ip);
      const kiosk = req.tokenHash ? await deps.tokens.kiosk(req.tokenHash) : null;
      if (kiosk) {
        req.principal = kiosk;
        return;
      }
      if (await userOf(req, deps)) refuse(req, new HttpError(403, 'forbidden', 'this endpoint needs a kiosk token'));
      unknown(req);
    };
  }
  const roles = auth.roles;
  return async (req) => {
    deps.failures.refuseIfBlocked(req.ip);
    const user = await userOf(req, deps);
    req.caller = user;
    if (user && roles.includes(user.role)) {
      // A personal token acts within its scopes only, never beyond its owner's role.
      if (user.scopes && !scopeAllows(user.scopes, routeId, req.method)) refuse(req, new HttpError(403, 'forbidden', `this token's scopes do not cover ${routeId}`));
      req.principal = user;
      return;
    }
    if (user) refuse(req, new HttpError(403, 'forbidden', `this endpoint needs ${needs(roles)} (your role: ${user.role})`));
    if (req.tokenHash && (await deps.tokens.kiosk(req.tokenHash))) refuse(req, new HttpError(403, 'forbidden', `this endpoint needs ${needs(roles)}`));
    unknown(req);
  };
}
