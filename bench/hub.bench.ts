// Hub under load (autocannon over loopback): the authenticated "nothing changed" poll (304 from
// memory) and a one-page delta (20 changed articles), at 100 and 1000 connections, on SQLite and
// PostgreSQL, each beside a bare Fastify route answering 304 measured in the same run.
// The hub runs as its own process (`hub serve`, as deployed); autocannon runs here.
// Goal: authenticated no-change poll ≥ 10k requests/s with p99 ≤ 50 ms.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { HubDb } from '../hub/db/open.ts';
import { addKiosk } from '../hub/fleet/kiosks.ts';
import { readHubBundle } from '../hub/kb/bundle.ts';
import { publishBundle } from '../hub/kb/publish-kb.ts';
import { load, startProcess, stop, type Load } from './lib/http-load.ts';
import { formatTable, round } from './lib/report.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const PG_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_hub';

const BARE = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/v1/sync/changes', async (req, reply) => reply.header('etag', '"x:1"').code(304).send());
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log('listening ' + address);
`;

async function prepare(spec: string, dir: string): Promise<{ token: string; hubId: string; head: number; before: number }> {
  const hub = await HubDb.open(spec);
  const write = (name: string, rev: number) => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ type: 'article', id: `a${i}`, locale: 'en', title: `Question ${i} r${i < 20 ? rev : 0}`, body: `Answer ${i}, revision ${i < 20 ? rev : 0}. ${'text '.repeat(30)}` }),
    );
    writeFileSync(join(dir, name), lines.join('\n') + '\n');
    return readHubBundle(join(dir, name));
  };
  const s0 = await publishBundle(hub, write(`kb0-${randomBytes(3).toString('hex')}.jsonl`, 0));
  const s1 = await publishBundle(hub, write(`kb1-${randomBytes(3).toString('hex')}.jsonl`, 1));
  const { token } = await addKiosk(hub, `bench-${randomBytes(3).toString('hex')}`, null);
  const hubId = (await hub.db.selectFrom('meta').select('value').where('key', '=', 'hub_id').executeTakeFirstOrThrow()).value;
  await hub.close();
  return { token, hubId, head: s1.head, before: s0.head };
}

async function pgSpec(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const schema = `bench_${Date.now().toString(36)}`;
    await client.query(`CREATE SCHEMA ${schema}`);
    const u = new URL(PG_URL);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return u.toString();
  } catch (err) {
    console.log(`hub bench: PostgreSQL skipped — ${(err as Error).message} (set HUB_TEST_PG_URL)`);
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-hub-'));
  const rows: Array<Array<string | number>> = [];
  const results: Record<string, unknown> = { durationSeconds: DURATION, goal: 'authenticated no-change poll ≥ 10000 req/s, p99 ≤ 50 ms' };
  try {
    const bare = await startProcess(['--input-type=module', '-e', BARE]);
    const baseline: Record<number, Load> = {};
    for (const c of [100, 1000]) baseline[c] = await load(`${bare.url}/v1/sync/changes`, c, {});
    await stop(bare.child);
    results.bareFastify304 = baseline;

    const backends: Array<[string, string | null]> = [['sqlite', join(dir, 'hub.db')], ['postgres', await pgSpec()]];
    for (const [name, spec] of backends) {
      if (!spec) continue;
      const p = await prepare(spec, dir);
      const hub = await startProcess(['--import', 'tsx', 'hub/cli/main.ts', 'serve', '--port', '0', '--db', spec, '--quiet', '--rate-limit', '10000000']);
      const auth = { authorization: `Bearer ${p.token}` };
      const perBackend: Record<string, Record<number, Load>> = { noChange: {}, delta: {} };
      for (const c of [100, 1000]) {
        perBackend.noChange![c] = await load(`${hub.url}/v1/sync/changes?since=${p.head}`, c, { ...auth, 'if-none-match': `"${p.hubId}:${p.head}"` });
        perBackend.delta![c] = await load(`${hub.url}/v1/sync/changes?since=${p.before}`, c, { ...auth, 'accept-encoding': 'gzip' });
      }
      await stop(hub.child);
      results[name] = perBackend;
      for (const c of [100, 1000]) {
        const b = baseline[c]!;
        const nc = perBackend.noChange![c]!;
        const d = perBackend.delta![c]!;
        rows.push([`${name} no-change poll (auth, 304)`, c, nc.rps, nc.p99, `${round(nc.rps / b.rps, 2)}× bare`, JSON.stringify(nc.statuses), nc.errors]);
        rows.push([`${name} one-page delta (20 changes, gzip)`, c, d.rps, d.p99, `${round(d.rps / b.rps, 2)}× bare`, JSON.stringify(d.statuses), d.errors]);
      }
    }
    for (const c of [1000, 100]) {
      const b = baseline[c]!;
      rows.unshift([`bare Fastify route answering 304`, c, b.rps, b.p99, 'baseline', JSON.stringify(b.statuses), b.errors]);
    }
    console.log(`hub under load (autocannon, loopback, ${DURATION} s per row; hub as its own process)`);
    console.log(formatTable(['scenario', 'conns', 'req/s', 'p99 ms', 'vs baseline', 'statuses', 'errors'], rows));
    const out = new URL('./results/', import.meta.url);
    mkdirSync(out, { recursive: true });
    writeFileSync(new URL('hub.json', out), JSON.stringify(results, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
