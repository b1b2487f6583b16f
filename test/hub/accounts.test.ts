// Accounts, password login with lockout, sessions, personal tokens and the audit log against a real
// SQLite file and a real PostgreSQL schema. Two HubDb connections to one database stand in for two
// hub replicas: the lockout count is shared, so attempts spread over replicas still lock.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { AccountError } from '../../hub/accounts/errors.ts';
import { passwordLogin, type LoginOptions } from '../../hub/accounts/login.ts';
import { csrfMatches, csrfTokenFor, DEFAULT_SESSION_POLICY, endSession, resolveSession } from '../../hub/accounts/sessions.ts';
import { createToken, resolveToken, revokeToken, scopeAllows, listTokens } from '../../hub/accounts/tokens.ts';
import { createUser, disableUser, getUser, listUsers, resetPassword, updateUser } from '../../hub/accounts/users.ts';
import { appendAudit, auditCsv, csvCell, listAudit } from '../../hub/audit/audit-log.ts';
import { HubDb } from '../../hub/db/open.ts';
import { freshDbSpec, postgresUnavailable, type BackendName } from './harness.ts';

const pgSkip = await postgresUnavailable();
const PASS = 'correct horse battery';
const MIN = 60_000;

const open: HubDb[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function rejection(p: Promise<unknown>): Promise<AccountError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AccountError);
  return err as AccountError;
}

describe('token scopes', () => {
  it('match a route id, a prefix, everything, and read-only variants', () => {
    expect(scopeAllows(['admin.kiosks.*'], 'admin.kiosks.create', 'POST')).toBe(true);
    expect(scopeAllows(['admin.kiosks.*'], 'admin.kiosksx.list', 'GET')).toBe(false);
    expect(scopeAllows(['admin.kiosks.*'], 'admin.config.set', 'PUT')).toBe(false);
    expect(scopeAllows(['admin.kiosks.list'], 'admin.kiosks.list', 'GET')).toBe(true);
    expect(scopeAllows(['admin.kiosks.list'], 'admin.kiosks.listx', 'GET')).toBe(false);
    expect(scopeAllows(['*'], 'anything.at.all', 'DELETE')).toBe(true);
    expect(scopeAllows(['*:read'], 'admin.kiosks.list', 'GET')).toBe(true);
    expect(scopeAllows(['*:read'], 'admin.kiosks.create', 'POST')).toBe(false);
    expect(scopeAllows([], 'admin.kiosks.list', 'GET')).toBe(false);
  });
});

