// The console's sign-in: password login, logout, "who am I", the SSO round trip. Cookies:
//   hub_session — httpOnly, Secure, SameSite=Strict, Path=/. Non-Secure only when the hub serves
//                 plain http on a loopback address (development): a browser would drop a Secure
//                 cookie set over http elsewhere, and over loopback nothing travels on a network.
//   hub_sso     — the SSO transaction (hub/auth/oidc.ts), SameSite=Lax, Path=/console/auth, 10 min.
import type {} from '@fastify/cookie'; // its types add req.cookies / reply.setCookie
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, type AuthConfig, type LoginRequest, type SessionInfo } from '../../contracts/accounts.ts';
import type { HubDb } from '../db/open.ts';
import { appendAudit, type AuditActor } from '../audit/audit-log.ts';
import { AccountError } from '../accounts/errors.ts';
import type { LockoutPolicy } from '../accounts/lockout.ts';
import { passwordLogin } from '../accounts/login.ts';
import { createSession, DEFAULT_SESSION_POLICY, endSession, sessionInfo, type SessionPolicy } from '../accounts/sessions.ts';
import { SsoAccessError, upsertSsoUser } from '../accounts/sso-users.ts';
import { sessionOf } from './authenticators.ts';
import type { UserPrincipal } from './principal.ts';
import { OidcSso, SSO_COOKIE, SsoError, type OidcSettings } from './oidc.ts';

export interface ConsoleAuthOptions {
  session?: SessionPolicy;
  /** false only for plain http on loopback (see above). Default true. */
  cookieSecure?: boolean;
  /** OpenID Connect settings (hub/auth/oidc.ts oidcSettingsFromEnv); null or absent: no SSO. */
  sso?: OidcSettings | null;
  userLockout?: LockoutPolicy;
  addressLockout?: LockoutPolicy;
  /** Clock (tests). */
  now?: () => number;
}

const actorOf = (p: Pick<UserPrincipal, 'id' | 'name' | 'role'>): AuditActor => ({ kind: 'user', id: p.id, name: p.name, role: p.role });

export class ConsoleAuth {
  readonly policy: SessionPolicy;
  readonly sso: OidcSso | null;
  private readonly now: () => number;
  private readonly secure: boolean;

  constructor(
    private readonly hub: HubDb,
    private readonly options: ConsoleAuthOptions,
    /** HMAC key of the SSO transaction cookie (hub meta, shared by replicas). */
    secret: () => Promise<string>,
  ) {
    this.policy = options.session ?? DEFAULT_SESSION_POLICY;
    this.now = options.now ?? Date.now;
    this.secure = options.cookieSecure ?? true;
    this.sso = options.sso ? new OidcSso(options.sso, secret) : null;
  }

  config(): AuthConfig {
    return { sso: this.sso ? { label: this.sso.settings.label } : null };
  }

  private setSessionCookie(reply: FastifyReply, secret: string, absoluteExpiresAt: number): void {
    // The cookie lives as long as the session's absolute limit; the server ends it earlier when idle.
    void reply.setCookie(SESSION_COOKIE, secret, { httpOnly: true, secure: this.secure, sameSite: 'strict', path: '/', expires: new Date(absoluteExpiresAt) });
  }

  async login(req: FastifyRequest, reply: FastifyReply, body: LoginRequest): Promise<SessionInfo> {
    const { secret, session } = await passwordLogin(
      this.hub,
      { username: body.username, password: body.password, address: req.ip },
      { session: this.policy, now: this.now(), userLockout: this.options.userLockout, addressLockout: this.options.addressLockout },
    );
    this.setSessionCookie(reply, secret, session.absoluteExpiresAt);
    return sessionInfo(session, secret);
  }

