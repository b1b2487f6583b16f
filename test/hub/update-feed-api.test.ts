// The update feed and release uploads over HTTP (real Fastify server on loopback, SQLite and
// PostgreSQL, a real artifact folder): the artifact goes up as the raw request body and is
// streamed to disk (larger than the JSON body limit, never parsed), refused by size, type or
// sha512 with nothing kept; the public feed serves the yml and the artifact with Range; only
// admins upload and roll out; consoles hear of releases and rollouts.
import { existsSync, readdirSync } from 'node:fs';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { api, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';
import { releaseFixture } from './releases-fixture.ts';
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
  describe.skipIf(skip)(`update feed and uploads on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    const admin = (path: string, init: RequestInit = {}) => api(hub!, path, { token: hub!.adminToken, ...init });
    const put = (path: string, body: Buffer, headers: Record<string, string> = {}) => admin(path, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream', ...headers } });

    it('uploads by stream, refuses bad artifacts keeping nothing, serves the feed with Range', async () => {
      hub = await startHub(backend, { userAuthenticators: [testUsers], updates: { maxArtifactBytes: 8 * 1024 * 1024 } });
      const consoleEvents = await openSse(`${hub.url}/v1/events?types=release.changed,rollout.changed`, { authorization: `Bearer ${hub.adminToken}` });
      // 3 MiB: three times the JSON body limit — only a stream gets it through
      const rel = releaseFixture('1.3.0', { size: 3 * 1024 * 1024 });
      const created = await admin('/v1/updates/releases', { method: 'POST', body: JSON.stringify({ channel: 'stable', yml: rel.yml }) });
      expect(created.status, created.text).toBe(201);
      const id = (created.json as { release: { id: string } }).release.id;
      const file = `/v1/updates/releases/${id}/files/${rel.name}`;

      const tampered = Buffer.from(rel.artifact);
      tampered[1000]! ^= 0xff;
      expect((await put(file, tampered)).json).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(/sha512 does not match/) } });
      const exe = Buffer.concat([Buffer.from('MZ'), rel.artifact.subarray(2)]);
      expect((await put(file, exe)).status).toBe(415);
      expect((await put(file, rel.artifact.subarray(0, 100))).status).toBe(400);
      expect((await put(`/v1/updates/releases/${id}/files/other_1.3.0_amd64.deb`, rel.artifact)).status).toBe(404);
      expect((await put(file, rel.artifact, { 'content-type': 'application/json' })).status).toBeGreaterThanOrEqual(400);
      // nothing kept after all those refusals
      expect((existsSync(hub.updatesDir) ? readdirSync(hub.updatesDir, { recursive: true }) : []).filter((f) => !String(f).startsWith('tmp'))).toEqual([]);

      const ok = await put(file, rel.artifact);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json).toMatchObject({ release: { state: 'ready', files: [{ name: rel.name, uploadedAt: expect.any(String) }] } });
      // not served before publishing
      expect((await api(hub, '/updates/stable/latest-linux.yml')).status).toBe(404);
      expect((await admin(`/v1/updates/releases/${id}/publish`, { method: 'POST', body: JSON.stringify({ stagingPercentage: 10 }) })).status).toBe(200);

      // the public feed: no credentials
      const yml = await api(hub, '/updates/stable/latest-linux.yml');
      expect(yml.status).toBe(200);
      expect(yml.headers.get('content-type')).toMatch(/yaml/);
      expect(yaml.load(yml.text)).toMatchObject({ version: '1.3.0', stagingPercentage: 10, files: [{ url: rel.name, sha512: rel.sha512, size: rel.artifact.length }] });
      expect((await api(hub, '/updates/stable/stable-linux.yml')).text).toBe(yml.text);
      const whole = await fetch(`${hub.url}/updates/stable/${rel.name}`);
      expect(Buffer.from(await whole.arrayBuffer()).equals(rel.artifact)).toBe(true);
      const part = await fetch(`${hub.url}/updates/stable/${rel.name}`, { headers: { range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-199/${rel.artifact.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(rel.artifact.subarray(100, 200))).toBe(true);
      const tail = await fetch(`${hub.url}/updates/stable/${rel.name}`, { headers: { range: 'bytes=-10' } });
      expect(Buffer.from(await tail.arrayBuffer()).equals(rel.artifact.subarray(-10))).toBe(true);
      expect((await fetch(`${hub.url}/updates/stable/${rel.name}`, { headers: { range: `bytes=${rel.artifact.length}-` } })).status).toBe(416);
      expect((await api(hub, '/updates/stable/nothing_1.0.0_amd64.deb')).status).toBe(404);
      expect((await api(hub, '/updates/stable/..%2F..%2Fhub.db')).status).toBe(404);
      expect((await api(hub, '/updates/NOPE/latest-linux.yml')).status).toBe(400);

      // rollout: percentage and pause rewrite the served yml
      expect((await admin('/v1/updates/channels/stable', { method: 'PATCH', body: JSON.stringify({ paused: true }) })).json).toMatchObject({ channel: { paused: true, stagingPercentage: 10 } });
      expect(yaml.load((await api(hub, '/updates/stable/latest-linux.yml')).text)).toMatchObject({ stagingPercentage: 0 });
      expect((await admin('/v1/updates/channels/stable', { method: 'PATCH', body: JSON.stringify({ paused: false, stagingPercentage: 100 }) })).status).toBe(200);
      expect(yaml.load((await api(hub, '/updates/stable/latest-linux.yml')).text)).not.toHaveProperty('stagingPercentage');
      expect((await admin('/v1/updates/channels/stable', { method: 'PATCH', body: JSON.stringify({ stagingPercentage: 101 }) })).status).toBe(400);
      // external feed: redirected
      await admin('/v1/updates/channels/pilot', { method: 'PATCH', body: JSON.stringify({ externalFeedUrl: 'https://updates.example/kiosk/' }) });
      const redirected = await fetch(`${hub.url}/updates/pilot/latest-linux.yml`, { redirect: 'manual' });
      expect([redirected.status, redirected.headers.get('location')]).toEqual([302, 'https://updates.example/kiosk/latest-linux.yml']);

      // who may: central IT only; branch managers read the rollout status
      expect((await api(hub, '/v1/updates/releases', { method: 'POST', body: JSON.stringify({ channel: 'stable', yml: rel.yml }), headers: { 'x-test-user': 'branch-manager:north' } })).status).toBe(403);
      expect((await api(hub, `/v1/updates/channels/stable`, { method: 'PATCH', body: '{}', headers: { 'x-test-user': 'editor' } })).status).toBe(403);
      expect((await api(hub, `/v1/updates/channels`, { headers: { 'x-test-user': 'branch-manager:north' } })).json).toMatchObject({ channels: [{ name: 'pilot' }, { name: 'stable', release: { version: '1.3.0' } }] });
      expect((await api(hub, file, { method: 'PUT', body: rel.artifact, headers: { 'content-type': 'application/octet-stream' } })).status).toBe(401);

      await consoleEvents.waitFor((f) => f.event === 'rollout.changed' && f.data.includes('"pilot"'), 'the pilot channel');
      expect(new Set(consoleEvents.frames.map((f) => f.event))).toEqual(new Set(['release.changed', 'rollout.changed']));
      consoleEvents.close();
    });

    it('refuses an artifact over the size limit before reading it', async () => {
      hub = await startHub(backend, { updates: { maxArtifactBytes: 1024 * 1024 } });
      const rel = releaseFixture('1.0.0', { size: 2 * 1024 * 1024 });
      const id = ((await admin('/v1/updates/releases', { method: 'POST', body: JSON.stringify({ channel: 'stable', yml: rel.yml }) })).json as { release: { id: string } }).release.id;
      const r = await put(`/v1/updates/releases/${id}/files/${rel.name}`, rel.artifact);
      expect(r.status).toBe(413);
      expect((existsSync(hub.updatesDir) ? readdirSync(hub.updatesDir, { recursive: true }) : []).filter((f) => !String(f).startsWith('tmp'))).toEqual([]);
      const bad = await admin('/v1/updates/releases', { method: 'POST', body: JSON.stringify({ channel: 'stable', yml: 'version: [' }) });
      expect(bad.status).toBe(400);
      expect((await admin('/v1/updates/releases', { method: 'POST', body: JSON.stringify({ channel: 'Stable!', yml: rel.yml }) })).json).toMatchObject({ error: { details: [{ path: 'channel' }] } });
    });
  });
}