describe('CSV cells', () => {
  it('neutralise formulas and quote everything', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const c of ['+1', '-1+2', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(c).startsWith(`"'`), JSON.stringify(c)).toBe(true);
    expect(csvCell('plain, text\nline')).toBe('"plain, text\nline"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(201)).toBe('"201"');
  });
});

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`accounts on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    async function fresh(): Promise<{ hub: HubDb; spec: string }> {
      const spec = await freshDbSpec(backend);
      const hub = await HubDb.open(spec);
      open.push(hub);
      return { hub, spec };
    }
    const opts = (now: number, extra: Partial<LoginOptions> = {}): LoginOptions => ({ session: DEFAULT_SESSION_POLICY, now, ...extra });
    const login = (hub: HubDb, username: string, password: string, now: number, address = '10.0.0.1', extra: Partial<LoginOptions> = {}) =>
      passwordLogin(hub, { username, password, address }, opts(now, extra));

    it('creates accounts with the branch rule, names unique regardless of case, and lists them', async () => {
      const { hub } = await fresh();
      const ada = await createUser(hub, { name: 'Ada', role: 'admin', password: PASS });
      expect(ada).toMatchObject({ name: 'Ada', role: 'admin', branch: null, source: 'local', disabledAt: null, lockedUntil: null });
      expect((await rejection(createUser(hub, { name: 'ada', role: 'editor', password: PASS }))).code).toBe('conflict');
      expect((await rejection(createUser(hub, { name: 'bm', role: 'branch-manager', password: PASS }))).message).toMatch(/needs a branch/);
      expect((await rejection(createUser(hub, { name: 'ed', role: 'editor', branch: 'b1', password: PASS }))).message).toMatch(/has no branch/);
      await createUser(hub, { name: 'bm', role: 'branch-manager', branch: 'b1', password: PASS });
      expect((await listUsers(hub)).map((u) => [u.name, u.role, u.branch])).toEqual([
        ['Ada', 'admin', null],
        ['bm', 'branch-manager', 'b1'],
      ]);
      // A role change away from branch manager drops the branch; to it, a branch is required.
      expect(await updateUser(hub, 'bm', { role: 'agent' })).toMatchObject({ role: 'agent', branch: null });
      expect((await rejection(updateUser(hub, 'bm', { role: 'branch-manager' }))).code).toBe('bad_request');
      expect((await rejection(updateUser(hub, 'nobody', { role: 'agent' }))).code).toBe('not_found');
      // The last enabled admin can be neither demoted nor disabled; with a second one, it can.
      expect((await rejection(updateUser(hub, 'Ada', { role: 'editor' }))).message).toMatch(/last enabled admin/);
      expect((await rejection(disableUser(hub, 'ada'))).code).toBe('conflict');
      await updateUser(hub, 'bm', { role: 'admin' });
      expect(await disableUser(hub, 'ada')).toMatchObject({ disabledAt: expect.any(String) });
      expect((await rejection(updateUser(hub, 'bm', { role: 'agent' }))).code).toBe('conflict');
      await updateUser(hub, 'ada', { disabled: false });
      await updateUser(hub, 'bm', { role: 'agent' });
      // The hash in the database is argon2id, never the password.
      const row = await hub.db.selectFrom('users').select('password_hash').where('name', '=', 'Ada').executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(PASS);
    });

    it('logs in, keeps only a hash of the session id, checks CSRF, slides idle expiry, ends at logout', async () => {
      const { hub } = await fresh();
      await createUser(hub, { name: 'ada', role: 'admin', password: PASS });
      const t0 = Date.UTC(2025, 0, 1);
      const { secret, session } = await login(hub, 'ADA', PASS, t0);
      expect(session.user.name).toBe('ada');
      const stored = await hub.db.selectFrom('user_sessions').selectAll().execute();
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(csrfMatches(secret, csrfTokenFor(secret))).toBe(true);
      expect(csrfMatches(secret, csrfTokenFor(secret + 'x'))).toBe(false);
      expect(csrfMatches(secret, undefined)).toBe(false);

      // Idle: 30 min; a request at +20 min moves it to +50 min.
      const at20 = await resolveSession(hub.db, secret, DEFAULT_SESSION_POLICY, t0 + 20 * MIN);
      expect(at20?.idleExpiresAt).toBe(t0 + 50 * MIN);
      expect(await resolveSession(hub.db, secret, DEFAULT_SESSION_POLICY, t0 + 45 * MIN)).not.toBeNull();
      expect(await resolveSession(hub.db, 'x'.repeat(43), DEFAULT_SESSION_POLICY, t0)).toBeNull();
      await endSession(hub.db, session.id, 'logout', t0 + 46 * MIN);
      expect(await resolveSession(hub.db, secret, DEFAULT_SESSION_POLICY, t0 + 46 * MIN)).toBeNull();
      expect((await hub.db.selectFrom('user_sessions').select('end_reason').executeTakeFirstOrThrow()).end_reason).toBe('logout');
      expect((await listAudit(hub.db, { action: 'auth.login' })).map((e) => [e.result, e.actorName, e.address])).toEqual([['ok', 'ada', '10.0.0.1']]);
    });

    it('ends sessions at idle and absolute expiry, and when the user is disabled', async () => {
      const { hub } = await fresh();
      await createUser(hub, { name: 'ada', role: 'agent', password: PASS });
      const t0 = Date.UTC(2025, 0, 1);
      const idle = await login(hub, 'ada', PASS, t0);
      expect(await resolveSession(hub.db, idle.secret, DEFAULT_SESSION_POLICY, t0 + 31 * MIN)).toBeNull();

      // Kept alive every 20 minutes, it still ends 12 h after login.
      const busy = await login(hub, 'ada', PASS, t0);
      let t = t0;
      while (t + 20 * MIN < t0 + 12 * 60 * MIN) {
        t += 20 * MIN;
        expect(await resolveSession(hub.db, busy.secret, DEFAULT_SESSION_POLICY, t), `at ${(t - t0) / MIN} min`).not.toBeNull();
      }
      expect(await resolveSession(hub.db, busy.secret, DEFAULT_SESSION_POLICY, t0 + 12 * 60 * MIN)).toBeNull();

      const live = await login(hub, 'ada', PASS, t0);
      const tok = await createToken(hub.db, live.session.user.id, { name: 'script', scopes: ['*'] }, t0);
      expect(await resolveToken(hub.db, tok.token, t0)).not.toBeNull();
      await disableUser(hub, 'ada', t0 + MIN);
      expect(await resolveSession(hub.db, live.secret, DEFAULT_SESSION_POLICY, t0 + MIN)).toBeNull();
      expect(await resolveToken(hub.db, tok.token, t0 + MIN)).toBeNull();
      const reasons = (await hub.db.selectFrom('user_sessions').select('end_reason').orderBy('created_at').execute()).map((r) => r.end_reason).sort();
      expect(reasons).toEqual(['absolute-expiry', 'disabled', 'idle-expiry']);
      // A disabled account cannot log in (and hears the same as for a wrong password).
      expect((await rejection(login(hub, 'ada', PASS, t0 + 2 * MIN))).message).toBe('invalid username or password');
      // Enabled again, the old session stays ended.
      await updateUser(hub, 'ada', { disabled: false });
      expect(await resolveSession(hub.db, live.secret, DEFAULT_SESSION_POLICY, t0 + 3 * MIN)).toBeNull();
      expect(await login(hub, 'ada', PASS, t0 + 3 * MIN)).toBeTruthy();
    });

    it('locks a name after 5 failures across two replicas, refuses even the right password, unlocks after 15 min', async () => {
      const { hub, spec } = await fresh();
      const replica = await HubDb.open(spec);
      open.push(replica);
      await createUser(hub, { name: 'ada', role: 'admin', password: PASS });
      const t0 = Date.UTC(2025, 0, 1);
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) codes.push((await rejection(login(i % 2 ? replica : hub, 'ada', 'wrong password!', t0 + i * 1000))).code);
      expect(codes).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'unauthorized', 'locked']);
      const locked = await rejection(login(replica, 'ada', PASS, t0 + 10_000));
      expect(locked).toMatchObject({ code: 'locked', statusCode: 429 });
      expect(locked.retryAfterSec).toBeGreaterThan(14 * 60);
      expect((await getUser(hub, 'ada', t0 + 10_000)).lockedUntil).toBe(new Date(t0 + 4000 + 15 * MIN).toISOString());
      // After the lock: the right password works and clears the count.
      expect((await login(hub, 'ada', PASS, t0 + 4000 + 15 * MIN)).session.user.name).toBe('ada');
      expect((await rejection(login(hub, 'ada', 'wrong password!', t0 + 16 * MIN))).code).toBe('unauthorized');

      // A name that does not exist locks exactly the same way.
      const ghost: string[] = [];
      for (let i = 0; i < 6; i++) ghost.push((await rejection(login(i % 2 ? replica : hub, 'ghost', 'whatever', t0 + i))).code);
      expect(ghost).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'unauthorized', 'locked', 'locked']);

      const results = (await listAudit(hub.db, { action: 'auth.login', limit: 100 })).map((e) => e.result);
      expect(results.filter((r) => r === 'locked')).toHaveLength(4);
      expect(results.filter((r) => r === 'failed')).toHaveLength(9);
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    });

    it('failures counted concurrently on two replicas are all counted', async () => {
      const { hub, spec } = await fresh();
      const replica = await HubDb.open(spec);
      open.push(replica);
      const t0 = Date.UTC(2025, 0, 1);
      const policy = { maxFailures: 1000, windowMs: 15 * MIN, lockMs: 15 * MIN };
      await Promise.all(Array.from({ length: 20 }, (_, i) => login(i % 2 ? replica : hub, 'nobody', 'x', t0, '10.0.0.9', { userLockout: policy }).catch(() => {})));
      const row = await hub.db.selectFrom('login_failures').selectAll().where('key', '=', 'user:nobody').executeTakeFirstOrThrow();
      expect(row.failures).toBe(20);
    });

    it('locks an address trying many names, and a password reset lifts a name lock and ends sessions', async () => {
      const { hub } = await fresh();
      await createUser(hub, { name: 'ada', role: 'admin', password: PASS });
      const t0 = Date.UTC(2025, 0, 1);
      const addressLockout = { maxFailures: 3, windowMs: 15 * MIN, lockMs: 15 * MIN };
      for (const name of ['u1', 'u2']) expect((await rejection(login(hub, name, 'x', t0, '10.9.9.9', { addressLockout }))).code).toBe('unauthorized');
      expect((await rejection(login(hub, 'u3', 'x', t0, '10.9.9.9', { addressLockout }))).code).toBe('locked');
      expect((await rejection(login(hub, 'ada', PASS, t0, '10.9.9.9', { addressLockout }))).code).toBe('locked');
      expect((await login(hub, 'ada', PASS, t0, '10.1.1.1', { addressLockout })).session.user.name).toBe('ada');

      const s = await login(hub, 'ada', PASS, t0, '10.1.1.1');
      for (let i = 0; i < 5; i++) await login(hub, 'ada', 'nope', t0, '10.1.1.2').catch(() => {});
      expect((await getUser(hub, 'ada', t0)).lockedUntil).not.toBeNull();
      await resetPassword(hub, 'ada', 'a whole new passphrase', t0);
      expect((await getUser(hub, 'ada', t0)).lockedUntil).toBeNull();
      expect(await resolveSession(hub.db, s.secret, DEFAULT_SESSION_POLICY, t0)).toBeNull();
      expect((await rejection(login(hub, 'ada', PASS, t0, '10.1.1.3'))).code).toBe('unauthorized');
      expect(await login(hub, 'ada', 'a whole new passphrase', t0, '10.1.1.3')).toBeTruthy();
    });

    it('personal tokens: hashed, expiring, revocable by their owner only, listed without the secret', async () => {
      const { hub } = await fresh();
      const ada = await createUser(hub, { name: 'ada', role: 'admin', password: PASS });
      const bob = await createUser(hub, { name: 'bob', role: 'editor', password: PASS });
      const t0 = Date.UTC(2025, 0, 1);
      const { token, info } = await createToken(hub.db, ada.id, { name: 'deploy', scopes: ['admin.kiosks.*', 'admin.kiosks.*'], expiresInDays: 2 }, t0);
      expect(token).toMatch(/^lkp_[A-Za-z0-9_-]{43}$/);
      expect(info).toMatchObject({ name: 'deploy', scopes: ['admin.kiosks.*'], expiresAt: new Date(t0 + 2 * 86_400_000).toISOString(), revokedAt: null });
      expect(JSON.stringify(await hub.db.selectFrom('api_tokens').selectAll().execute())).not.toContain(token.slice(4));
      expect(await resolveToken(hub.db, token, t0 + 1000)).toMatchObject({ user: { name: 'ada', role: 'admin' }, scopes: ['admin.kiosks.*'] });
      expect((await listTokens(hub.db, ada.id))[0]!.lastUsedAt).toBe(new Date(t0 + 1000).toISOString());
      expect(await resolveToken(hub.db, token, t0 + 2 * 86_400_000)).toBeNull();
      expect(await resolveToken(hub.db, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), t0)).toBeNull();
      expect(await resolveToken(hub.db, 'lkk_' + token.slice(4), t0)).toBeNull();
      expect((await rejection(revokeToken(hub.db, bob.id, info.id))).code).toBe('not_found');
      expect((await revokeToken(hub.db, ada.id, info.id)).revokedAt).not.toBeNull();
      expect(await resolveToken(hub.db, token, t0 + 1000)).toBeNull();
      expect(await listTokens(hub.db, bob.id)).toEqual([]);
    });

    it('the audit log refuses UPDATE and DELETE, filters by actor, action prefix, target, result and time, and exports CSV', async () => {
      const { hub } = await fresh();
      const actor = { kind: 'user' as const, id: 'u1', name: 'ada', role: 'admin' };
      await appendAudit(hub.db, { actor, action: 'admin.kiosks.create', target: 'lobby-1', result: 'ok', status: 201, address: '10.0.0.1' });
      await appendAudit(hub.db, { actor, action: 'admin.kiosks.revoke', target: 'lobby-1', result: 'failed', status: 404 });
      await appendAudit(hub.db, { actor: { kind: 'anonymous', name: '=cmd|calc' }, action: 'auth.login', target: '=cmd|calc', result: 'failed', detail: '@SUM(1+1)' });
      await appendAudit(hub.db, { actor, action: 'admin.kiosks_x', target: 'lobby-10', result: 'ok' });

      const error = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.message);
      expect(await error(sql`UPDATE audit_log SET result = 'ok'`.execute(hub.db))).toMatch(/append-only/);
      expect(await error(sql`DELETE FROM audit_log`.execute(hub.db))).toMatch(/append-only/);
      if (backend === 'postgres') expect(await error(sql`TRUNCATE audit_log`.execute(hub.db))).toMatch(/append-only/);
      expect(await listAudit(hub.db, {})).toHaveLength(4);

      const actions = async (q: Parameters<typeof listAudit>[1]) => (await listAudit(hub.db, q)).map((e) => e.action);
      expect(await actions({ action: 'admin.kiosks.*' })).toEqual(['admin.kiosks.revoke', 'admin.kiosks.create']);
      expect(await actions({ action: 'admin.kiosks.create' })).toEqual(['admin.kiosks.create']);
      expect(await actions({ actor: 'ada', result: 'failed' })).toEqual(['admin.kiosks.revoke']);
      expect(await actions({ target: 'lobby-1' })).toEqual(['admin.kiosks.revoke', 'admin.kiosks.create']);
      expect(await actions({ target: 'lobby-1*' })).toEqual(['admin.kiosks_x', 'admin.kiosks.revoke', 'admin.kiosks.create']);
      expect(await actions({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
      expect(await actions({ to: new Date(Date.now() + 60_000).toISOString(), limit: 2 })).toEqual(['admin.kiosks_x', 'auth.login']);
      const newest = (await listAudit(hub.db, { limit: 1 }))[0]!;
      expect(await actions({ before: newest.id, limit: 1 })).toEqual(['auth.login']);

      let csv = '';
      for await (const chunk of auditCsv(hub.db, {}, 3)) csv += chunk;
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toBe('id,at,actorKind,actorId,actorName,role,action,target,result,status,address,detail');
      expect(lines).toHaveLength(4);
      expect(lines[2]).toContain(`"'=cmd|calc"`);
      expect(lines[2]).toContain(`"'@SUM(1+1)"`);
      expect(csv).not.toMatch(/(^|,)"?[=+@-]/m);
    });
  });
}
