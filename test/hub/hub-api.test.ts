// The hub over real HTTP, on SQLite and on PostgreSQL (the same suite; the PostgreSQL run is
// skipped with its reason when no server is reachable, and required in CI).
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeHashInput, checkpointLine, SyncPage } from '../../contracts/sync-protocol.ts';
import { compact } from '../../hub/sync/gc.ts';
import { setConfig } from '../../hub/fleet/config.ts';
import { api, article, category, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();
if (pgSkip) console.warn(`[hub-api] PostgreSQL variant SKIPPED: ${pgSkip}`);

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0c8e50000000049454e44ae426082', 'hex');

type Page = ReturnType<typeof SyncPage.parse>;

async function allPages(t: TestHub, token: string, since: number, limit = 2): Promise<Page[]> {
  const pages: Page[] = [];
  let after = since;
  let to: number | undefined;
  for (;;) {
    const r = await api(t, `/v1/sync/changes?since=${since}&after=${after}&limit=${limit}${to !== undefined ? `&to=${to}` : ''}`, { token });
    expect(r.status, r.text).toBe(200);
    const page = SyncPage.parse(r.json);
    pages.push(page);
    to = page.to;
    if (page.next === null) return pages;
    after = page.next;
  }
}

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`hub API on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    let t: TestHub;
    let kiosk: { id: string; token: string; branch: string | null };

    beforeEach(async () => {
      t = await startHub(backend);
      kiosk = await t.addKiosk('k1', 'north');
    });
    afterEach(async () => {
      await t.close();
    });

    const kb1 = [
      category('cards', 'Cards'),
      category('lost', 'Lost cards', { parentId: 'cards' }),
      article('a1', 'Report a lost card', 'Call us. ![steps](img/steps.png)', { categoryId: 'lost' }),
      article('a2', 'Opening hours', 'Nine to five.'),
      article('a3', 'Change PIN', 'At the counter.', { categoryId: 'cards' }),
      { type: 'synonyms', terms: ['pin', 'password'] },
    ];

    it('serves a full sync as pages whose hashes and checkpoint the kiosk can verify', async () => {
      const s = await t.publish(kb1, { images: { 'img/steps.png': PNG } });
      expect(s).toMatchObject({ revision: 1, added: 3, updated: 0, removed: 0, blobs: 1 });
      const pages = await allPages(t, kiosk.token, 0);
      expect(pages.length).toBeGreaterThan(1);
      const changes = pages.flatMap((p) => p.changes);
      expect(changes.map((c) => c.kind).sort()).toEqual(['article', 'article', 'article', 'blob', 'category', 'category', 'synonyms']);
      for (const c of changes) expect(sha(changeHashInput(c))).toBe(c.hash);
      const cp = pages.at(-1)!.checkpoint!;
      expect(cp).toEqual({ since: 0, to: s.head, count: changes.length, checksum: sha(changes.map((c) => checkpointLine(c.seq, c.hash)).join('')) });
      const a1 = changes.find((c) => c.key === 'en/a1')!;
      expect(a1.op === 'put' && a1.kind === 'article' && a1.data.body).toBe(`Call us. ![steps](kb-blob:${sha(PNG)})`);
      expect(pages.every((p) => p.to === s.head && p.full)).toBe(true);
    });

    it('does not re-send unchanged articles; sends changes and tombstones incrementally', async () => {
      const first = await t.publish(kb1, { images: { 'img/steps.png': PNG } });
      const again = await t.publish(kb1, { images: { 'img/steps.png': PNG } });
      expect(again).toMatchObject({ revision: first.revision, head: first.head, added: 0, updated: 0, unchanged: 3 });

      const kb2 = kb1.filter((r) => (r as { id?: string }).id !== 'a2').map((r) => ((r as { id?: string }).id === 'a3' ? { ...r, body: 'At any counter.' } : r));
      const second = await t.publish(kb2, { images: { 'img/steps.png': PNG } });
      expect(second).toMatchObject({ revision: 2, added: 0, updated: 1, unchanged: 1, removed: 1 });
      const delta = (await allPages(t, kiosk.token, first.head, 50)).flatMap((p) => p.changes);
      expect(delta.map((c) => `${c.op} ${c.key}`).sort()).toEqual(['delete en/a2', 'put en/a3']);
      // A full sync never carries tombstones.
      const full = (await allPages(t, kiosk.token, 0, 50)).flatMap((p) => p.changes);
      expect(full.some((c) => c.op === 'delete')).toBe(false);
      expect(full.filter((c) => c.kind === 'article').map((c) => c.key).sort()).toEqual(['en/a1', 'en/a3']);
    });

    it('keeps a sync consistent when IT publishes between its pages', async () => {
      const s1 = await t.publish(kb1, { images: { 'img/steps.png': PNG } });
      const p1 = await api(t, `/v1/sync/changes?since=0&limit=2`, { token: kiosk.token });
      const page1 = SyncPage.parse(p1.json);
      await t.publish(kb1.map((r) => ((r as { id?: string }).id === 'a3' ? { ...r, title: 'Changed PIN' } : r)), { images: { 'img/steps.png': PNG } });
      const rest = await api(t, `/v1/sync/changes?since=0&after=${page1.next}&to=${page1.to}&limit=100`, { token: kiosk.token });
      const page2 = SyncPage.parse(rest.json);
      const changes = [...page1.changes, ...page2.changes];
      const a3 = changes.find((c) => c.key === 'en/a3');
      expect(a3 && a3.op === 'put' && a3.kind === 'article' && a3.data.title).toBe('Change PIN'); // the snapshot at s1.head
      expect(page2.checkpoint).toMatchObject({ to: s1.head, count: changes.length });
    });

    it('answers 304 to an unchanged poll and a page once something changed', async () => {
      const s = await t.publish(kb1.slice(0, 2));
      const health = (await api(t, '/v1/health')).json as { hubId: string; head: number; db: string };
      expect(health).toMatchObject({ ok: true, head: s.head, db: backend });
      const etag = `"${health.hubId}:${s.head}"`;
      const poll = await api(t, `/v1/sync/changes?since=${s.head}`, { token: kiosk.token, headers: { 'if-none-match': etag } });
      expect(poll.status).toBe(304);
      expect(poll.headers.get('etag')).toBe(etag);
      await t.publish([...kb1.slice(0, 2), article('a9', 'New', 'text')]);
      const after = await api(t, `/v1/sync/changes?since=${s.head}`, { token: kiosk.token, headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(SyncPage.parse(after.json).changes.map((c) => c.key)).toEqual(['en/a9']);
    });

    it('gzips pages when asked', async () => {
      await t.publish(Array.from({ length: 30 }, (_, i) => article(`g${i}`, `Title ${i}`, 'long body '.repeat(50))));
      const res = await fetch(new URL('/v1/sync/changes?since=0', t.url), { headers: { authorization: `Bearer ${kiosk.token}`, 'accept-encoding': 'gzip' } });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const raw = await fetch(new URL('/v1/sync/changes?since=0', t.url), { headers: { authorization: `Bearer ${kiosk.token}`, 'accept-encoding': 'identity' } });
      expect(raw.headers.get('content-encoding')).toBeNull();
      expect((await raw.json()) as unknown).toMatchObject({ protocol: 1 });
    });

    it('refuses bad sync queries with a clear 400, old cursors with 410 and expired snapshots with 409', async () => {
      const s1 = await t.publish(kb1.slice(0, 4), { images: { 'img/steps.png': PNG } });
      for (const q of ['since=abc', 'since=-1', 'since=0&limit=0', 'since=0&limit=5000', 'since=0&bogus=1', `since=0&to=${s1.head + 5}`, 'since=3&after=1']) {
        const r = await api(t, `/v1/sync/changes?${q}`, { token: kiosk.token });
        expect(r.status, q).toBe(400);
        expect((r.json as { error: { code: string; message: string } }).error.code).toBe('bad_request');
      }
      const ahead = await api(t, `/v1/sync/changes?since=${s1.head + 100}`, { token: kiosk.token });
      expect(ahead.status).toBe(410);
      // A deletion, then compaction of everything: a cursor from before the tombstone must reset.
      const s2 = await t.publish(kb1.slice(0, 2));
      expect(s2.removed).toBe(2);
      await t.publish(kb1.slice(0, 1).map((c) => ({ ...c, title: 'Cards!' })));
      const gc = await compact(t.hub, { olderThanMs: 0 });
      t.server.head.invalidate();
      expect(gc.tombstones).toBeGreaterThan(0);
      const old = await api(t, `/v1/sync/changes?since=${s1.head}`, { token: kiosk.token });
      expect(old.status).toBe(410);
      expect(old.json).toMatchObject({ error: { code: 'reset_required', horizon: gc.tombstoneHorizon } });
      const expired = await api(t, `/v1/sync/changes?since=0&to=${s1.head}`, { token: kiosk.token });
      expect(expired.status).toBe(409);
      expect(expired.json).toMatchObject({ error: { code: 'snapshot_expired' } });
    });

    it('the fleet view shows what each kiosk reports with its polls: version, update state, backlog', async () => {
      const poll = (headers: Record<string, string>) => api(t, '/v1/sync/changes?since=0', { token: kiosk.token, headers });
      expect((await poll({ 'x-kiosk-app-version': '1.4.2', 'x-kiosk-update-state': 'downloaded', 'x-kiosk-outbox-backlog': '7', 'x-kiosk-device-health': 'printer:connected:paper-near-end' })).status).toBe(200);
      await t.server.flushStatus();
      const k = ((await api(t, '/v1/admin/kiosks', { token: t.adminToken })).json as { kiosks: Array<Record<string, unknown>> }).kiosks[0]!;
      expect(k).toMatchObject({ name: 'k1', appVersion: '1.4.2', updateState: 'downloaded', outboxBacklog: 7, deviceHealth: [{ kind: 'printer', state: 'connected', codes: ['paper-near-end'] }] });
      // A malformed report is ignored, the last good one stays.
      await poll({ 'x-kiosk-update-state': '<script>' });
      await t.server.flushStatus();
      const again = ((await api(t, '/v1/admin/kiosks', { token: t.adminToken })).json as { kiosks: Array<Record<string, unknown>> }).kiosks[0]!;
      expect(again.updateState).toBe('downloaded');
    });

    it('authenticates kiosks and admins separately, and forgets revoked tokens', async () => {
      expect((await api(t, '/v1/sync/changes?since=0')).status).toBe(401);
      expect((await api(t, '/v1/sync/changes?since=0', { token: 'lkk_nope' })).status).toBe(401);
      expect((await api(t, '/v1/sync/changes?since=0', { token: t.adminToken })).status).toBe(403);
      expect((await api(t, '/v1/admin/kiosks', { token: kiosk.token })).status).toBe(403);
      const list = await api(t, '/v1/admin/kiosks', { token: t.adminToken });
      expect((list.json as { kiosks: Array<{ name: string }> }).kiosks.map((k) => k.name)).toEqual(['k1']);
      expect(list.text).not.toContain(kiosk.token);
      const created = await api(t, '/v1/admin/kiosks', { method: 'POST', token: t.adminToken, body: JSON.stringify({ name: 'k2', branch: 'south' }) });
      expect(created.status).toBe(201);
      const k2 = created.json as { token: string };
      expect((await api(t, '/v1/sync/changes?since=0', { token: k2.token })).status).toBe(200);
      expect((await api(t, '/v1/admin/kiosks', { method: 'POST', token: t.adminToken, body: JSON.stringify({ name: 'k2' }) })).status).toBe(409);
      expect((await api(t, '/v1/admin/kiosks', { method: 'POST', token: t.adminToken, body: JSON.stringify({ name: '../x' }) })).status).toBe(400);
      expect((await api(t, '/v1/admin/kiosks/k2', { method: 'DELETE', token: t.adminToken })).status).toBe(200);
      expect((await api(t, '/v1/sync/changes?since=0', { token: k2.token })).status).toBe(401);
    });

    it('serves blobs by digest with Range, and refuses bad digests and ranges', async () => {
      await t.publish(kb1.slice(0, 3), { images: { 'img/steps.png': PNG } });
      const digest = sha(PNG);
      const whole = await fetch(new URL(`/v1/blobs/${digest}`, t.url), { headers: { authorization: `Bearer ${kiosk.token}` } });
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await whole.arrayBuffer())).toEqual(PNG);
      const part = await fetch(new URL(`/v1/blobs/${digest}`, t.url), { headers: { authorization: `Bearer ${kiosk.token}`, range: 'bytes=10-' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 10-${PNG.length - 1}/${PNG.length}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(PNG.subarray(10));
      expect((await api(t, `/v1/blobs/${digest}`, { token: kiosk.token, headers: { range: `bytes=${PNG.length + 5}-` } })).status).toBe(416);
      expect((await api(t, `/v1/blobs/${'0'.repeat(64)}`, { token: kiosk.token })).status).toBe(404);
      expect((await api(t, `/v1/blobs/not-a-digest`, { token: kiosk.token })).status).toBe(400);
    });

    it('applies each outbox item once, rejects bad items alone, and refuses malformed batches', async () => {
      const key = (n: number) => `01890a5d-ac96-7${String(n).padStart(3, '0')}-8000-000000000000`;
      const ticket = { category: 'card-lost', text: 'help', locale: 'en', contact: { phone: '13800138000' } };
      const batch = {
        items: [
          { key: key(1), kind: 'ticket', createdAt: '2026-01-01T10:00:00Z', payload: ticket },
          { key: key(2), kind: 'rating', createdAt: '2026-01-01T10:00:00Z', payload: { score: 9, locale: 'en' } },
          { key: key(3), kind: 'search', createdAt: '2026-01-01T10:00:00Z', payload: { locale: 'en', query: 'lost card', results: 0 } },
          { key: key(4), kind: 'teleport', createdAt: '2026-01-01T10:00:00Z', payload: {} },
        ],
      };
      const r1 = await api(t, '/v1/outbox', { method: 'POST', token: kiosk.token, body: JSON.stringify(batch) });
      expect(r1.status).toBe(200);
      const results = (r1.json as { results: Array<{ key: string; status: string; reason?: string }> }).results;
      expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'rejected']);
      expect(results[1]!.reason).toMatch(/score/);
      expect(results[3]!.reason).toMatch(/unknown item kind/);
      const r2 = await api(t, '/v1/outbox', { method: 'POST', token: kiosk.token, body: JSON.stringify(batch) });
      expect((r2.json as { results: Array<{ status: string }> }).results.map((r) => r.status)).toEqual(['duplicate', 'rejected', 'duplicate', 'rejected']);
      // Same key, other content: a kiosk bug, refused rather than silently merged.
      const conflict = await api(t, '/v1/outbox', { method: 'POST', token: kiosk.token, body: JSON.stringify({ items: [{ ...batch.items[0], payload: { ...ticket, text: 'other' } }] }) });
      expect((conflict.json as { results: Array<{ status: string; reason: string }> }).results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/already used/) });
      // Racing retries of the same key: exactly one row.
      const race = { items: [{ key: key(9), kind: 'ticket', createdAt: '2026-01-01T10:00:00Z', payload: ticket }] };
      const answers = await Promise.all(Array.from({ length: 8 }, () => api(t, '/v1/outbox', { method: 'POST', token: kiosk.token, body: JSON.stringify(race) })));
      const statuses = answers.map((a) => (a.json as { results: Array<{ status: string }> }).results[0]!.status).sort();
      expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(7);
      const tickets = await api(t, '/v1/admin/inbox/ticket', { token: t.adminToken });
      expect((tickets.json as { items: Array<{ key: string }> }).items.map((i) => i.key).sort()).toEqual([key(1), key(9)]);
      const gaps = await api(t, '/v1/admin/analytics/searches?noResults=true', { token: t.adminToken });
      expect((gaps.json as { searches: unknown[] }).searches).toEqual([expect.objectContaining({ query: 'lost card', count: 1, noResults: 1 })]);

      for (const [body, code, status] of [
        ['{"items": [', 'malformed_json', 400],
        [JSON.stringify({ items: [] }), 'bad_request', 400],
        [JSON.stringify({ items: [{ key: 'not-a-uuid', kind: 'ticket', createdAt: 'x', payload: {} }] }), 'bad_request', 400],
        [JSON.stringify({ items: [{ key: key(5), kind: 'ticket', createdAt: '2026-01-01T10:00:00Z', payload: { text: 'x'.repeat(1_100_000) } }] }), 'too_large', 413],
      ] as const) {
        const r = await api(t, '/v1/outbox', { method: 'POST', token: kiosk.token, body });
        expect(r.status).toBe(status);
        expect((r.json as { error: { code: string } }).error.code).toBe(code);
      }
      expect((await api(t, '/v1/admin/inbox/ticket', { token: t.adminToken })).text).not.toContain(key(5));
    });

    it('scopes configuration to fleet, branch and kiosk, and refuses invalid configuration', async () => {
      const other = await t.addKiosk('k2', 'south');
      await setConfig(t.hub, { scope: 'fleet' }, { idleTimeoutSeconds: 120 });
      await setConfig(t.hub, { scope: 'branch', branch: 'north' }, { branchName: 'North St' });
      await setConfig(t.hub, { scope: 'kiosk', kiosk: 'k2' }, { languages: ['en'] });
      t.server.head.invalidate();
      const seen = async (token: string) =>
        (await allPages(t, token, 0, 100)).flatMap((p) => p.changes).map((c) => (c.op === 'put' ? `${c.key}=${JSON.stringify(c.data)}` : c.key)).sort();
      expect(await seen(kiosk.token)).toEqual(['branch={"branchName":"North St"}', 'fleet={"idleTimeoutSeconds":120}']);
      expect(await seen(other.token)).toEqual(['fleet={"idleTimeoutSeconds":120}', 'kiosk={"languages":["en"]}']);

      const head = ((await api(t, '/v1/health')).json as { head: number }).head;
      for (const config of [{ idleTimeoutSeconds: 1 }, { languages: ['fr'] }, { colour: 'red' }, { maintenanceWindow: { start: '25:00', end: '01:00' } }]) {
        const r = await api(t, '/v1/admin/config', { method: 'PUT', token: t.adminToken, body: JSON.stringify({ target: { scope: 'fleet' }, config }) });
        expect(r.status, JSON.stringify(config)).toBe(400);
        expect((r.json as { error: { message: string } }).error.message).toMatch(/field '/);
      }
      expect(((await api(t, '/v1/health')).json as { head: number }).head).toBe(head);
      const ok = await api(t, '/v1/admin/config', { method: 'PUT', token: t.adminToken, body: JSON.stringify({ target: { scope: 'kiosk', kiosk: 'k1' }, config: { idleTimeoutSeconds: 60 } }) });
      expect(ok.status).toBe(200);
      expect((await api(t, '/v1/admin/config', { method: 'PUT', token: t.adminToken, body: JSON.stringify({ target: { scope: 'kiosk', kiosk: 'nobody' }, config: {} }) })).status).toBe(404);
    });

    it('answers unknown endpoints and rate-limited clients with the error shape', async () => {
      const nf = await api(t, '/v1/nothing', { token: kiosk.token });
      expect(nf.status).toBe(404);
      expect(nf.json).toMatchObject({ error: { code: 'not_found' } });
      await t.close();
      t = await startHub(backend, { rateLimitPerMinute: 3 });
      const k = await t.addKiosk('k1');
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await api(t, '/v1/sync/changes?since=0', { token: k.token })).status);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect((await api(t, '/v1/sync/changes?since=0', { token: k.token })).json).toMatchObject({ error: { code: 'rate_limited' } });
    });
  });
}
