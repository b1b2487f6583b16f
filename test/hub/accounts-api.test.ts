// The auth, users, tokens and audit routes over HTTP (real Fastify on loopback, SQLite file and
// PostgreSQL schema): cookie flags, CSRF, lockout as 429 with Retry-After, disabling ends
// sessions, personal tokens and their scopes, the deprecated admin token, the audit log's filters
// and CSV export, hostile input.
import { afterEach, describe, expect, it } from 'vitest';
import type { UserInfo } from '../../contracts/accounts.ts';
import { SessionInfo } from '../../contracts/accounts.ts';
import { createUser } from '../../hub/accounts/users.ts';
import { api, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();
const PASS = 'correct horse battery';

let t: TestHub | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A console user: the session cookie and CSRF token from a real login. */
interface Browser {
  cookie: string;
  csrf: string;
  setCookie: string;
}

async function login(t: TestHub, username: string, password = PASS): Promise<Browser> {
  const r = await api(t, '/v1/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
  expect(r.status, r.text).toBe(200);
  const setCookie = r.headers.get('set-cookie') ?? '';
  const session = SessionInfo.parse(r.json);
  return { cookie: setCookie.split(';')[0]!, csrf: session.csrfToken, setCookie };
}

const as = (b: Browser, csrf = true) => ({ cookie: b.cookie, ...(csrf ? { 'x-csrf-token': b.csrf } : {}) });

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`accounts API on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    it('logs in with a Secure, httpOnly, SameSite=Strict cookie; me returns the same CSRF token; logout ends it', async () => {
      t = await startHub(backend);
      await createUser(t.hub, { name: 'ada', role: 'admin', password: PASS });
      const b = await login(t, 'ada');
      expect(b.setCookie).toMatch(/^hub_session=[\w-]{43}; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
      const me = await api(t, '/v1/auth/me', { headers: { cookie: b.cookie } });
      expect(me.status).toBe(200);
      expect(SessionInfo.parse(me.json)).toMatchObject({ user: { name: 'ada', role: 'admin', branch: null }, csrfToken: b.csrf });
      expect((await api(t, '/v1/auth/me')).status).toBe(401);
      expect((await api(t, '/v1/auth/config')).json).toEqual({ sso: null });

      expect((await api(t, '/v1/auth/logout', { method: 'POST', headers: as(b, false) })).json).toMatchObject({ error: { code: 'csrf' } });
      const out = await api(t, '/v1/auth/logout', { method: 'POST', headers: as(b) });
      expect(out.status).toBe(200);
      expect(out.headers.get('set-cookie')).toMatch(/^hub_session=; Max-Age=0/);
      expect((await api(t, '/v1/auth/me', { headers: { cookie: b.cookie } })).status).toBe(401);
      expect((await api(t, '/v1/users', { headers: as(b) })).status).toBe(401);
    });

    it('refuses bad and hostile login bodies with 400, a wrong password with 401, and locks with 429 + Retry-After', async () => {
      t = await startHub(backend);
      await createUser(t.hub, { name: 'ada', role: 'admin', password: PASS });
      const post = (body: string) => api(t!, '/v1/auth/login', { method: 'POST', body });
      for (const body of ['{"username":"ada"', JSON.stringify({ username: 'ada' }), JSON.stringify({ username: 'x'.repeat(10_000), password: 'p' }), JSON.stringify({ username: 'ada', password: PASS, admin: true }), '[]']) {
        const r = await post(body);
        expect(r.status, body.slice(0, 40)).toBe(400);
        expect(r.text).not.toContain(PASS);
      }
      const wrong: number[] = [];
      for (let i = 0; i < 5; i++) wrong.push((await post(JSON.stringify({ username: 'ada', password: 'wrong password' }))).status);
      expect(wrong).toEqual([401, 401, 401, 401, 429]);
      const locked = await post(JSON.stringify({ username: 'ada', password: PASS }));
      expect(locked.status).toBe(429);
      expect(locked.json).toMatchObject({ error: { code: 'locked', retryAfterSec: expect.any(Number) } });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      // The admin sees the lock, lifts it with a new password, and the account signs in again.
      const users = (await api(t, '/v1/users', { token: t.adminToken })).json as { users: UserInfo[] };
      expect(users.users[0]!.lockedUntil).not.toBeNull();
      expect((await api(t, '/v1/users/ada/password', { method: 'PUT', token: t.adminToken, body: JSON.stringify({ password: 'new passphrase 42' }) })).status).toBe(200);
      await login(t, 'ada', 'new passphrase 42');
      const audit = (await api(t, '/v1/audit?action=auth.login&limit=20', { token: t.adminToken })).json as { entries: Array<{ result: string }> };
      expect(audit.entries.map((e) => e.result)).toEqual(['ok', 'locked', 'locked', 'failed', 'failed', 'failed', 'failed']);
    });

    it('manages accounts: CSRF on every change, branch rule, disabling ends the account’s sessions at once', async () => {
      t = await startHub(backend);
      await createUser(t.hub, { name: 'ada', role: 'admin', password: PASS });
      const ada = await login(t, 'ada');
      const create = (body: object, headers = as(ada)) => api(t!, '/v1/users', { method: 'POST', headers, body: JSON.stringify(body) });
      const bobBody = { name: 'bob', role: 'branch-manager', branch: 'b1', password: PASS };
      expect((await create(bobBody, as(ada, false))).status).toBe(403);
      expect((await create(bobBody, { ...as(ada, false), 'x-csrf-token': ada.csrf.slice(0, -1) + 'A' })).status).toBe(403);
      const bm = await create({ ...bobBody, branch: undefined });
      expect(bm.status).toBe(400);
      expect(bm.json).toMatchObject({ error: { details: [{ path: 'branch', message: 'a branch manager needs a branch' }] } });
      for (const name of ['<script>', 'a b', '../x', '']) expect((await create({ ...bobBody, name })).status, name).toBe(400);
      expect((await create({ ...bobBody, branch: '<img src=x>' })).status).toBe(400);
      expect((await create({ ...bobBody, password: 'short' })).json).toMatchObject({ error: { message: expect.stringMatching(/at least 10/) } });
      const created = await create(bobBody);
      expect(created.status).toBe(201);
      expect(created.text).not.toContain(PASS);
      expect((await create(bobBody)).status).toBe(409);

      const bob = await login(t, 'bob');
      expect((await api(t, '/v1/auth/me', { headers: { cookie: bob.cookie } })).json).toMatchObject({ user: { role: 'branch-manager', branch: 'b1' } });
      expect((await api(t, '/v1/users', { headers: as(bob) })).status).toBe(403);
      const disable = await api(t, '/v1/users/bob', { method: 'PATCH', headers: as(ada), body: JSON.stringify({ disabled: true }) });
      expect(disable.status, disable.text).toBe(200);
      expect((await api(t, '/v1/auth/me', { headers: { cookie: bob.cookie } })).status).toBe(401);
      expect((await api(t, '/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: 'bob', password: PASS }) })).status).toBe(401);
      // The last admin cannot lock everyone out.
      expect((await api(t, '/v1/users/ada', { method: 'PATCH', headers: as(ada), body: JSON.stringify({ role: 'editor' }) })).status).toBe(409);

      const entries = ((await api(t, '/v1/audit?actor=ada&action=users.*', { headers: as(ada) })).json as { entries: Array<{ action: string; target: string; result: string; detail: string | null }> }).entries;
      expect(entries.map((e) => [e.action, e.target, e.result])).toEqual([
        ['users.update', 'ada', 'failed'],
        ['users.update', 'bob', 'ok'],
        ['users.create', 'bob', 'failed'],
        ['users.create', 'bob', 'ok'],
        // refused by the schema before the handler names a target
        ...Array.from({ length: 7 }, () => ['users.create', null, 'failed']),
        ['users.create', null, 'denied'],
        ['users.create', null, 'denied'],
      ]);
      expect(JSON.stringify(entries)).not.toContain(PASS);
    });

    it('personal tokens: shown once, act as their owner within their scopes, revoked at once; the shared admin token is deprecated', async () => {
      const deprecated: string[] = [];
      t = await startHub(backend, { onDeprecated: (m) => deprecated.push(m) });
      await createUser(t.hub, { name: 'ada', role: 'admin', password: PASS });
      const ada = await login(t, 'ada');
      const mint = (body: object, headers: Record<string, string>) => api(t!, '/v1/tokens', { method: 'POST', headers, body: JSON.stringify(body) });
      const full = await mint({ name: 'deploy', scopes: ['*'] }, as(ada));
      expect(full.status, full.text).toBe(201);
      const { token, info } = full.json as { token: string; info: { id: string } };
      const reader = ((await mint({ name: 'report', scopes: ['*:read'], expiresInDays: 1 }, as(ada))).json as { token: string }).token;
      expect((await mint({ name: 'x', scopes: ['DROP TABLE'] }, as(ada))).status).toBe(400);
      expect((await mint({ name: 'x', scopes: ['*'], expiresInDays: 366 }, as(ada))).status).toBe(400);

      const list = await api(t, '/v1/tokens', { headers: as(ada) });
      expect(list.text).not.toContain(token);
      expect((list.json as { tokens: unknown[] }).tokens).toHaveLength(2);
      expect((await api(t, '/v1/users', { token })).status).toBe(200);
      expect((await api(t, '/v1/users', { token: reader })).status).toBe(200);
      expect((await api(t, '/v1/admin/kiosks', { method: 'POST', token: reader, body: JSON.stringify({ name: 'k1' }) })).json).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/scopes do not cover admin.kiosks.create/) } });
      // A read-only token cannot mint a wider one; a full one can mint within itself, no CSRF needed.
      expect((await mint({ name: 'wider', scopes: ['*'] }, { authorization: `Bearer ${reader}` })).status).toBe(403);
      expect((await mint({ name: 'child', scopes: ['admin.kiosks.*'] }, { authorization: `Bearer ${token}` })).status).toBe(201);

      expect((await api(t, `/v1/tokens/${info.id}`, { method: 'DELETE', headers: as(ada) })).status).toBe(200);
      expect((await api(t, '/v1/users', { token })).status).toBe(401);

      // The shared admin token: still role admin, each use reported, audited as deprecated; it owns no tokens.
      expect((await api(t, '/v1/admin/kiosks', { method: 'POST', token: t.adminToken, body: JSON.stringify({ name: 'k2' }) })).status).toBe(201);
      expect((await mint({ name: 'x', scopes: ['*'] }, { authorization: `Bearer ${t.adminToken}` })).json).toMatchObject({ error: { message: expect.stringMatching(/no account/) } });
      expect(deprecated.length).toBe(2);
      expect(deprecated[0]).toMatch(/deprecated: the shared admin token was used \(POST \/v1\/admin\/kiosks\)/);
      const audit = ((await api(t, '/v1/audit?action=admin.kiosks.create', { token: reader })).json as { entries: Array<{ actorId: string; detail: string; result: string }> }).entries;
      expect(audit.map((e) => [e.actorId, e.result, e.detail])).toEqual([
        ['hub-admin', 'ok', 'shared admin token (deprecated)'],
        [expect.any(String), 'denied', 'personal token'],
      ]);
    });

    it('lists the audit log with filters and exports it as formula-safe CSV', async () => {
      t = await startHub(backend);
      await createUser(t.hub, { name: 'ada', role: 'admin', password: PASS });
      const ada = await login(t, 'ada');
      // Hostile text reaches the log through the name of a failed login.
      await api(t, '/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: '=HYPERLINK("http://evil")', password: 'x' }) });
      await api(t, '/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: '@SUM(1)', password: 'x' }) });
      const list = (q: string) => api(t!, `/v1/audit${q}`, { headers: as(ada) });
      expect(((await list('?result=failed')).json as { entries: unknown[] }).entries).toHaveLength(2);
      expect(((await list('?actor=ada')).json as { entries: unknown[] }).entries).toHaveLength(1);
      expect(((await list(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json as { entries: unknown[] }).entries).toHaveLength(0);
      for (const q of ['?limit=0', '?limit=abc', '?result=maybe', '?from=yesterday', '?secret=1']) expect((await list(q)).status, q).toBe(400);

      const csv = await api(t, '/v1/audit.csv?action=auth.login', { headers: as(ada) });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d\d-\d\d\.csv"$/);
      const rows = csv.text.trimEnd().split('\r\n');
      expect(rows).toHaveLength(4);
      expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(csv.text).toContain(`"'@SUM(1)"`);
      expect(csv.text).not.toMatch(/(^|,)"[=+@-]/m);
    });
  });
}
