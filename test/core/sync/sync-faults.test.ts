// Bad answers and broken connections between kiosk and hub: every bad page or blob is rejected with
// a clear error and nothing is applied; cut connections only delay a sync, which then converges
// to exactly the hub's state.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeHashInput, checkpointLine } from '../../../contracts/sync-protocol.ts';
import type { KbStore } from '../../../core/kb/store.ts';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { SyncEngine } from '../../../core/sync/engine.ts';
import { readSyncState } from '../../../core/sync/state.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { article, generatedKb, hubView, kioskView, startHub, type TestHub } from '../../hub/harness.ts';
import { CuttingProxy, TamperProxy, type Tamper } from './proxies.ts';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

interface PageJson {
  changes: Array<{ seq: number; kind: string; key: string; op: string; hash: string; data?: Record<string, unknown> }>;
  next: number | null;
  checkpoint: { since: number; to: number; count: number; checksum: string } | null;
}

/** Rewrites sync pages; `fix` re-hashes the edited change (so only the checkpoint can catch it). */
const onPages =
  (edit: (page: PageJson) => void): Tamper =>
  (req, res) => {
    if (!req.url.startsWith('/v1/sync/changes') || res.status !== 200) return res;
    const page = JSON.parse(res.body.toString('utf8')) as PageJson;
    edit(page);
    return { ...res, body: Buffer.from(JSON.stringify(page)) };
  };
const rehash = (c: PageJson['changes'][number]) => (c.hash = sha(changeHashInput(c as never)));

describe('kiosk sync faults', () => {
  let t: TestHub;
  let kiosk: { id: string; token: string; branch: string | null };
  let store: KbStore;
  let proxy: TamperProxy;
  const IMG = randomBytes(3000);

  beforeEach(async () => {
    t = await startHub('sqlite');
    kiosk = await t.addKiosk('k1');
    store = openKbStore(join(tempDir(), 'kiosk.db'));
    proxy = await TamperProxy.start(t.url);
    await t.publish(generatedKb(20));
    await new SyncEngine(store, { hubUrl: t.url, token: kiosk.token }).syncOnce();
    const kb2 = generatedKb(20, 1);
    kb2.push(article('pic', 'With a picture', '![x](x.png)'));
    await t.publish(kb2, { images: { 'x.png': IMG } });
  });
  afterEach(async () => {
    await proxy.close();
    store.close();
    await t.close();
  });

  const cases: Array<[string, Tamper, RegExp, string, Partial<ConstructorParameters<typeof SyncEngine>[1]>?]> = [
    ['changed data, old hash', onPages((p) => p.changes[0] && (p.changes[0].key += 'x')), /does not match its hash/, 'checksum'],
    [
      'changed data, re-hashed: only the checkpoint catches it',
      onPages((p) => {
        const c = p.changes.find((x) => x.kind === 'article');
        if (c?.data) {
          c.data.title = 'Tampered';
          rehash(c);
        }
      }),
      /checkpoint mismatch/,
      'checksum',
    ],
    ['wrong checkpoint checksum', onPages((p) => p.checkpoint && (p.checkpoint.checksum = 'f'.repeat(64))), /checkpoint mismatch/, 'checksum'],
    ['a change dropped', onPages((p) => p.changes.length > 1 && p.changes.splice(0, 1)), /checkpoint mismatch/, 'checksum'],
    [
      'changes out of order',
      onPages((p) => p.changes.length > 1 && p.changes.reverse()),
      /out of order/,
      'protocol',
    ],
    [
      'an invalid record with consistent hashes',
      onPages((p) => {
        const c = p.changes.find((x) => x.kind === 'article');
        if (!c?.data) return;
        c.data.title = '';
        rehash(c);
        if (p.checkpoint) p.checkpoint.checksum = sha(p.changes.map((x) => checkpointLine(x.seq, x.hash)).join(''));
      }),
      /title is empty/,
      'protocol',
      { pageLimit: 1000 },
    ],
    ['malformed JSON', (req, res) => (req.url.startsWith('/v1/sync') && res.status === 200 ? { ...res, body: res.body.subarray(0, res.body.length - 7) } : res), /not valid JSON/, 'protocol'],
    ['a page larger than the kiosk accepts', (req, res) => (req.url.startsWith('/v1/sync') ? { ...res, body: Buffer.concat([res.body, Buffer.alloc(40_000, 32)]) } : res), /32000/, 'too_large', { maxPageBytes: 32_000 }],
    ['a blob with the wrong bytes', (req, res) => (req.url.startsWith('/v1/blobs') ? { ...res, body: randomBytes(res.body.length) } : res), /digest/, 'digest'],
    ['a blob longer than declared', (req, res) => (req.url.startsWith('/v1/blobs') ? { ...res, body: Buffer.concat([res.body, Buffer.from('xx')]) } : res), /longer than/, 'digest'],
    ['an unknown protocol version', onPages((p) => ((p as unknown as { protocol: number }).protocol = 2)), /protocol/, 'protocol'],
  ];

  for (const [name, tamper, message, code, extra] of cases) {
    it(`rejects ${name}; nothing is applied`, async () => {
      const before = kioskView(store);
      const cursor = readSyncState(store.db).cursor;
      proxy.tamper = tamper;
      const e = new SyncEngine(store, { hubUrl: proxy.url, token: kiosk.token, pageLimit: 8, ...extra });
      await expect(e.syncOnce()).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      expect(kioskView(store)).toEqual(before);
      expect(readSyncState(store.db).cursor).toBe(cursor);
      expect(readSyncState(store.db).lastError).toMatch(message);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      // The same kiosk then syncs fine from an honest hub.
      proxy.tamper = null;
      await e.syncOnce();
      const now = readSyncState(store.db).cursor;
      expect(kioskView(store)).toEqual(await hubView(t.hub, now, kiosk));
    });
  }

  it('times out a hub that never answers, and keeps its cursor', async () => {
    proxy.tamper = () => 'hang';
    const e = new SyncEngine(store, { hubUrl: proxy.url, token: kiosk.token, timeoutMs: 500 });
    await expect(e.syncOnce()).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/no answer within/) });
    expect(e.status().online).toBe(false);
  });
});

