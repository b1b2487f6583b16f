// `hub serve`: the HTTP server until SIGINT/SIGTERM.
import { HubDb, redactDbSpec } from '../../db/open.ts';
import { isLoopback, oidcSettingsFromEnv } from '../../auth/oidc.ts';
import { buildHubServer } from '../../server/server.ts';
import { intOption, line, UsageError, type HubCommand } from '../io.ts';
import { artifactStoreFor } from './release.ts';

export const run: HubCommand = async ({ o, io, dbSpec }) => {
  const port = intOption(o.port ?? io.env.HUB_PORT, 'port', 8787, 0, 65535);
  const host = o.host ?? '127.0.0.1';
  if (!!o['tls-cert'] !== !!o['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
  const artifacts = artifactStoreFor({ o, io, dbSpec });
  let sso;
  try {
    sso = oidcSettingsFromEnv(io.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const tls = o['tls-cert'] ? { cert: o['tls-cert'], key: o['tls-key']! } : undefined;
  const hub = await HubDb.open(dbSpec);
  const server = await buildHubServer(hub, {
    logger: o.quiet ? false : true,
    rateLimitPerMinute: intOption(o['rate-limit'], 'rate-limit', 1200, 1, 10_000_000),
    tls,
    consoleAuth: { sso, cookieSecure: cookieSecure(host, !!tls, io.env.HUB_PUBLIC_URL) },
    // With --quiet there is no request log: each use of the deprecated admin token still shows.
    ...(o.quiet ? { onDeprecated: (m: string) => line(io.stderr, `hub: ${m}`) } : {}),
    // Tests: every answer checked against the route table (hub/server/response-check.ts).
    checkResponses: io.env.HUB_CHECK_RESPONSES === '1',
    updates: { dir: artifacts.dir, maxArtifactBytes: artifacts.maxBytes },
    fleet: { onlineWithinSeconds: intOption(o['online-within'], 'online-within', 600, 30, 7 * 86_400) },
    events: { maxConnectionsPerUser: intOption(o['events-per-user'], 'events-per-user', 20, 1, 10_000) },
  });
  if (sso) line(io.stdout, `hub: SSO with ${sso.issuer} (redirect ${sso.publicUrl}/console/auth/callback)`);
  const admin = await hub.db.selectFrom('meta').select('value').where('key', '=', 'admin_token_hash').executeTakeFirst();
  const people = await hub.db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirst();
  if (!admin && !people) line(io.stdout, 'hub: no admin account yet — the console and admin API are closed until you run `hub user add <name> --role admin --password-stdin`');
  const address = await server.app.listen({ port, host });
  line(io.stdout, `hub listening on ${address} (${hub.dialect} ${redactDbSpec(dbSpec)})`);
  await new Promise<void>((done) => {
    const stop = () => {
      line(io.stdout, 'hub: shutting down');
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await hub.close();
  return 0;
};

/**
 * The console's cookies are Secure, except when the hub serves plain http on a loopback address
 * and its public URL (if any) is not https — local development, where a browser would drop a
 * Secure cookie and nothing crosses a network.
 */
export function cookieSecure(host: string, tls: boolean, publicUrl: string | undefined): boolean {
  if (tls || publicUrl?.startsWith('https:')) return true;
  return !isLoopback(host);
}
