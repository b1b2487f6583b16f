// Sync benchmark: a kiosk's initial sync of 10k articles + 500 blobs from a real hub over loopback
// HTTP, against the baseline of writing the same rows and files straight into a KbStore in one
// transaction (what a local import costs: index included) — goal ≤ 2× — and an incremental sync of
// 100 changed articles against the same baseline for those 100.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobRefsOf } from '../contracts/sync-protocol.ts';
import type { ArticleRecord, CategoryRecord } from '../contracts/kb-bundle.ts';
import { openKbStore } from '../core/kiosk-db.ts';
import { SyncEngine } from '../core/sync/engine.ts';
import { HubDb } from '../hub/db/open.ts';
import { addKiosk } from '../hub/fleet/kiosks.ts';
import { readHubBundle } from '../hub/kb/bundle.ts';
import { publishBundle } from '../hub/kb/publish-kb.ts';
import { buildHubServer } from '../hub/server/server.ts';
import { formatTable, round } from './lib/report.ts';

const ARTICLES = 10_000;
const BLOBS = 500;

function bundle(dir: string, rev: number, images: Buffer[]): string {
  const lines: string[] = [];
  for (let c = 0; c < 20; c++) lines.push(JSON.stringify({ type: 'category', id: `c${c}`, locale: c % 2 ? 'en' : 'zh-CN', title: `分类 ${c} category` }));
  for (let i = 0; i < ARTICLES; i++) {
    const changed = i < 100 ? rev : 0;
    const locale = i % 2 ? 'en' : 'zh-CN';
    const img = i < BLOBS ? ` ![图](img/${i}.png)` : '';
    const body =
      locale === 'en'
        ? `How to handle case ${i} (rev ${changed}): bring your card and ID to the counter, take a queue number and wait. Fees apply for topic ${i % 97}.${img}`
        : `第${i}号问题（版本${changed}）：请携带银行卡和身份证到柜台办理，取号后等待叫号。主题${i % 97}可能收取手续费。${img}`;
    lines.push(JSON.stringify({ type: 'article', id: `a${i}`, locale, categoryId: `c${(i % 10) * 2 + (i % 2)}`, title: `${locale === 'en' ? 'Question' : '问题'} ${i} topic ${i % 97} r${changed}`, body, tags: [`t${i % 13}`] }));
  }
  mkdirSync(join(dir, 'img'), { recursive: true });
  images.forEach((img, i) => writeFileSync(join(dir, 'img', `${i}.png`), img));
  writeFileSync(join(dir, 'kb.jsonl'), lines.join('\n') + '\n');
  return join(dir, 'kb.jsonl');
}

/** The baseline: the same rows and blob files written locally in one transaction. */
function rawInsert(file: string, records: { categories: CategoryRecord[]; articles: ArticleRecord[] }, images: Map<string, { data: Buffer; mediaType: string }>): number {
  const store = openKbStore(file);
  const t0 = performance.now();
  const shas = new Map<string, { data: Buffer; mediaType: string }>();
  for (const img of images.values()) shas.set(store.blobs.put(img.data), img);
  store.transaction(() => {
    for (const [sha, img] of shas) store.registerBlob(sha, img.mediaType, img.data.length);
    for (const c of records.categories) store.upsertCategory(c);
    for (const a of records.articles) store.upsertArticle(a, blobRefsOf(a.body));
  });
  const ms = performance.now() - t0;
  store.close();
  return ms;
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  try {
    const images = Array.from({ length: BLOBS }, () => randomBytes(2048 + Math.floor(Math.random() * 6144)));
    const hub = await HubDb.open(join(dir, 'hub.db'));
    const b0 = readHubBundle(bundle(join(dir, 'b0'), 0, images));
    await publishBundle(hub, b0);
    const { token } = await addKiosk(hub, 'bench', null);
    const server = await buildHubServer(hub, { rateLimitPerMinute: 1_000_000 });
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });

    // Initial sync vs raw insert, twice each; the better of the two runs is reported.
    const initial: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < 2; i++) {
      raw.push(rawInsert(join(dir, `raw${i}.db`), { categories: b0.categories, articles: b0.articles.map((a) => a.record) }, b0.images));
      const store = openKbStore(join(dir, `kiosk${i}.db`));
      const t0 = performance.now();
      const r = await new SyncEngine(store, { hubUrl: url, token, pageLimit: 1000 }).syncOnce();
      initial.push(performance.now() - t0);
      if (r.applied?.articles.put !== ARTICLES || r.blobsFetched !== BLOBS) throw new Error(`bench: initial sync incomplete: ${JSON.stringify(r.applied)}`);
      store.close();
    }

    // Incremental: 100 changed articles.
    const b1 = readHubBundle(bundle(join(dir, 'b1'), 1, images));
    await publishBundle(hub, b1);
    server.head.invalidate();
    const store = openKbStore(join(dir, 'kiosk0.db'));
    const t1 = performance.now();
    const inc = await new SyncEngine(store, { hubUrl: url, token }).syncOnce();
    const incMs = performance.now() - t1;
    if (inc.applied?.articles.put !== 100) throw new Error(`bench: incremental sync applied ${inc.applied?.articles.put}`);
    const changed = b1.articles.slice(0, 100).map((a) => a.record);
    const t2 = performance.now();
    store.transaction(() => {
      for (const a of changed) store.upsertArticle(a, blobRefsOf(a.body));
    });
    const incRaw = performance.now() - t2;
    const t3 = performance.now();
    const noop = await new SyncEngine(store, { hubUrl: url, token }).syncOnce();
    const noopMs = performance.now() - t3;
    if (noop.changed) throw new Error('bench: expected no change');
    store.close();
    await server.close();
    await hub.close();

    const best = (xs: number[]) => Math.min(...xs);
    const results = {
      articles: ARTICLES,
      blobs: BLOBS,
      initialSyncMs: round(best(initial), 0),
      rawInsertMs: round(best(raw), 0),
      initialRatio: round(best(initial) / best(raw), 2),
      incrementalSyncMs: round(incMs, 1),
      incrementalRawMs: round(incRaw, 1),
      incrementalRatio: round(incMs / incRaw, 2),
      noChangePollMs: round(noopMs, 1),
      goal: 'initial sync ≤ 2× raw insert',
    };
    console.log('sync (kiosk ← hub over loopback HTTP, SQLite hub)');
    console.log(
      formatTable(
        ['what', 'time', 'vs baseline'],
        [
          [`initial sync: ${ARTICLES} articles + ${BLOBS} blobs`, `${results.initialSyncMs} ms`, `${results.initialRatio}× (goal ≤ 2×)`],
          ['  baseline: same rows + files, local, one transaction', `${results.rawInsertMs} ms`, 'baseline'],
          ['incremental sync: 100 changed articles', `${results.incrementalSyncMs} ms`, `${results.incrementalRatio}×`],
          ['  baseline: upsert the same 100 locally', `${results.incrementalRawMs} ms`, 'baseline'],
          ['no-change poll (304)', `${results.noChangePollMs} ms`, ''],
        ],
      ),
    );
    const out = new URL('./results/', import.meta.url);
    mkdirSync(out, { recursive: true });
    writeFileSync(new URL('sync.json', out), JSON.stringify(results, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
