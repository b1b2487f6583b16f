// What signing people in costs (autocannon over loopback, `hub serve` as its own process, SQLite
// and PostgreSQL): the same admin read (GET /v1/users) authenticated by the shared admin token
// (cached lookup), a personal token and a console session (a database read per request, so that
// disabling and logout take effect at once), beside the public liveness route of the same process
// as the baseline; and password logins per second (argon2id, m=19 MiB, t=2), which bound how fast
// anyone can guess even before lockout.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createSession, DEFAULT_SESSION_POLICY } from '../hub/accounts/sessions.ts';
import { createToken } from '../hub/accounts/tokens.ts';
import { createUser } from '../hub/accounts/users.ts';
import { HubDb } from '../hub/db/open.ts';
import { setAdminToken } from '../hub/fleet/kiosks.ts';
import { load, startProcess, stop, type Load } from './lib/http-load.ts';
import { formatTable, round } from './lib/report.ts';

const PG_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_hub';
const CONNECTIONS = 50;
const PASSWORD = 'bench passphrase 1234';

async function pgSpec(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const schema = `bench_auth_${Date.now().toString(36)}`;
    await client.query(`CREATE SCHEMA ${schema}`);
    const u = new URL(PG_URL);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return u.toString();
  } catch (err) {
    console.log(`auth bench: PostgreSQL skipped — ${(err as Error).message}`);
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

async function prepare(spec: string): Promise<{ adminToken: string; personal: string; cookie: string }> {
  const hub = await HubDb.open(spec);
  const adminToken = await setAdminToken(hub);
  const info = await createUser(hub, { name: `bench-${randomBytes(3).toString('hex')}`, role: 'admin', password: PASSWORD });
  const row = await hub.db.selectFrom('users').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
  const { token } = await createToken(hub.db, info.id, { name: 'bench', scopes: ['*'] }, Date.now());
  const { secret } = await createSession(hub.db, row, 'password', '127.0.0.1', DEFAULT_SESSION_POLICY, Date.now());
  await createUser(hub, { name: 'login-bench', role: 'editor', password: PASSWORD });
  await hub.close();
  return { adminToken, personal: token, cookie: `hub_session=${secret}` };
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-auth-'));
  const rows: Array<Array<string | number>> = [];
  const results: Record<string, Record<string, Load>> = {};
  try {
    for (const [name, spec] of [['sqlite', join(dir, 'hub.db')], ['postgres', await pgSpec()]] as const) {
      if (!spec) continue;
      const p = await prepare(spec);
      const hub = await startProcess(['--import', 'tsx', 'hub/cli/main.ts', 'serve', '--port', '0', '--db', spec, '--quiet', '--rate-limit', '10000000']);
      const r: Record<string, Load> = {};
      r.baseline = await load(`${hub.url}/v1/health`, CONNECTIONS, {});
      r.adminToken = await load(`${hub.url}/v1/users`, CONNECTIONS, { authorization: `Bearer ${p.adminToken}` });
      r.personalToken = await load(`${hub.url}/v1/users`, CONNECTIONS, { authorization: `Bearer ${p.personal}` });
      r.session = await load(`${hub.url}/v1/users`, CONNECTIONS, { cookie: p.cookie });
      r.login = await load(`${hub.url}/v1/auth/login`, 4, { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ username: 'login-bench', password: PASSWORD }) });
      await stop(hub.child);
      results[name] = r;
      const b = r.baseline;
      const row = (label: string, l: Load, conns: number) => rows.push([`${name} ${label}`, conns, l.rps, l.p99, `${round(l.rps / b.rps, 2)}× health`, JSON.stringify(l.statuses), l.errors]);
      row('GET /v1/health (public, baseline)', b, CONNECTIONS);
      row('GET /v1/users, shared admin token', r.adminToken, CONNECTIONS);
      row('GET /v1/users, personal token', r.personalToken, CONNECTIONS);
      row('GET /v1/users, console session', r.session, CONNECTIONS);
      row('POST /v1/auth/login (argon2id)', r.login, 4);
    }
    console.log(`people's authentication (autocannon, loopback, ${process.env.BENCH_SECONDS ?? 5} s per row; hub as its own process)`);
    console.log(formatTable(['scenario', 'conns', 'req/s', 'p99 ms', 'vs baseline', 'statuses', 'errors'], rows));
    const out = new URL('./results/', import.meta.url);
    mkdirSync(out, { recursive: true });
    writeFileSync(new URL('auth.json', out), JSON.stringify(results, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
