// Sign-in with the company's OpenID provider: authorization code + PKCE (openid-client v6, which
// checks the ID token's signature, issuer, audience, expiry and nonce). The transaction (state,
// nonce, PKCE verifier) lives in a short-lived, signed, httpOnly cookie — no server-side state, so
// the callback may land on any replica. The cookie is SameSite=Lax: the provider's redirect back
// is a cross-site navigation, which a Strict cookie would not accompany.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The hub's external URL; the redirect is `<publicUrl>/console/auth/callback`. */
  publicUrl: string;
  /** The claim holding the role(s), default `roles`. */
  roleClaim: string;
  /** Shown on the login button. */
  label: string;
}

export const SSO_COOKIE = 'hub_sso';
export const SSO_CALLBACK_PATH = '/console/auth/callback';
export const SSO_START_PATH = '/console/auth/sso';
const TRANSACTION_MS = 10 * 60_000;

/** SSO settings from the environment; null when SSO is not configured, an error when half-configured. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv): OidcSettings | null {
  const names = ['HUB_OIDC_ISSUER', 'HUB_OIDC_CLIENT_ID', 'HUB_OIDC_CLIENT_SECRET', 'HUB_PUBLIC_URL'] as const;
  const given = names.filter((n) => env[n]);
  if (given.length === 0) return null;
  const missing = names.filter((n) => !env[n]);
  if (missing.length) throw new Error(`SSO is half-configured: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set`);
  for (const n of ['HUB_OIDC_ISSUER', 'HUB_PUBLIC_URL'] as const) {
    let u: URL;
    try {
      u = new URL(env[n]!);
    } catch {
      throw new Error(`${n} is not a URL`);
    }
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u.hostname))) throw new Error(`${n} must be an https:// URL (http only on loopback)`);
  }
  return {
    issuer: env.HUB_OIDC_ISSUER!,
    clientId: env.HUB_OIDC_CLIENT_ID!,
    clientSecret: env.HUB_OIDC_CLIENT_SECRET!,
    publicUrl: env.HUB_PUBLIC_URL!.replace(/\/+$/, ''),
    roleClaim: env.HUB_OIDC_ROLE_CLAIM || 'roles',
    label: env.HUB_OIDC_LABEL || 'SSO',
  };
}

export const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

export class SsoError extends Error {
  override name = 'SsoError';
  constructor(
    /** For the audit log and the page: `bad_transaction`, `provider_error`, `token_rejected`, … */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Transaction {
  state: string;
  nonce: string;
  verifier: string;
  /** ms since the epoch */
  exp: number;
}

export class OidcSso {
  private config: Promise<client.Configuration> | null = null;

  constructor(
    readonly settings: OidcSettings,
    /** HMAC key for the transaction cookie (shared by every replica). */
    private readonly secret: () => Promise<string>,
  ) {}

  get redirectUri(): string {
    return `${this.settings.publicUrl}${SSO_CALLBACK_PATH}`;
  }

  /** Discovery, cached; a failure is not cached (the provider may be back on the next try). */
  private discover(): Promise<client.Configuration> {
    this.config ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      const config = await client.discovery(issuer, this.settings.clientId, undefined, client.ClientSecretBasic(this.settings.clientSecret), {
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      });
      return config;
    })().catch((err: Error) => {
      this.config = null;
      throw new SsoError('provider_unreachable', `the identity provider did not answer discovery: ${err.message}`);
    });
    return this.config;
  }

  /** Where to send the browser, and the transaction cookie's value. */
  async start(now = Date.now()): Promise<{ url: string; cookie: string }> {
    const config = await this.discover();
    const tx: Transaction = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), exp: now + TRANSACTION_MS };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
      state: tx.state,
      nonce: tx.nonce,
    });
    return { url: url.href, cookie: await this.seal(tx) };
  }

  /**
   * Completes the code flow for the callback URL (path and query as received) with the transaction
   * cookie: the verified ID token's claims, merged with userinfo's when the role claim is not in it.
   */
  async finish(pathAndQuery: string, cookie: string | undefined, now = Date.now()): Promise<Record<string, unknown>> {
    const tx = cookie ? await this.open(cookie) : null;
    if (!tx) throw new SsoError('bad_transaction', 'the sign-in transaction is missing, altered or from another browser; start again');
    if (tx.exp <= now) throw new SsoError('bad_transaction', 'the sign-in took too long; start again');
    const current = new URL(pathAndQuery, this.settings.publicUrl);
    const providerError = current.searchParams.get('error');
    if (providerError) throw new SsoError('provider_error', `the identity provider refused: ${providerError.slice(0, 100)}`);
    const config = await this.discover();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: tx.verifier, expectedState: tx.state, expectedNonce: tx.nonce, idTokenExpected: true });
    } catch (err) {
      // openid-client's message is generic; its cause says which check failed (state, nonce, …).
      const e = err as Error & { cause?: unknown };
      const why = e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message;
      throw new SsoError('token_rejected', `the sign-in response was rejected: ${why.slice(0, 300)}`);
    }
    const claims = { ...tokens.claims() } as Record<string, unknown>;
    if (claims[this.settings.roleClaim] === undefined && config.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      for (const [k, v] of Object.entries(info)) if (claims[k] === undefined) claims[k] = v;
    }
    return claims;
  }

  private async seal(tx: Transaction): Promise<string> {
    const body = Buffer.from(JSON.stringify(tx)).toString('base64url');
    return `${body}.${createHmac('sha256', await this.secret()).update(body).digest('base64url')}`;
  }

  private async open(cookie: string): Promise<Transaction | null> {
    const [body, mac] = cookie.split('.');
    if (!body || !mac || cookie.length > 2000) return null;
    const expected = Buffer.from(createHmac('sha256', await this.secret()).update(body).digest('base64url'));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const tx = JSON.parse(Buffer.from(body, 'base64url').toString()) as Transaction;
      return typeof tx.state === 'string' && typeof tx.nonce === 'string' && typeof tx.verifier === 'string' && typeof tx.exp === 'number' ? tx : null;
    } catch {
      return null;
    }
  }
}
