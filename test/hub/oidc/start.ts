// Starts the test OpenID provider (./provider.ts) as its own process on loopback over HTTPS, with a
// fresh self-signed certificate made by openssl. The hub (another process) trusts it through
// NODE_EXTRA_CA_CERTS=<caFile>; a test or Playwright talks to it with that CA too.
// No vitest hooks here: plain scripts (the console's Playwright runs) may use it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderConfig } from './provider.ts';

export interface OidcProviderProcess {
  issuer: string;
  /** PEM of the provider's certificate: pass as NODE_EXTRA_CA_CERTS to whatever must trust it. */
  caFile: string;
  clientId: string;
  clientSecret: string;
  output(): string;
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 (and localhost), valid for a day. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'pipe' });
  return { cert, key };
}

export async function startOidcProvider(options: {
  redirectUri: string;
  postLogoutRedirectUri?: string;
  accounts: ProviderConfig['accounts'];
  clientId?: string;
  clientSecret?: string;
}): Promise<OidcProviderProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'oidc-provider-'));
  const { cert, key } = selfSignedCert(dir);
  const clientId = options.clientId ?? 'lobby-hub';
  const clientSecret = options.clientSecret ?? 'test-client-secret-0123456789';
  const config: ProviderConfig = {
    cert,
    key,
    client: { id: clientId, secret: clientSecret, redirectUri: options.redirectUri, ...(options.postLogoutRedirectUri ? { postLogoutRedirectUri: options.postLogoutRedirectUri } : {}) },
    accounts: options.accounts,
  };
  const root = new URL('../../../', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/hub/oidc/provider.ts'], {
    cwd: root,
    env: { ...process.env, OIDC_TEST_CONFIG: JSON.stringify(config) },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const issuer = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`OpenID provider did not start: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = /oidc provider listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`OpenID provider exited: ${out}`));
      });
    });
    return { issuer, caFile: cert, clientId, clientSecret, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
