// People behind a request, for the route table's `user` routes (hub/server/auth.ts tries these in
// order): a personal API token (Authorization: Bearer lkp_…), then the console's session cookie.
// A cookie-authenticated request that changes something must carry the session's CSRF token in
// x-csrf-token: a page on another site can make the browser send the cookie, never the token.
import type {} from '@fastify/cookie'; // its types add req.cookies / reply.setCookie
import type { FastifyRequest } from 'fastify';
import { CSRF_HEADER, SESSION_COOKIE } from '../../contracts/accounts.ts';
import type { UserPrincipal } from './principal.ts';
import type { HubDb } from '../db/open.ts';
import type { UsersTable } from '../db/schema.ts';
import { AccountError } from '../accounts/errors.ts';
import { csrfMatches, resolveSession, type ActiveSession, type SessionPolicy } from '../accounts/sessions.ts';
import { resolveToken } from '../accounts/tokens.ts';


const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const personOf = (u: UsersTable, extra: Pick<UserPrincipal, 'via' | 'scopes' | 'sessionId'>): UserPrincipal => ({
  kind: 'user',
  id: u.id,
  name: u.name,
  role: u.role,
  branch: u.branch,
  ...extra,
});

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h && h.startsWith('Bearer ') && h.length < 300 ? h.slice(7).trim() : null;
}

export function personalTokenAuthenticator(hub: HubDb, now: () => number = Date.now) {
  return async (req: FastifyRequest): Promise<UserPrincipal | null> => {
    const token = bearerToken(req);
    if (!token) return null;
    const found = await resolveToken(hub.db, token, now());
    return found ? personOf(found.user, { via: 'token', scopes: found.scopes }) : null;
  };
}

/**
 * The shared admin token (hub/server/tokens.ts) still signs in as `admin` for one release; each
 * use is reported as deprecated and audited as such (personal tokens replace it).
 */
export function legacyAdminToken(inner: (req: FastifyRequest) => Promise<UserPrincipal | null>, report: (message: string) => void) {
  return async (req: FastifyRequest): Promise<UserPrincipal | null> => {
    const p = await inner(req);
    if (!p) return null;
    report(`deprecated: the shared admin token was used (${req.method} ${req.url.split('?')[0]}); create a personal API token (POST /v1/tokens) instead`);
    return { ...p, via: 'admin-token' };
  };
}

export function sessionCookieOf(req: FastifyRequest): string | null {
  const v = (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
  return v && v.length <= 100 ? v : null;
}

/** The live session of the request's cookie, or null (no cookie, unknown, expired, ended). */
export async function sessionOf(hub: HubDb, req: FastifyRequest, policy: SessionPolicy, now: number): Promise<{ secret: string; session: ActiveSession } | null> {
  const secret = sessionCookieOf(req);
  if (!secret) return null;
  const session = await resolveSession(hub.db, secret, policy, now);
  return session ? { secret, session } : null;
}

export function sessionAuthenticator(hub: HubDb, policy: SessionPolicy, now: () => number = Date.now) {
  return async (req: FastifyRequest): Promise<UserPrincipal | null> => {
    // A request with a bearer token is not a cookie request, whatever cookies come along.
    if (bearerToken(req)) return null;
    const found = await sessionOf(hub, req, policy, now());
    if (!found) return null;
    const person = personOf(found.session.user, { via: 'session', sessionId: found.session.id });
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      if (!csrfMatches(found.secret, typeof given === 'string' ? given : undefined)) {
        req.caller = person; // the refusal is audited under their name
        throw new AccountError(403, 'csrf', `missing or wrong ${CSRF_HEADER} header (from the login response or GET /v1/auth/me)`);
      }
    }
    return person;
  };
}
