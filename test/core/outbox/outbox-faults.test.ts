// 1000 outbox items delivered through a proxy that fails requests before the hub sees them, loses
// answers after the hub applied them, and hangs; the delivering kiosk process is killed with
// SIGKILL again and again. At the end the hub holds every item exactly once and nothing is lost.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { openOutbox } from '../../../core/outbox/open.ts';
import { listInbox } from '../../../hub/inbox/inbox.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startHub } from '../../hub/harness.ts';
import { TamperProxy } from '../sync/proxies.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ITEMS = 1000;

describe('outbox under hub failures and kill -9', () => {
  it(`delivers ${ITEMS} items exactly once`, { timeout: 180_000 }, async () => {
    const t = await startHub('sqlite');
    const { token } = await t.addKiosk('k1');
    const proxy = await TamperProxy.start(t.url);
    const file = join(tempDir(), 'kiosk.db');
    const store = openKbStore(file);
    const outbox = openOutbox(store.db);
    const expected = new Map<string, unknown>();
    for (let i = 0; i < ITEMS; i++) {
      const payload =
        i % 3 === 0
          ? { category: 'help', text: `ticket ${i}`, locale: 'en', contact: { phone: `1380000${String(i).padStart(4, '0')}` } }
          : i % 3 === 1
            ? { score: 1 + (i % 5), locale: 'zh-CN', comment: `comment ${i}` }
            : { locale: 'en', query: `query ${i % 50}`, results: i % 4 };
      const kind = ['ticket', 'rating', 'search'][i % 3]!;
      expected.set(outbox.enqueue(kind, payload), { kind, payload });
    }
    store.close();

    let seed = 7;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const faults = { before500: 0, after500: 0, hang: 0 };
    proxy.before = () => {
      const r = random();
      if (r < 0.15) return (faults.before500++, 'fail');
      if (r < 0.2) return (faults.hang++, 'hang');
      return null;
    };
    proxy.tamper = (req, res) => {
      if (req.url === '/v1/outbox' && random() < 0.15) {
        faults.after500++;
        return { status: 500, headers: {}, body: Buffer.from('{"error":{"code":"internal","message":"lost answer"}}') };
      }
      return res;
    };

    let kills = 0;
    let drained = false;
    for (let round = 0; round < 200 && !drained; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/core/outbox/fixtures/deliver-worker.ts', file, proxy.url, token], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      // The first 20 rounds are killed at a random moment after start-up; later ones may finish.
      let timer: NodeJS.Timeout | null = null;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (round < 20 && !timer && out.includes('ready')) {
          timer = setTimeout(() => {
            kills++;
            child.kill('SIGKILL');
          }, random() * 300);
        }
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await exit;
      if (timer) clearTimeout(timer);
      if (code === 0) {
        expect(out).toContain('drained 0');
        drained = true;
      } else if (code !== null) throw new Error(`deliver worker failed (${code}): ${out}`);
    }
    expect(drained).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(15);
    expect(faults.before500 + faults.after500 + faults.hang).toBeGreaterThan(10);
    expect(faults.after500).toBeGreaterThan(0);

    const received = [...(await listInbox(t.hub.db, 'ticket', 1000)), ...(await listInbox(t.hub.db, 'rating', 1000)), ...(await listInbox(t.hub.db, 'search', 1000))];
    expect(received).toHaveLength(ITEMS);
    expect(new Set(received.map((r) => r.key)).size).toBe(ITEMS);
    for (const r of received) expect({ kind: r.kind, payload: r.payload }).toEqual(expected.get(r.key));
    const stats = await t.hub.db.selectFrom('search_stats').select((eb) => eb.fn.sum<number>('count').as('n')).executeTakeFirstOrThrow();
    expect(Number(stats.n)).toBe(Math.floor(ITEMS / 3)); // each search event counted once

    const after = openKbStore(file);
    expect(openOutbox(after.db).counts()).toEqual({ pending: 0, quarantined: 0 });
    after.close();
    await proxy.close();
    await t.close();
  });
});
