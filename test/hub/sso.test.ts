// SSO end to end: a real OpenID provider (oidc-provider, its own process, HTTPS with a self-signed
// certificate made by openssl) and `hub serve` as its own process trusting that certificate through
// NODE_EXTRA_CA_CERTS; a cookie-jar client plays the browser. Signing in applies the role from the
// claim, logout ends the session, a tampered state, nonce or transaction cookie is refused, and a
// person with no known role gets a page, no session, and an audit entry.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubDb } from '../../hub/db/open.ts';
import { listAudit } from '../../hub/audit/audit-log.ts';
import { freshDbSpec, postgresUnavailable, startHubProcess, type BackendName, type HubProcess } from './harness.ts';
import { TestBrowser } from './oidc/browser.ts';
import { startOidcProvider, type OidcProviderProcess } from './oidc/start.ts';

const pgSkip = await postgresUnavailable();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const ACCOUNTS = {
  alice: { preferred_username: 'alice', roles: ['admin'] },
  bob: { preferred_username: 'bob', roles: ['intern', 'branch-manager'], branch: 'b1' },
  carol: { preferred_username: 'carol', roles: 'editor' },
  ivan: { preferred_username: 'ivan', roles: ['intern'] },
  nobranch: { preferred_username: 'nobranch', roles: ['branch-manager'] },
};

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`SSO with a real OpenID provider, hub on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    let provider: OidcProviderProcess;
    let hubProcess: HubProcess;
    let spec: string;
    let dir: string;
    let hub: string;

    beforeAll(async () => {
      const port = await freePort();
      hub = `http://127.0.0.1:${port}`;
      provider = await startOidcProvider({ redirectUri: `${hub}/console/auth/callback`, accounts: ACCOUNTS });
      // Not the per-test temp dir of freshDbSpec (removed after each test): this hub outlives tests.
      dir = mkdtempSync(join(tmpdir(), 'sso-hub-'));
      spec = backend === 'sqlite' ? join(dir, 'hub.db') : await freshDbSpec(backend);
      hubProcess = await startHubProcess(['--db', spec, '--port', String(port)], {
        quiet: false,
        env: {
          NODE_EXTRA_CA_CERTS: provider.caFile,
          HUB_OIDC_ISSUER: provider.issuer,
          HUB_OIDC_CLIENT_ID: provider.clientId,
          HUB_OIDC_CLIENT_SECRET: provider.clientSecret,
          HUB_PUBLIC_URL: hub,
          HUB_OIDC_LABEL: 'Company SSO',
        },
      });
      expect(hubProcess.url).toBe(hub);
    }, 60_000);
    afterAll(async () => {
      await hubProcess?.stop();
      await provider?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Starts at the hub's SSO link and signs in at the provider as `login`; stops at the hub's first answer after the callback. */
    async function signIn(browser: TestBrowser, login: string, tamper?: { authUrl?: (u: URL) => void; callback?: (u: URL) => void }) {
      let url = `${hub}/console/auth/sso`;
      if (tamper?.authUrl) {
        const auth = await browser.navigateUntil(url, (u) => u.origin === provider.issuer && u.pathname === '/auth');
        tamper.authUrl(auth);
        url = auth.href;
      }
      const form = await browser.navigate(url);
      expect(form.status, form.body).toBe(200);
      expect(form.body).toContain('name="login"');
      const action = /action="([^"]+)"/.exec(form.body)![1]!;
      const callback = await browser.navigateUntil(new URL(action, provider.issuer).href, (u) => u.origin === hub, { form: { login } });
      expect(callback.pathname).toBe('/console/auth/callback');
      tamper?.callback?.(callback);
      return browser.request(callback.href);
    }

    const me = (browser: TestBrowser) => browser.request(`${hub}/v1/auth/me`);

    it('announces SSO, signs in with the role from the claim, and logs out', async () => {
      const config = await new TestBrowser().request(`${hub}/v1/auth/config`);
      expect(JSON.parse(config.body)).toEqual({ sso: { label: 'Company SSO' } });

      const browser = new TestBrowser(provider.caFile);
      const done = await signIn(browser, 'alice');
      expect(done.status, done.body).toBe(303);
      expect(done.headers.location).toBe(`${hub}/console/`);
      const cookie = String(done.headers['set-cookie']);
      expect(cookie).toMatch(/hub_session=[\w-]{40,}; .*HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      const session = JSON.parse((await me(browser)).body) as { user: { name: string; role: string; branch: string | null }; csrfToken: string };
      expect(session.user).toMatchObject({ name: 'alice', role: 'admin', branch: null });
      // The role works on the admin API, and the account is an SSO one.
      const users = await browser.request(`${hub}/v1/users`);
      expect(users.status, users.body).toBe(200);
      expect((JSON.parse(users.body) as { users: Array<{ name: string; source: string }> }).users).toContainEqual(expect.objectContaining({ name: 'alice', source: 'sso' }));

      // Logout needs the CSRF token; then the session is gone.
      expect((await browser.request(`${hub}/v1/auth/logout`, { method: 'POST' })).status).toBe(403);
      const out = await browser.request(`${hub}/v1/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
      expect(out.status, out.body).toBe(200);
      expect((await me(browser)).status).toBe(401);
    });

    it('gives a branch manager their branch (the most powerful known role wins), an editor a string claim', async () => {
      const bob = new TestBrowser(provider.caFile);
      expect((await signIn(bob, 'bob')).status).toBe(303);
      expect(JSON.parse((await me(bob)).body).user).toMatchObject({ name: 'bob', role: 'branch-manager', branch: 'b1' });
      expect((await bob.request(`${hub}/v1/users`)).status).toBe(403);
      const carol = new TestBrowser(provider.caFile);
      expect((await signIn(carol, 'carol')).status).toBe(303);
      expect(JSON.parse((await me(carol)).body).user).toMatchObject({ name: 'carol', role: 'editor', branch: null });
    });

    it('refuses people without a known role (or a branch manager without a branch): a page, no session, audited', async () => {
      for (const login of ['ivan', 'nobranch']) {
        const browser = new TestBrowser(provider.caFile);
        const page = await signIn(browser, login);
        expect(page.status).toBe(403);
        expect(page.headers['content-type']).toMatch(/text\/html/);
        expect(page.body).toMatch(/Sign-in refused/);
        expect(page.body).toContain(login === 'ivan' ? 'unknown_role' : 'no_branch');
        expect(browser.cookie(hub, 'hub_session')).toBeUndefined();
        expect((await me(browser)).status).toBe(401);
      }
      const db = await HubDb.open(spec);
      try {
        const denied = await listAudit(db.db, { action: 'auth.sso', result: 'denied' });
        expect(denied.map((e) => e.actorName).sort()).toEqual(['ivan', 'nobranch']);
        expect(denied[0]!.detail).toMatch(/branch|role/);
        expect((await db.db.selectFrom('users').select('name').where('name', 'in', ['ivan', 'nobranch']).execute())).toEqual([]);
      } finally {
        await db.close();
      }
    });

    it('refuses a tampered state, a tampered nonce and an altered transaction cookie', async () => {
      const state = await signIn(new TestBrowser(provider.caFile), 'alice', { callback: (u) => u.searchParams.set('state', u.searchParams.get('state')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))) });
      expect(state.status).toBe(400);
      expect(state.body).toContain('token_rejected');

      const nonce = await signIn(new TestBrowser(provider.caFile), 'alice', { authUrl: (u) => u.searchParams.set('nonce', 'attacker-chosen-nonce') });
      expect(nonce.status).toBe(400);
      expect(nonce.body).toContain('token_rejected');

      const browser = new TestBrowser(provider.caFile);
      const altered = await signIn(browser, 'alice', {
        callback: () => {
          const jar = browser.jar.get(hub)!;
          const v = jar.get('hub_sso')!;
          jar.set('hub_sso', v.replace(/^./, (c) => (c === 'e' ? 'f' : 'e')));
        },
      });
      expect(altered.status).toBe(400);
      expect(altered.body).toContain('bad_transaction');
      // A callback with no transaction at all (another browser).
      expect((await new TestBrowser().request(`${hub}/console/auth/callback?code=x&state=y`)).status).toBe(400);

      const db = await HubDb.open(spec);
      try {
        const failed = await listAudit(db.db, { action: 'auth.sso', result: 'failed' });
        expect(failed.length).toBeGreaterThanOrEqual(4);
        expect(failed.map((e) => e.detail).join('\n')).toMatch(/state/);
        expect(failed.map((e) => e.detail).join('\n')).toMatch(/nonce/);
      } finally {
        await db.close();
      }
    });
  });
}