  /** Ends the request's console session (a token request has none: nothing to end). */
  async logout(_req: FastifyRequest, reply: FastifyReply, principal: UserPrincipal): Promise<{ ok: true }> {
    // The route helper audits the request (action auth.logout).
    if (principal.sessionId) await endSession(this.hub.db, principal.sessionId, 'logout', this.now());
    void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: this.secure, sameSite: 'strict' });
    return { ok: true };
  }

  /** The session behind the cookie, with its CSRF token (the console calls this on load). */
  async me(req: FastifyRequest): Promise<SessionInfo> {
    const found = await sessionOf(this.hub, req, this.policy, this.now());
    if (!found) throw new AccountError(401, 'unauthorized', 'not signed in (no live console session)');
    return sessionInfo(found.session, found.secret);
  }

  // ---- SSO -----------------------------------------------------------------------------------

  /** GET /console/auth/sso: off to the identity provider. */
  async ssoStart(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (!this.sso) return this.page(reply, 404, 'sso_off', 'SSO is not configured on this hub.', '本中心未配置单点登录。');
    try {
      const { url, cookie } = await this.sso.start(this.now());
      void reply.setCookie(SSO_COOKIE, cookie, { httpOnly: true, secure: this.secure, sameSite: 'lax', path: '/console/auth', maxAge: 600 });
      return reply.code(303).header('location', url).header('cache-control', 'no-store').send();
    } catch (err) {
      await this.auditSso(req, { kind: 'anonymous' }, 'failed', 502, err);
      return this.page(reply, 502, 'provider_unreachable', 'The identity provider cannot be reached. Try again later.', '无法连接身份提供方，请稍后重试。');
    }
  }

  /** GET /console/auth/callback: the provider's answer → a console session, or a page saying why not. */
  async ssoCallback(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (!this.sso) return this.page(reply, 404, 'sso_off', 'SSO is not configured on this hub.', '本中心未配置单点登录。');
    const sso = this.sso;
    void reply.clearCookie(SSO_COOKIE, { path: '/console/auth', httpOnly: true, secure: this.secure, sameSite: 'lax' });
    let claims: Record<string, unknown>;
    try {
      claims = await sso.finish(req.url, (req.cookies as Record<string, string | undefined>)[SSO_COOKIE], this.now());
    } catch (err) {
      await this.auditSso(req, { kind: 'anonymous' }, 'failed', 400, err);
      return this.page(reply, 400, err instanceof SsoError ? err.code : 'failed', 'Sign-in did not complete. Start again from the console.', '登录未完成，请返回控制台重新登录。');
    }
    const who: AuditActor = { kind: 'anonymous', name: String(claims.preferred_username ?? claims.email ?? claims.sub ?? '').slice(0, 64) || null };
    try {
      const now = this.now();
      const { secret, session } = await this.hub.write(async (trx) => {
        const user = await upsertSsoUser(trx, claims, sso.settings.roleClaim, new Date(now).toISOString());
        await appendAudit(trx, { actor: actorOf(user), action: 'auth.sso', target: user.name, result: 'ok', status: 303, address: req.ip, detail: `role ${user.role}` });
        return createSession(trx, user, 'sso', req.ip, this.policy, now);
      });
      this.setSessionCookie(reply, secret, session.absoluteExpiresAt);
      // The public URL may carry a path prefix (a proxy serving the hub under /hub/).
      return reply.code(303).header('location', `${sso.settings.publicUrl}/console/`).header('cache-control', 'no-store').send();
    } catch (err) {
      if (!(err instanceof SsoAccessError)) throw err;
      await this.auditSso(req, who, 'denied', 403, err);
      return this.page(reply, 403, err.code, `No access to this hub: ${err.message}. Ask central IT for a role.`, '您没有访问本中心的权限（未分配角色或角色未知），请联系总部 IT。');
    }
  }

  private async auditSso(req: FastifyRequest, actor: AuditActor, result: 'failed' | 'denied', status: number, err: unknown): Promise<void> {
    await appendAudit(this.hub.db, { actor, action: 'auth.sso', result, status, address: req.ip, detail: (err as Error).message ?? String(err) });
  }

  /** A small page of its own (the console app is not involved), in both languages. */
  private page(reply: FastifyReply, status: number, code: string, en: string, zh: string): FastifyReply {
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>登录 · Sign-in</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em"><main><h1>登录失败 · Sign-in refused</h1>
<p>${esc(zh)}</p><p lang="en">${esc(en)}</p><p><small>code: <code data-sso-error>${esc(code)}</code></small></p>
<p><a href="/console/">返回控制台 · Back to the console</a></p></main></body></html>`;
    return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(body);
  }
}
