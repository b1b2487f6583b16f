// The console's fleet API over HTTP (real Fastify server on loopback, SQLite and PostgreSQL): the
// kiosk list built from real polls, a kiosk's page (status, history, commands), enrolment and
// revocation, the configuration editor with field errors, live events — and a branch manager kept
// to their branch in every one of them. People are authenticated by a test UserAuthenticator (the
// seam console sessions and personal tokens plug into): `x-test-user: <role>[:<branch>]`.
import { afterEach, describe, expect, it } from 'vitest';
import { KIOSK_HEADERS } from '../../contracts/sync-protocol.ts';
import type { HubEvent } from '../../contracts/hub-events.ts';
import { setAdminToken } from '../../hub/fleet/kiosks.ts';
import { api, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';
import { openSse } from './sse-client.ts';
import { testUsers } from './test-users.ts';

const pgSkip = await postgresUnavailable();

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`console fleet API on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    const as = (who: string) => ({ headers: { 'x-test-user': who } });
    const get = (path: string, who = 'admin') => api(hub!, path, as(who));
    const send = (method: string, path: string, body: unknown, who = 'admin') => api(hub!, path, { method, body: JSON.stringify(body), headers: { 'x-test-user': who } });
    const poll = (token: string, headers: Record<string, string> = {}) => api(hub!, '/v1/sync/changes?since=0', { token, headers });

    it('lists kiosks from their polls, filters and pages; a branch manager sees only their branch', async () => {
      hub = await startHub(backend, { userAuthenticators: [testUsers] });
      const tokens: Record<string, string> = {};
      for (const [name, branch] of [['n1', 'north'], ['n2', 'north'], ['s1', 'south'], ['x1', undefined]] as const) tokens[name] = (await hub.addKiosk(name, branch)).token;
      expect((await poll(tokens.n1!, { [KIOSK_HEADERS.appVersion]: '1.2.0', [KIOSK_HEADERS.deviceHealth]: 'printer:connected:paper-near-end', [KIOSK_HEADERS.updateState]: 'idle', [KIOSK_HEADERS.outboxBacklog]: '3' })).status).toBe(200);
      expect((await poll(tokens.s1!, { [KIOSK_HEADERS.appVersion]: '1.10.0', [KIOSK_HEADERS.deviceHealth]: 'idcard:disconnected' })).status).toBe(200);
      await hub.server.flushStatus();

      const all = await get('/v1/kiosks?sort=appVersion&order=desc');
      expect(all.status, all.text).toBe(200);
      const body = all.json as { kiosks: Array<Record<string, unknown>>; total: number; counts: Record<string, unknown> };
      expect(body.kiosks.map((k) => [k.name, k.appVersion, k.health, k.online])).toEqual([
        ['s1', '1.10.0', 'error', true],
        ['n1', '1.2.0', 'warning', true],
        ['n2', null, null, false],
        ['x1', null, null, false],
      ]);
      expect(body.counts).toMatchObject({ total: 4, online: 2, health: { ok: 0, warning: 1, error: 1, unknown: 2 } });
      expect(((await get('/v1/kiosks?online=true&limit=1&offset=1')).json as { kiosks: Array<{ name: string }>; total: number }).total).toBe(2);
      // bad queries name the field
      const bad = await get('/v1/kiosks?limit=0&sort=colour');
      expect(bad.status).toBe(400);
      expect((bad.json as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path).sort()).toEqual(['limit', 'sort']);

      const north = await get('/v1/kiosks', 'branch-manager:north');
      expect((north.json as { kiosks: Array<{ name: string }> }).kiosks.map((k) => k.name)).toEqual(['n1', 'n2']);
      expect((north.json as { counts: { total: number } }).counts.total).toBe(2);
      expect((await get('/v1/kiosks/s1', 'branch-manager:north')).status).toBe(404);
      expect((await get('/v1/kiosks/s1/history', 'branch-manager:north')).status).toBe(404);
      expect((await get('/v1/kiosks/s1/commands', 'branch-manager:north')).status).toBe(404);
      expect((await send('POST', '/v1/kiosks/s1/commands', { type: 'sync' }, 'branch-manager:north')).status).toBe(404);
      expect((await get('/v1/kiosks/n1', 'branch-manager:north')).json).toMatchObject({ kiosk: { name: 'n1', outboxBacklog: 3 } });
      expect((await get('/v1/kiosks', 'branch-manager')).json).toMatchObject({ total: 0 });
      expect((await get('/v1/updates/adoption', 'branch-manager:north')).json).toMatchObject({ total: 2, versions: [{ version: '1.2.0', kiosks: 1 }, { version: null, kiosks: 1 }] });
      // roles without fleet access, and no one
      expect((await get('/v1/kiosks', 'editor')).status).toBe(403);
      expect((await get('/v1/kiosks', 'agent')).status).toBe(403);
      expect((await api(hub, '/v1/kiosks')).status).toBe(401);
      expect((await api(hub, '/v1/kiosks', { token: tokens.n1 })).status).toBe(403);
      // central IT's actions are central IT's
      for (const [method, path, b] of [['POST', '/v1/kiosks', { name: 'n3', branch: 'north' }], ['DELETE', '/v1/kiosks/n1', undefined], ['POST', '/v1/kiosks/n1/token', undefined], ['PUT', '/v1/config', { target: { scope: 'branch', branch: 'north' }, config: {} }]] as const) {
        expect((await api(hub, path, { method, ...(b ? { body: JSON.stringify(b) } : {}), headers: { 'x-test-user': 'branch-manager:north' } })).status, `${method} ${path}`).toBe(403);
      }
    });

    it('the kiosk page: history from polls, commands with their outcomes, live', async () => {
      hub = await startHub(backend, { userAuthenticators: [testUsers] });
      const { token } = await hub.addKiosk('n1', 'north');
      const admin = await openSse(`${hub.url}/v1/events`, { 'x-test-user': 'admin' });
      const north = await openSse(`${hub.url}/v1/events`, { 'x-test-user': 'branch-manager:north' });
      const south = await openSse(`${hub.url}/v1/events`, { 'x-test-user': 'branch-manager:south' });
      for (let i = 0; i < 3; i++) await poll(token, { [KIOSK_HEADERS.appVersion]: '1.0.0', [KIOSK_HEADERS.outboxBacklog]: String(i) });
      await hub.server.flushStatus();
      const history = await get('/v1/kiosks/n1/history?hours=1', 'branch-manager:north');
      expect(history.status, history.text).toBe(200);
      expect(history.json).toMatchObject({ kiosk: 'n1', bucketSeconds: 300, buckets: [{ polls: 3, appVersion: '1.0.0', outboxBacklog: 2 }] });
      expect((await get('/v1/kiosks/n1/history?hours=48')).status).toBe(400);

      // the status change reached the consoles allowed to see it
      await north.waitFor((f) => f.event === 'kiosk.status', 'kiosk.status');
      await admin.waitFor((f) => f.event === 'kiosk.status', 'kiosk.status');

      // a branch manager sends a sync; the kiosk fetches and reports; the outcome is live and listed
      const sent = await send('POST', '/v1/kiosks/n1/commands', { type: 'sync' }, 'branch-manager:north');
      expect(sent.status, sent.text).toBe(201);
      const cmd = (sent.json as { command: { id: string } }).command;
      const open = await api(hub, '/v1/fleet/commands', { token });
      expect((open.json as { commands: Array<{ id: string }> }).commands.map((c) => c.id)).toEqual([cmd.id]);
      expect((await api(hub, `/v1/fleet/commands/${cmd.id}/result`, { method: 'POST', token, body: JSON.stringify({ state: 'done', detail: 'synced to 3' }) })).status).toBe(200);
      const outcome = await north.waitFor((f) => f.event === 'command.updated' && f.data.includes('"state":"done"'), 'the outcome');
      expect(JSON.parse(outcome.data)).toMatchObject({ branch: 'north', data: { command: { id: cmd.id, kiosk: 'n1', state: 'done', detail: 'synced to 3' } } });
      expect((await get('/v1/kiosks/n1/commands')).json).toMatchObject({ commands: [{ id: cmd.id, state: 'done' }] });
      await new Promise((r) => setTimeout(r, 200));
      expect(south.frames).toEqual([]);
      for (const c of [admin, north, south]) c.close();
    });

    it('enrols (token shown once, works at once), renews and revokes; consoles hear of it', async () => {
      hub = await startHub(backend, { userAuthenticators: [testUsers] });
      const events = await openSse(`${hub.url}/v1/events?types=kiosk.enrolled,kiosk.revoked`, { 'x-test-user': 'branch-manager:north' });
      const enrolled = await send('POST', '/v1/kiosks', { name: 'lobby-9', branch: 'north' });
      expect(enrolled.status, enrolled.text).toBe(201);
      const { token, kiosk } = enrolled.json as { token: string; kiosk: { name: string; online: boolean } };
      expect(kiosk).toMatchObject({ name: 'lobby-9', online: false });
      expect((await poll(token)).status).toBe(200);
      expect((await send('POST', '/v1/kiosks', { name: 'lobby-9' })).status).toBe(409);
      expect((await send('POST', '/v1/kiosks', { name: '<script>' })).status).toBe(400);
      const renewed = await send('POST', '/v1/kiosks/lobby-9/token', undefined);
      const token2 = (renewed.json as { token: string }).token;
      expect(token2).not.toBe(token);
      expect((await poll(token)).status).toBe(401);
      expect((await poll(token2)).status).toBe(200);
      const revoked = await api(hub, '/v1/kiosks/lobby-9', { method: 'DELETE', headers: { 'x-test-user': 'admin' } });
      expect(revoked.json).toMatchObject({ kiosk: { name: 'lobby-9', revokedAt: expect.any(String) } });
      expect((await poll(token2)).status).toBe(401);
      await events.waitFor((f) => f.event === 'kiosk.revoked', 'kiosk.revoked');
      expect(events.data<HubEvent>().map((e) => e.type)).toEqual(['kiosk.enrolled', 'kiosk.enrolled', 'kiosk.revoked']);
      // the token is in no event
      expect(events.frames.some((f) => f.data.includes(token) || f.data.includes(token2))).toBe(false);
      events.close();
    });

    it('configuration editor: layers, effective config, errors at the field, stale edits, hostile text kept as text', async () => {
      hub = await startHub(backend, { userAuthenticators: [testUsers] });
      await hub.addKiosk('n1', 'north');
      const events = await openSse(`${hub.url}/v1/events?types=config.changed`, { 'x-test-user': 'branch-manager:north' });
      const hostile = '<img src=x onerror=alert(1)>"; DROP TABLE kiosks; --';
      const w = await send('PUT', '/v1/config', { target: { scope: 'branch', branch: 'north' }, config: { branchName: hostile, idleTimeoutSeconds: 60 }, expectedHash: null });
      expect(w.status, w.text).toBe(200);
      expect(w.json).toMatchObject({ published: { head: expect.any(Number) }, view: { layer: { branchName: hostile }, hash: expect.any(String) } });
      const view = await get('/v1/config?scope=kiosk&name=n1', 'branch-manager:north');
      expect(view.json).toMatchObject({ inherited: { branch: { branchName: hostile } }, effective: { branchName: hostile, idleTimeoutSeconds: 60 }, sources: { branchName: 'branch', idleTimeoutSeconds: 'branch' } });

      const bad = await send('PUT', '/v1/config', { target: { scope: 'fleet' }, config: { update: { feedUrl: 'ftp://x' }, idleTimeoutSeconds: 5, colour: 'red' } });
      expect(bad.status).toBe(400);
      expect((bad.json as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path).sort()).toEqual(['config', 'config.idleTimeoutSeconds', 'config.update.feedUrl']);
      const stale = await send('PUT', '/v1/config', { target: { scope: 'branch', branch: 'north' }, config: {}, expectedHash: 'not-the-hash' });
      expect(stale.status).toBe(409);
      expect((await get('/v1/config?scope=kiosk')).status).toBe(400);
      expect((await get('/v1/config?scope=branch&name=south', 'branch-manager:north')).status).toBe(404);
      const changed = await events.waitFor((f) => f.event === 'config.changed', 'config.changed');
      expect(JSON.parse(changed.data)).toMatchObject({ branch: 'north', data: { target: { scope: 'branch', branch: 'north' } } });
      events.close();
    });

    it('a stream ends when its credentials stop holding; a bad query is refused before streaming', async () => {
      hub = await startHub(backend, { events: { reauthMs: 100 } });
      const stream = await openSse(`${hub.url}/v1/events`, { authorization: `Bearer ${hub.adminToken}` });
      expect(stream.status).toBe(200);
      expect((await openSse(`${hub.url}/v1/events?types=kiosk.status,bogus`, { authorization: `Bearer ${hub.adminToken}` })).status).toBe(400);
      // a new admin token: the old one no longer authenticates, and its stream closes
      await setAdminToken(hub.hub);
      await stream.ended;
      expect(hub.server.sse.stats.connections).toBe(0);
    });
  });
}
