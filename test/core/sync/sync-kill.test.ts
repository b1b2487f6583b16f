// kill -9 of a kiosk sync process at random moments (50 times here, 200 under SOAK=1): after every
// kill the kiosk database passes PRAGMA integrity_check and its KB equals the hub's state at the
// cursor it committed — one complete checkpoint, never a mix — with a search index to match.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KbStore } from '../../../core/kb/store.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { generatedKb, hubView, kioskView, startHub, type TestHub } from '../../hub/harness.ts';

const KILLS = process.env.SOAK === '1' ? 200 : 50;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function spawnWorker(db: string, hub: string, token: string): { child: ChildProcess; lines: string[]; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/core/sync/fixtures/sync-worker.ts', db, hub, token], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const l of parts) {
        lines.push(l);
        if (l === 'ready') resolve();
      }
    });
    child.on('exit', () => reject(new Error(`worker exited before ready: ${lines.join(' | ')}`)));
  });
  ready.catch(() => {});
  child.stderr!.on('data', (d: Buffer) => lines.push(`stderr: ${d.toString().trim()}`));
  return { child, lines, ready };
}

describe('kiosk sync under kill -9', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it(`leaves a complete checkpoint after each of ${KILLS} kills`, { timeout: KILLS * 4000 }, async () => {
    const kiosk = await t.addKiosk('victim');
    const db = join(tempDir(), 'kiosk.db');
    const SIZE = 300;
    let rev = 0;
    const publish = async () => {
      rev++;
      const kb = generatedKb(SIZE, rev);
      // Synonyms change every other revision: the apply then rebuilds the whole search index.
      kb.push({ type: 'synonyms', terms: ['queue', rev % 2 ? 'line' : 'number'] });
      await t.publish(kb);
    };
    await publish();

    // Calibrate: how long does one sync of a revision take in a worker (after start-up)?
    const calib = spawnWorker(join(tempDir(), 'calib.db'), t.url, kiosk.token);
    await calib.ready;
    const until = Date.now() + 60_000;
    while (!calib.lines.some((l) => l.startsWith('synced')) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    calib.child.kill('SIGKILL');
    const syncMs = Number(calib.lines.find((l) => l.startsWith('synced'))?.split(' ')[2] ?? 500);

    const cursors = new Set<number>();
    let midSync = 0;
    for (let i = 0; i < KILLS; i++) {
      if (i % 2 === 0) await publish();
      const w = spawnWorker(db, t.url, kiosk.token);
      await w.ready;
      if (i % 10 === 9) {
        // Every tenth run completes its sync before the kill, so the kiosk demonstrably progresses.
        const deadline = Date.now() + 60_000;
        while (!w.lines.some((l) => l.startsWith('synced') || l.startsWith('idle')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      } else {
        // A random moment within roughly one sync (sometimes before it starts, sometimes after).
        await new Promise((r) => setTimeout(r, Math.random() * syncMs * 1.3));
      }
      const exited = new Promise((r) => w.child.once('exit', r));
      w.child.kill('SIGKILL');
      await exited;
      if (!w.lines.some((l) => l.startsWith('synced') || l.startsWith('idle'))) midSync++;

      const raw = new Database(db);
      try {
        expect(raw.pragma('integrity_check', { simple: true }), `kill ${i}`).toBe('ok');
        const cursor = (raw.prepare('SELECT cursor FROM sync_state').get() as { cursor: number }).cursor;
        cursors.add(cursor);
        const store = new KbStore(raw, `${db}.blobs`, { indexes: [] }); // a read-only view: no index to keep
        const view = kioskView(store);
        if (cursor === 0) expect(Object.keys(view.articles)).toEqual([]);
        else expect(view, `kill ${i}: KB at cursor ${cursor}`).toEqual(await hubView(t.hub, cursor, kiosk));
        const n = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
        expect(n('SELECT count(*) n FROM search_docs')).toBe(n('SELECT count(*) n FROM articles'));
        expect(n('SELECT count(*) n FROM suggest_entries WHERE article_rowid NOT IN (SELECT rowid FROM articles)')).toBe(0);
      } finally {
        raw.close();
      }
    }
    // The kills did land in the middle of syncs, and the kiosk still made progress between them.
    expect(midSync).toBeGreaterThan(KILLS / 5);
    expect(cursors.size).toBeGreaterThanOrEqual(KILLS / 10);
  });
});