describe('kiosk sync through a connection-cutting proxy', () => {
  it('resumes after cuts mid-page and mid-blob, and ends exactly at the hub state', async () => {
    const t = await startHub('sqlite');
    const kiosk = await t.addKiosk('k1');
    const store = openKbStore(join(tempDir(), 'kiosk.db'));
    // Big enough that answers span many TCP chunks: 300 articles, 6 blobs of 150 KB.
    const images: Record<string, Buffer> = {};
    const kb = generatedKb(300);
    for (let i = 0; i < 6; i++) {
      images[`b${i}.png`] = randomBytes(150_000);
      kb.push(article(`big${i}`, `Big ${i}`, `![b](b${i}.png)`));
    }
    await t.publish(kb, { images });
    const port = Number(new URL(t.url).port);
    let seed = 42;
    const random = () => {
      // mulberry32: a small seeded generator, so a failure can be replayed
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const proxy = await CuttingProxy.start(port, random);
    proxy.cutChance = 0.9;
    proxy.cutRange = [200, 80_000];
    try {
      for (const round of [0, 1]) {
        if (round === 1) {
          const kb2 = generatedKb(300, 5);
          for (let i = 0; i < 6; i++) {
            images[`c${i}.png`] = randomBytes(120_000);
            kb2.push(article(`big${i}`, `Big ${i} v2`, `![b](b${(i + 1) % 6}.png) ![c](c${i}.png)`));
          }
          await t.publish(kb2, { images });
        }
        const e = new SyncEngine(store, { hubUrl: proxy.url, token: kiosk.token, pageLimit: 40, timeoutMs: 5000, blobConcurrency: 2 });
        let attempts = 0;
        for (;;) {
          attempts++;
          try {
            await e.syncOnce();
            break;
          } catch (err) {
            expect((err as { code?: string }).code, (err as Error).message).toBe('network');
            expect(attempts).toBeLessThan(300);
          }
        }
        const cursor = readSyncState(store.db).cursor;
        expect(kioskView(store)).toEqual(await hubView(t.hub, cursor, kiosk));
        expect((store.db.prepare('SELECT count(*) n FROM sync_stage').get() as { n: number }).n).toBe(0);
        for (const [, img] of Object.entries(images)) expect(store.blobs.get(sha(img))).toEqual(img);
      }
      expect(proxy.cuts).toBeGreaterThan(5);
      expect(proxy.rangeRequests).toBeGreaterThan(0);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await proxy.close();
      store.close();
      await t.close();
    }
  });
});
