// Hub under load (autocannon over loopback): the authenticated "nothing changed" poll (304 from
// memory) and a one-page delta (20 changed articles), at 100 and 1000 connections, on SQLite and
// PostgreSQL, each beside a bare Fastify route answering 304 measured in the same run.
// The hub runs as its own process (`hub serve`, as deployed); autocannon runs here.
// Goal: authenticated no-change poll ≥ 10k requests/s with p99 ≤ 50 ms.
// Then the console's live events (issue 13): 1 000 kiosks polling with no console and with 100
// consoles on GET /v1/events, beside the same bare route. BENCH_HUB_PARTS=poll or =fanout runs one.
import autocannon from 'autocannon';
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { HubDb } from '../hub/db/open.ts';
import { addKiosk, setAdminToken } from '../hub/fleet/kiosks.ts';
import { readHubBundle } from '../hub/kb/bundle.ts';
import { publishBundle } from '../hub/kb/publish-kb.ts';
import { load, startProcess, stop, type Load } from './lib/http-load.ts';
import { formatTable, round } from './lib/report.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const PG_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_hub';
const PARTS = new Set((process.env.BENCH_HUB_PARTS ?? 'poll,fanout').split(','));

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

    const backends: Array<[string, string | null]> = PARTS.has('poll') ? [['sqlite', join(dir, 'hub.db')], ['postgres', await pgSpec()]] : [];
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
    if (PARTS.has('fanout')) await fanOut(dir, baseline[1000]!, results, rows);
    for (const c of [1000, 100]) {
      const b = baseline[c]!;
      rows.unshift([`bare Fastify route answering 304`, c, b.rps, b.p99, 'baseline', JSON.stringify(b.statuses), b.errors]);
    }
    console.log(`hub under load (autocannon, loopback, ${DURATION} s per row; hub as its own process)`);
    console.log(formatTable(['scenario', 'conns', 'req/s', 'p99 ms', 'vs baseline', 'statuses', 'errors'], rows));
    const out = new URL('./results/', import.meta.url);
    mkdirSync(out, { recursive: true });
    // one part run alone keeps the other part's last figures
    const file = new URL('hub.json', out);
    const previous = PARTS.size < 2 && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(file, JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- live events: 100 consoles while 1 000 kiosks poll ------------------------------------------
// The hub as its own process on SQLite with 1 000 enrolled kiosks (20 branches). autocannon drives
// 1 000 connections, each one kiosk (its own token), as fast as the hub answers; each poll's
// outbox-backlog header changes every second, so every kiosk's status changes between two status
// flushes and kiosk.status events flow (coalesced: per branch, per 5-second flush). Measured with no
// console, then with 100 consoles streaming events (admin token); per console: events and bytes
// received, the lag from an event's publication (its `at`) to its arrival, consoles cut off.

/** CPU time (ms) a process has used so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

interface ConsoleStats {
  events: number;
  bytes: number;
  lags: number[];
  cutOff: boolean;
  close(): void;
}

/** One console on GET /v1/events: counts whole frames, takes `at` from the start of each. */
function openConsole(url: string, token: string): Promise<ConsoleStats> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET /v1/events answered ${res.statusCode}`));
      let closing = false;
      let buffer = '';
      const c: ConsoleStats = {
        events: 0,
        bytes: 0,
        lags: [],
        cutOff: false,
        close: () => {
          closing = true;
          req.destroy();
        },
      };
      res.on('close', () => void (closing || (c.cutOff = true)));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = Date.now();
        c.bytes += chunk.length;
        buffer += chunk;
        let from = 0;
        let end: number;
        while ((end = buffer.indexOf('\n\n', from)) >= 0) {
          // a frame's data line starts with the event's id and publication time
          const m = /\ndata: \{"id":"[^"]*","at":"([^"]+)"/.exec(buffer.slice(from, Math.min(end, from + 200)));
          from = end + 2;
          if (!m) continue;
          c.events++;
          c.lags.push(now - Date.parse(m[1]!));
        }
        buffer = buffer.slice(from);
      });
      resolve(c);
    });
    req.on('error', reject);
    req.end();
  });
}

async function fanOut(dir: string, bare: Load, results: Record<string, unknown>, rows: Array<Array<string | number>>): Promise<void> {
  const KIOSKS = 1000;
  const CONSOLES = 100;
  const spec = join(dir, 'fanout.db');
  const setup = await HubDb.open(spec);
  const tokens: string[] = [];
  for (let i = 0; i < KIOSKS; i++) tokens.push((await addKiosk(setup, `k${i}`, `b${i % 20}`)).token);
  const admin = await setAdminToken(setup);
  const meta = new Map((await setup.db.selectFrom('meta').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));
  await setup.close();
  const etag = `"${meta.get('hub_id')}:${meta.get('head')}"`;
  const hub = await startProcess(['--import', 'tsx', 'hub/cli/main.ts', 'serve', '--port', '0', '--db', spec, '--quiet', '--rate-limit', '10000000', '--updates-dir', join(dir, 'updates'), '--events-per-user', String(CONSOLES)]);
  // (one admin token for all 100 consoles here; in use they are 100 people)
  const polls = async (seconds = DURATION): Promise<Load & { hubCpuMsPer1000: number }> => {
    const cpu0 = cpuMs(hub.child.pid!);
    let next = 0;
    const r = await autocannon({
      url: hub.url,
      connections: KIOSKS,
      duration: seconds,
      requests: [
        {
          method: 'GET',
          path: `/v1/sync/changes?since=${meta.get('head')}`,
          // each connection is one kiosk; its backlog changes every second
          setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
            context.k ??= next++ % KIOSKS;
            const headers = { authorization: `Bearer ${tokens[context.k as number]}`, 'if-none-match': etag, 'x-kiosk-app-version': '1.0.0', 'x-kiosk-outbox-backlog': String(Math.floor(Date.now() / 1000) % 7) };
            return { ...req, headers };
          },
        },
      ],
    } as unknown as autocannon.Options);
    const statuses: Record<string, number> = {};
    for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = (v as { count: number }).count;
    const hubCpuMsPer1000 = round(((cpuMs(hub.child.pid!) - cpu0) / Math.max(1, r.requests.total)) * 1000, 1);
    return { rps: round(r.requests.average, 0), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, statuses, hubCpuMsPer1000 };
  };
  try {
    await polls(2); // warm-up: every kiosk's token looked up once, JIT warm
    const alone = await polls();
    const consoles = await Promise.all(Array.from({ length: CONSOLES }, () => openConsole(`${hub.url}/v1/events`, admin)));
    const withConsoles = await polls();
    // the last flush's events arrive within one flush interval after the load stops
    await new Promise((r) => setTimeout(r, 6000));
    for (const c of consoles) c.close();
    const lags = consoles.flatMap((c) => c.lags).sort((a, b) => a - b);
    const at = (p: number) => (lags.length ? lags[Math.min(lags.length - 1, Math.floor((lags.length * p) / 100))]! : 0);
    const events = consoles.map((c) => c.events);
    const fanOutResult = {
      kiosks: KIOSKS,
      consoles: CONSOLES,
      pollsNoConsole: alone,
      pollsWith100Consoles: withConsoles,
      eventsPerConsole: { min: Math.min(...events), max: Math.max(...events) },
      kiBPerConsole: round(consoles.reduce((a, c) => a + c.bytes, 0) / CONSOLES / 1024, 1),
      publishToArrivalMs: { p50: at(50), p99: at(99), max: lags.at(-1) ?? 0 },
      consolesCutOff: consoles.filter((c) => c.cutOff).length,
    };
    results.sseFanOut = fanOutResult;
    const vs = (l: Load) => `${round(l.rps / bare.rps, 2)}× bare`;
    rows.push([`sqlite ${KIOSKS} kiosks polling, no console`, KIOSKS, alone.rps, alone.p99, vs(alone), JSON.stringify(alone.statuses), alone.errors]);
    rows.push([`sqlite ${KIOSKS} kiosks polling + ${CONSOLES} consoles on SSE`, KIOSKS, withConsoles.rps, withConsoles.p99, vs(withConsoles), JSON.stringify(withConsoles.statuses), withConsoles.errors]);
    console.log(`hub CPU per 1000 polls: ${alone.hubCpuMsPer1000} ms with no console, ${withConsoles.hubCpuMsPer1000} ms with ${CONSOLES} consoles (fan-out included)`);
    console.log(
      `SSE fan-out: each of ${CONSOLES} consoles got ${fanOutResult.eventsPerConsole.min}–${fanOutResult.eventsPerConsole.max} events, ${fanOutResult.kiBPerConsole} KiB; ` +
        `publication → arrival p50 ${fanOutResult.publishToArrivalMs.p50} ms, p99 ${fanOutResult.publishToArrivalMs.p99} ms, max ${fanOutResult.publishToArrivalMs.max} ms; cut off as slow: ${fanOutResult.consolesCutOff}`,
    );
  } finally {
    await stop(hub.child);
  }
}
