// `hub serve`: the HTTP server until SIGINT/SIGTERM.
import { HubDb, redactDbSpec } from '../../db/open.ts';
import { buildHubServer } from '../../server/server.ts';
import { intOption, line, UsageError, type HubCommand } from '../io.ts';
import { artifactStoreFor } from './release.ts';

export const run: HubCommand = async ({ o, io, dbSpec }) => {
  const port = intOption(o.port ?? io.env.HUB_PORT, 'port', 8787, 0, 65535);
  const host = o.host ?? '127.0.0.1';
  if (!!o['tls-cert'] !== !!o['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
  const artifacts = artifactStoreFor({ o, io, dbSpec });
  const hub = await HubDb.open(dbSpec);
  const server = await buildHubServer(hub, {
    logger: o.quiet ? false : true,
    rateLimitPerMinute: intOption(o['rate-limit'], 'rate-limit', 1200, 1, 10_000_000),
    tls: o['tls-cert'] ? { cert: o['tls-cert'], key: o['tls-key']! } : undefined,
    // Tests: every answer checked against the route table (hub/server/response-check.ts).
    checkResponses: io.env.HUB_CHECK_RESPONSES === '1',
    updates: { dir: artifacts.dir, maxArtifactBytes: artifacts.maxBytes },
    fleet: { onlineWithinSeconds: intOption(o['online-within'], 'online-within', 600, 30, 7 * 86_400) },
    events: { maxConnectionsPerUser: intOption(o['events-per-user'], 'events-per-user', 20, 1, 10_000) },
  });
  const admin = await hub.db.selectFrom('meta').select('value').where('key', '=', 'admin_token_hash').executeTakeFirst();
  if (!admin) line(io.stdout, 'hub: no admin token yet — the admin API is closed until you run `hub admin-token`');
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
