// The kiosk sync engine against a real hub on a loopback port, with real kiosk SQLite files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDefaultKb } from '../../../core/kb/default-kb.ts';
import type { KbStore } from '../../../core/kb/store.ts';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { Searcher } from '../../../core/search/searcher.ts';
import { effectiveConfig } from '../../../core/sync/config.ts';
import { SyncEngine, type SyncStatus } from '../../../core/sync/engine.ts';
import { SyncError } from '../../../core/hub-client/errors.ts';
import { readSyncState } from '../../../core/sync/state.ts';
import { setConfig } from '../../../hub/fleet/config.ts';
import { compact } from '../../../hub/sync/gc.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { article, category, generatedKb, hubView, kioskView, postgresUnavailable, startHub, type BackendName, type TestHub } from '../../hub/harness.ts';

const pgSkip = await postgresUnavailable();
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0c8e50000000049454e44ae426082', 'hex');
const GIF = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`kiosk sync against a hub on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    let t: TestHub;
    let kiosk: { id: string; token: string; branch: string | null };
    let store: KbStore;
    const engine = (extra: Partial<ConstructorParameters<typeof SyncEngine>[1]> = {}) => new SyncEngine(store, { hubUrl: t.url, token: kiosk.token, pageLimit: 7, ...extra });
    const expectAtHub = async () => {
      const cursor = readSyncState(store.db).cursor;
      expect(kioskView(store)).toEqual(await hubView(t.hub, cursor, kiosk));
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      return cursor;
    };

    beforeEach(async () => {
      t = await startHub(backend);
      kiosk = await t.addKiosk('k1', 'north');
      store = openKbStore(join(tempDir(), 'kiosk.db'));
    });
    afterEach(async () => {
      store.close();
      await t.close();
    });

    it('full sync, then incremental changes, deletions, synonyms, blobs and config', async () => {
      const kb = generatedKb(40);
      kb.push(article('img', 'Where to put your card', 'Like this: ![card](card.png) and ![g](g.gif)', { categoryId: 'cat-1' }), { type: 'synonyms', terms: ['card', 'bankcard'] });
      const s1 = await t.publish(kb, { images: { 'card.png': PNG, 'g.gif': GIF } });
      await setConfig(t.hub, { scope: 'branch', branch: 'north' }, { branchName: 'North St', sync: { intervalSeconds: 60 } });
      const e = engine();
      const r1 = await e.syncOnce();
      expect(r1).toMatchObject({ changed: true, full: true, blobsFetched: 2 });
      expect(r1.pages).toBeGreaterThan(3);
      const c1 = await expectAtHub();
      expect(c1).toBeGreaterThan(s1.head);
      expect(store.counts()).toMatchObject({ articles: 41, categories: 5, blobs: 2, synonymGroups: 1 });
      expect(effectiveConfig(store.db)).toMatchObject({ branchName: 'North St', sync: { intervalSeconds: 60, maxBackoffSeconds: 1800 } });
      const search = new Searcher(store);
      expect(search.search('bankcard put', { locale: 'en', limit: 3 })[0]?.id).toBe('img');

      // Nothing changed: a 304, no pages.
      expect(await e.syncOnce()).toMatchObject({ changed: false, pages: 0 });

      // Edit every third article, drop the image article (its blobs go), new synonyms.
      const kb2 = generatedKb(40, 1);
      kb2.push({ type: 'synonyms', terms: ['queue', 'line'] });
      await t.publish(kb2);
      const r2 = await e.syncOnce();
      expect(r2).toMatchObject({ changed: true, full: false, blobsFetched: 0 });
      expect(r2.changes).toBe(14 + 1 + 1 + 2); // 14 edits, 1 tombstone, synonyms, 2 blob tombstones
      expect(r2.applied).toMatchObject({ articles: { put: 14, deleted: 1 }, synonyms: true, reindexed: true });
      await expectAtHub();
      expect(store.counts().blobs).toBe(0);
      expect(existsSync(store.blobs.pathOf(createDigest(PNG)))).toBe(false);
      expect(new Searcher(store).search('line', { locale: 'en', limit: 50 }).length).toBeGreaterThan(0);
    });

    it('replaces a seeded starter KB on the first sync', async () => {
      seedDefaultKb(store);
      expect(store.counts().articles).toBeGreaterThan(50);
      await t.publish([category('c', 'C'), article('only', 'The only article', 'text', { categoryId: 'c' })]);
      await engine().syncOnce();
      expect(store.counts()).toMatchObject({ articles: 1, categories: 1, synonymGroups: 0 });
      await expectAtHub();
    });

    it('resumes an interrupted sync from its staged pages', async () => {
      await t.publish(generatedKb(60));
      let staged = 0;
      const failing = engine({
        onStep: (step) => {
          if (step === 'page-staged' && ++staged === 4) throw new SyncError('network', 'simulated cut');
        },
      });
      await expect(failing.syncOnce()).rejects.toThrow('simulated cut');
      expect(readSyncState(store.db)).toMatchObject({ cursor: 0, stage: { since: 0, after: 4 * 7 } });
      expect(store.counts().articles).toBe(0);
      const r = await engine().syncOnce();
      expect(r.pages).toBe(Math.ceil(65 / 7) - 4);
      await expectAtHub();
      expect(readSyncState(store.db).stage).toBeNull();
    });

    it('ends at the snapshot it started with when IT publishes mid-sync, and catches up next time', async () => {
      await t.publish(generatedKb(30));
      let once = false;
      const e = engine({
        onStep: async (step) => {
          if (step === 'page-staged' && !once) {
            once = true;
            await t.publish(generatedKb(30, 7));
          }
        },
      });
      const r1 = await e.syncOnce();
      const c1 = await expectAtHub();
      expect(kioskView(store).articles['en/a-0']).toContain('r0');
      const r2 = await e.syncOnce();
      expect(r2.cursor).toBeGreaterThan(c1);
      expect(kioskView(store).articles['en/a-0']).toContain('r7');
      await expectAtHub();
      expect(r1.full && !r2.full).toBe(true);
    });

    it('does a full resync when its cursor is older than the tombstone horizon or the hub is another one', async () => {
      await t.publish(generatedKb(10));
      const e = engine();
      await e.syncOnce();
      await t.publish(generatedKb(5)); // 5 tombstones
      await t.publish(generatedKb(5, 2));
      await compact(t.hub, { olderThanMs: 0 });
      t.server.head.invalidate();
      const r = await e.syncOnce();
      expect(r.full).toBe(true);
      expect(store.counts().articles).toBe(5);
      await expectAtHub();

      // The hub's database is replaced (restore from an old backup, new install): new hub id.
      await t.close();
      t = await startHub(backend);
      kiosk = await t.addKiosk('k1', 'north');
      await t.publish([article('fresh', 'Fresh start', 'new hub')]);
      const r2 = await engine().syncOnce();
      expect(r2.full).toBe(true);
      expect(Object.keys(kioskView(store).articles)).toEqual(['en/fresh']);
      await expectAtHub();
    });

    it('reports status, goes offline with backoff, and refuses plain http to a non-loopback hub', async () => {
      await t.publish(generatedKb(3));
      const statuses: SyncStatus[] = [];
      const e = engine();
      e.on('status', (s) => statuses.push(s));
      await e.syncOnce();
      expect(statuses.some((s) => s.state === 'syncing' && s.progress?.phase === 'apply')).toBe(true);
      expect(statuses.at(-1)).toMatchObject({ state: 'idle', online: true, lastError: null });

      const down = new SyncEngine(store, { hubUrl: 'http://127.0.0.1:9', token: 'x', timeoutMs: 2000 });
      const seen: SyncStatus[] = [];
      down.on('status', (s) => seen.push(s));
      down.start();
      await until(() => seen.some((s) => s.state === 'error'));
      await down.stop();
      const failed = seen.find((s) => s.state === 'error')!;
      expect(failed.online).toBe(false);
      expect(failed.lastError).toMatch(/cannot reach the hub/);
      expect(readSyncState(store.db).lastError).toMatch(/cannot reach the hub/);
      expect(() => new SyncEngine(store, { hubUrl: 'http://hub.example.com', token: 'x' })).toThrow(/refusing plain http/);
      expect(() => new SyncEngine(store, { hubUrl: 'http://hub.example.com', token: 'x', allowInsecureHttp: true })).not.toThrow();
      await expect(new SyncEngine(store, { hubUrl: t.url, token: 'wrong' }).syncOnce()).rejects.toMatchObject({ code: 'auth' });
    });
  });
}

import { createHash } from 'node:crypto';
function createDigest(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
