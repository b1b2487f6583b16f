// The authorisation walk: every `user` route of HUB_ROUTES × every kind of caller, derived from
// the table (a route added tomorrow is walked without touching this file). A caller the route
// allows must get past auth — its answer is the handler's (2xx, or its own 4xx for the dummy
// request) — and every other caller gets exactly 401 (no valid credentials) or 403 (wrong kind,
// role, scope or a missing CSRF token). Every state-changing request is in the audit log under the
// route's id: allowed ones with their outcome, refused ones as `denied`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ROLES, HUB_ROUTES, type HubRole, type RouteSpec } from '../../contracts/hub-routes/index.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../contracts/accounts.ts';
import { createSession, csrfTokenFor, DEFAULT_SESSION_POLICY } from '../../hub/accounts/sessions.ts';
import { createToken } from '../../hub/accounts/tokens.ts';
import { createUser, disableUser } from '../../hub/accounts/users.ts';
import { scopeAllows } from '../../hub/accounts/tokens.ts';
import { listAudit } from '../../hub/audit/audit-log.ts';
import { postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();
const USER_ROUTES = Object.entries(HUB_ROUTES as Record<string, RouteSpec>).filter(([, r]) => r.auth.kind === 'user');
const SAFE = new Set(['GET', 'HEAD']);

/** Who calls, how, and whether the table says they may call route `id`. */
interface Caller {
  label: string;
  /** Headers for one request (a fresh console session each time where it matters: logout ends one). */
  headers(): Promise<Record<string, string>>;
  allowed(id: string, r: RouteSpec): boolean;
  /** The status when not allowed. */
  refused: 401 | 403;
}

const rolesOf = (r: RouteSpec): readonly HubRole[] => (r.auth.kind === 'user' ? r.auth.roles : []);

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`authorisation walk over every user route on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    let t: TestHub;
    const callers: Caller[] = [];

    beforeAll(async () => {
      // Hundreds of deliberate refusals from one address: lift the per-address failure limit.
      t = await startHub(backend, { authFailuresPerMinute: 1_000_000 });
      const user = async (name: string, role: HubRole) => {
        const info = await createUser(t.hub, { name, role, branch: role === 'branch-manager' ? 'b1' : null, password: 'walk-password-123' });
        return (await t.hub.db.selectFrom('users').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow());
      };
      const sessionHeaders = async (row: Awaited<ReturnType<typeof user>>, csrf = true) => {
        const { secret } = await createSession(t.hub.db, row, 'password', '127.0.0.1', DEFAULT_SESSION_POLICY, Date.now());
        return { cookie: `${SESSION_COOKIE}=${secret}`, ...(csrf ? { [CSRF_HEADER]: csrfTokenFor(secret) } : {}) };
      };
      const bearer = (token: string) => async () => ({ authorization: `Bearer ${token}` });

      for (const role of HUB_ROLES) {
        const row = await user(`walk-${role}`, role);
        callers.push({ label: `${role} (console session)`, headers: () => sessionHeaders(row), allowed: (_id, r) => rolesOf(r).includes(role), refused: 403 });
        const { token } = await createToken(t.hub.db, row.id, { name: 'walk', scopes: ['*'] }, Date.now());
        callers.push({ label: `${role} (personal token *)`, headers: bearer(token), allowed: (_id, r) => rolesOf(r).includes(role), refused: 403 });
      }
      const admin = await user('walk-admin-2', 'admin');
      callers.push({
        label: 'admin (console session without CSRF token)',
        headers: () => sessionHeaders(admin, false),
        allowed: (_id, r) => SAFE.has(r.method) && rolesOf(r).includes('admin'),
        refused: 403,
      });
      for (const scopes of [['tokens.*'], ['*:read'], ['users.list', 'audit.*']]) {
        const { token } = await createToken(t.hub.db, admin.id, { name: 'narrow', scopes }, Date.now());
        callers.push({ label: `admin (token scoped ${scopes.join(' ')})`, headers: bearer(token), allowed: (id, r) => rolesOf(r).includes('admin') && scopeAllows(scopes, id, r.method), refused: 403 });
      }
      callers.push({ label: 'shared admin token (deprecated)', headers: bearer(t.adminToken), allowed: (_id, r) => rolesOf(r).includes('admin'), refused: 403 });
      callers.push({ label: 'no credentials', headers: async () => ({}), allowed: () => false, refused: 401 });
      callers.push({ label: 'unknown bearer token', headers: bearer('lkp_' + 'x'.repeat(43)), allowed: () => false, refused: 401 });
      const kiosk = await t.addKiosk('walk-kiosk', 'b1');
      callers.push({ label: 'kiosk token', headers: bearer(kiosk.token), allowed: () => false, refused: 403 });

      const gone = await user('walk-disabled', 'admin');
      const goneSession = await sessionHeaders(gone);
      const { token: goneToken } = await createToken(t.hub.db, gone.id, { name: 'walk', scopes: ['*'] }, Date.now());
      await disableUser(t.hub, 'walk-disabled');
      callers.push({ label: 'disabled admin (session)', headers: async () => goneSession, allowed: () => false, refused: 401 });
      callers.push({ label: 'disabled admin (token)', headers: bearer(goneToken), allowed: () => false, refused: 401 });
    }, 60_000);
    afterAll(async () => {
      await t?.close();
    });

    it('walks a table with user routes of every kind', () => {
      expect(USER_ROUTES.length).toBeGreaterThan(15);
      expect(USER_ROUTES.some(([, r]) => r.method === 'GET') && USER_ROUTES.some(([, r]) => r.method !== 'GET')).toBe(true);
      for (const role of HUB_ROLES) expect(USER_ROUTES.some(([, r]) => rolesOf(r).includes(role)), role).toBe(true);
    });

    it('lets exactly the allowed callers past auth, refuses the rest with 401 or 403, and audits every state-changing call', async () => {
      const wrong: string[] = [];
      const audited: Array<{ id: string; allowed: boolean; label: string }> = [];
      for (const [id, r] of USER_ROUTES) {
        const path = r.path.replace(/:([A-Za-z0-9_]+)/g, 'walk-dummy');
        for (const caller of callers) {
          const headers: Record<string, string> = { ...(await caller.headers()) };
          const hasBody = r.method !== 'GET';
          if (hasBody) headers['content-type'] = 'application/json';
          const res = await fetch(new URL(path, t.url), { method: r.method, headers, ...(hasBody ? { body: '{}' } : {}), signal: AbortSignal.timeout(10_000) });
          const status = res.status;
          const text = res.headers.get('content-type')?.includes('event-stream') ? '' : await res.text();
          await res.body?.cancel().catch(() => {});
          const allowed = caller.allowed(id, r);
          const ok = allowed ? status !== 401 && status !== 403 && status < 500 : status === caller.refused;
          if (!ok) wrong.push(`${r.method} ${r.path} (${id}) as ${caller.label}: ${status} ${text.slice(0, 160)}; expected ${allowed ? 'past auth' : caller.refused}`);
          if (!SAFE.has(r.method) && (allowed || caller.refused === 403) && caller.label !== 'kiosk token') audited.push({ id, allowed, label: caller.label });
        }
      }
      expect(wrong).toEqual([]);

      const entries = await listAudit(t.hub.db, { limit: 1000, action: undefined });
      for (const id of new Set(audited.map((a) => a.id))) {
        const mine = entries.filter((e) => e.action === id);
        const expectAllowed = audited.filter((a) => a.id === id && a.allowed).length;
        const expectDenied = audited.filter((a) => a.id === id && !a.allowed).length;
        expect(mine.filter((e) => e.result !== 'denied').length, `${id}: audited calls that passed auth`).toBe(expectAllowed);
        expect(mine.filter((e) => e.result === 'denied').length, `${id}: audited refusals`).toBe(expectDenied);
        expect(mine.every((e) => e.actorKind === 'user' && e.address && e.status), id).toBe(true);
      }
      // Reading is not audited.
      expect(entries.filter((e) => USER_ROUTES.some(([id, r]) => id === e.action && SAFE.has(r.method)))).toEqual([]);
    }, 300_000);
  });
}
