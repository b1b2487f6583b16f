// A real OpenID provider (the `oidc-provider` package, certified by the OpenID Foundation) for the
// hub's SSO tests, run as its own process over HTTPS on loopback:
//   node --import tsx test/hub/oidc/provider.ts   with its settings in OIDC_TEST_CONFIG (JSON, see
//   ProviderConfig). Prints "oidc provider listening on https://127.0.0.1:<port>" when ready.
// Its sign-in page is a plain form (input name="login", button "Sign in") for a browser or a test
// to fill; any known account signs in without a password, consent is granted automatically.
// Start it with startOidcProvider() from ./start.ts, which also makes the certificate.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import Provider, { type Configuration } from 'oidc-provider';

export interface ProviderConfig {
  cert: string;
  key: string;
  client: { id: string; secret: string; redirectUri: string; postLogoutRedirectUri?: string };
  /** Sign-in name → the claims the provider releases (sub is the name). */
  accounts: Record<string, Record<string, unknown>>;
}

const config = JSON.parse(process.env.OIDC_TEST_CONFIG ?? 'null') as ProviderConfig | null;
if (!config) {
  process.stderr.write('OIDC_TEST_CONFIG is not set\n');
  process.exit(2);
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head><body>${body}</body></html>`);
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

const server = createServer({ cert: readFileSync(config.cert), key: readFileSync(config.key) });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  const issuer = `https://127.0.0.1:${port}`;
  const providerConfig: Configuration = {
    clients: [
      {
        client_id: config.client.id,
        client_secret: config.client.secret,
        redirect_uris: [config.client.redirectUri],
        post_logout_redirect_uris: config.client.postLogoutRedirectUri ? [config.client.postLogoutRedirectUri] : [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    // The hub reads roles and branch from the ID token (or userinfo); release them with `profile`.
    claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'roles', 'branch'], email: ['email'] },
    scopes: ['openid', 'profile', 'email'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    cookies: { keys: ['test-provider-cookie-key-not-secret'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const claims = config.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  };
  const provider = new Provider(issuer, providerConfig);
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!m) return void callback(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (m[2] && req.method === 'POST') {
          const login = (await readForm(req)).get('login') ?? '';
          if (!config.accounts[login]) return page(res, 200, loginForm(details.uid, `unknown account ${html(login)}`));
          return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
        }
        if (details.prompt.name === 'login') return page(res, 200, loginForm(details.uid));
        // Consent: grant what the client asked for.
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant!.save();
        return provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
      } catch (err) {
        page(res, 400, `<p>interaction failed: ${html((err as Error).message)}</p>`);
      }
    })();
  });
  process.stdout.write(`oidc provider listening on ${issuer}\n`);
});

function loginForm(uid: string, error = ''): string {
  return `<main><h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${html(uid)}/login"><label>Account <input name="login" autocomplete="username" autofocus></label>
<button type="submit">Sign in</button></form></main>`;
}
