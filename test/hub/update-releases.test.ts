// Hosted update releases, domain side, against real SQLite files and PostgreSQL schemas and a real
// artifact folder: the uploaded yml is validated field by field, artifacts are streamed to disk and
// kept only when size, sha512 and package type match, a channel only moves forward, the served
// yml carries the rollout's stagingPercentage (0 when paused, absent at 100).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { HubDb } from '../../hub/db/open.ts';
import { ArtifactStore } from '../../hub/updates/artifact-store.ts';
import { UpdateError } from '../../hub/updates/errors.ts';
import { parseReleaseYml } from '../../hub/updates/release-yml.ts';
import { createRelease, deleteRelease, listReleases, publishRelease, uploadArtifact } from '../../hub/updates/releases.ts';
import { feedArtifact, feedYml, getChannel, listChannels, updateChannel } from '../../hub/updates/rollouts.ts';
import { tempDir } from '../helpers/tmp.ts';
import { freshDbSpec, postgresUnavailable, type BackendName } from './harness.ts';
import { appImageArtifact, debArtifact, releaseFixture, sha512Of } from './releases-fixture.ts';

const pgSkip = await postgresUnavailable();

let hub: HubDb | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof UpdateError) return { code: err.code, status: err.statusCode, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
};
const storedFiles = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);

describe('latest-linux.yml', () => {
  it('accepts what electron-builder writes, keeps unknown keys, names the bad field otherwise', () => {
    const f = releaseFixture('1.2.0', { extra: 'releaseNotes: |\n  fixes\nminimumSystemVersion: x' });
    const y = parseReleaseYml(f.yml);
    expect(y).toMatchObject({ version: '1.2.0', files: [{ url: f.name, sha512: f.sha512 }], releaseDate: '2026-11-20T02:00:00.000Z', minimumSystemVersion: 'x' });
    const bad = (text: string) => {
      try {
        parseReleaseYml(text);
      } catch (err) {
        return (err as UpdateError).message;
      }
      return 'accepted';
    };
    expect(bad(f.yml.replace('version: 1.2.0', 'version: v1.2'))).toMatch(/field 'version'/);
    expect(bad(f.yml.replace(f.sha512, 'abc'))).toMatch(/field 'files.0.sha512'/);
    expect(bad(f.yml.replace(`url: ${f.name}`, 'url: ../../etc/passwd.deb'))).toMatch(/field 'files.0.url'/);
    expect(bad(f.yml.replace(`url: ${f.name}`, 'url: setup.exe'))).toMatch(/\.deb or \.AppImage/);
    expect(bad('files: [')).toMatch(/does not parse/);
    expect(bad('- a\n- b\n')).toMatch(/must be a mapping/);
    expect(bad('version: 1.0.0\nfiles: []\n')).toMatch(/lists no files/);
    expect(bad(`${f.yml}x: ${'a'.repeat(70_000)}\n`)).toMatch(/larger than/);
    // YAML tags that build objects are not YAML 1.2 core: refused, never evaluated
    expect(bad(`${f.yml}y: !!js/function "function(){}"\n`)).toMatch(/does not parse/);
    expect(bad(f.yml.replace(`  - url: ${f.name}`, `  - url: ${f.name}\n    sha512: ${f.sha512}\n    size: 1\n  - url: ${f.name}`))).toMatch(/does not parse|twice/);
  });
});

describe('artifact store', () => {
  const store = () => new ArtifactStore(tempDir(), 1024 * 1024);

  it('streams a matching artifact into place under its sha512, and refuses anything else leaving nothing behind', async () => {
    const s = store();
    const deb = debArtifact(200_000);
    const expected = { name: 'a_1.0.0_amd64.deb', size: deb.length, sha512: sha512Of(deb) };
    // delivered in small chunks, as a network upload is
    const chunks = Readable.from((function* () {
      for (let i = 0; i < deb.length; i += 1000) yield deb.subarray(i, i + 1000);
    })());
    const r = await s.receive(chunks, expected);
    expect(readFileSync(r.path).equals(deb)).toBe(true);
    expect(r.stored).toBe(true);
    expect((await s.receive(Readable.from([deb]), expected)).stored).toBe(false);

    const t = store();
    const tampered = Buffer.from(deb);
    tampered[tampered.length - 1]! ^= 1;
    expect(await refusal(t.receive(Readable.from([tampered]), expected))).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/sha512 does not match/) });
    expect(await refusal(t.receive(Readable.from([deb.subarray(0, 1000)]), expected))).toMatchObject({ message: expect.stringMatching(/received 1000 bytes/) });
    expect(await refusal(t.receive(Readable.from([deb, Buffer.from('x')]), expected))).toMatchObject({ message: expect.stringMatching(/more bytes/) });
    const exe = Buffer.concat([Buffer.from('MZ'), deb.subarray(2)]);
    expect(await refusal(t.receive(Readable.from([exe]), { ...expected, sha512: sha512Of(exe) }))).toMatchObject({ code: 'unsupported_media_type', status: 415 });
    const img = appImageArtifact(1000);
    expect(await refusal(t.receive(Readable.from([img]), { name: 'a.deb', size: img.length, sha512: sha512Of(img) }))).toMatchObject({ code: 'unsupported_media_type' });
    expect((await t.receive(Readable.from([img]), { name: 'A.AppImage', size: img.length, sha512: sha512Of(img) })).stored).toBe(true);
    expect(await refusal(t.receive(Readable.from([]), { ...expected, size: 2 * 1024 * 1024 }))).toMatchObject({ code: 'too_large', status: 413 });
    // an upload cut off mid-way
    const cut = new PassThrough();
    const p = refusal(t.receive(cut, expected));
    cut.write(deb.subarray(0, 5000));
    cut.destroy(new Error('connection reset'));
    expect((await p).message).toMatch(/ended early|connection reset/);
    // only the one good AppImage is left; no temporary files
    expect(storedFiles(t.dir)).toEqual([Buffer.from(sha512Of(img), 'base64').toString('hex')]);
  });
});

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`update releases on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    async function setup() {
      hub = await HubDb.open(await freshDbSpec(backend));
      return { h: hub, store: new ArtifactStore(tempDir(), 10 * 1024 * 1024) };
    }
    const served = async (h: HubDb, channel: string) => {
      const a = await feedYml(h.db, channel);
      if (a.kind !== 'yml') return a;
      return { kind: 'yml', doc: yaml.load(a.text) as Record<string, unknown> };
    };

    it('create → upload → publish; the feed serves it with the rollout percentage; pause; forward only; delete', async () => {
      const { h, store } = await setup();
      const v1 = releaseFixture('1.1.0', { stagingPercentage: 20 });
      const r = await createRelease(h, { channel: 'latest', yml: v1.yml, createdBy: 'hub-admin' });
      expect(r).toMatchObject({ version: '1.1.0', state: 'pending', current: false, files: [{ name: v1.name, uploadedAt: null }] });
      expect(await served(h, 'latest')).toMatchObject({ kind: 'none' });
      expect(await refusal(publishRelease(h, r.id))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/no artifact yet/) });
      expect(await refusal(uploadArtifact(h, store, r.id, 'other.deb', Readable.from([v1.artifact])))).toMatchObject({ code: 'not_found' });
      expect(await refusal(uploadArtifact(h, store, r.id, v1.name, Readable.from([v1.artifact]), v1.artifact.length + 1))).toMatchObject({ code: 'bad_request' });
      // a tampered upload is refused and leaves the release pending
      expect(await refusal(uploadArtifact(h, store, r.id, v1.name, Readable.from([Buffer.concat([v1.artifact.subarray(0, -1), Buffer.from([0])])])))).toMatchObject({ code: 'bad_request' });
      const uploaded = await uploadArtifact(h, store, r.id, v1.name, Readable.from([v1.artifact]), v1.artifact.length);
      expect(uploaded.state).toBe('ready');
      // ready is not served yet
      expect(await served(h, 'latest')).toMatchObject({ kind: 'none' });
      const pub = await publishRelease(h, r.id);
      expect(pub).toMatchObject({ state: 'published', current: true, publishedAt: expect.any(String) });

      // the yml's own stagingPercentage starts the rollout
      expect(await served(h, 'latest')).toEqual({
        kind: 'yml',
        doc: { version: '1.1.0', files: [{ url: v1.name, sha512: v1.sha512, size: v1.artifact.length }], path: v1.name, sha512: v1.sha512, releaseDate: '2026-11-20T02:00:00.000Z', stagingPercentage: 20 },
      });
      expect(await feedArtifact(h.db, 'latest', v1.name)).toEqual({ kind: 'file', sha512: v1.sha512, size: v1.artifact.length });
      expect(store.has(v1.sha512)).toBe(true);

      await updateChannel(h, 'latest', { stagingPercentage: 100 });
      expect(((await served(h, 'latest')) as { doc: object }).doc).not.toHaveProperty('stagingPercentage');
      await updateChannel(h, 'latest', { paused: true });
      expect(((await served(h, 'latest')) as { doc: object }).doc).toMatchObject({ stagingPercentage: 0 });
      expect(await getChannel(h.db, 'latest')).toMatchObject({ name: 'latest', feedPath: '/updates/latest/', stagingPercentage: 100, paused: true, release: { version: '1.1.0' } });
      await updateChannel(h, 'latest', { paused: false, stagingPercentage: 35 });
      expect(((await served(h, 'latest')) as { doc: object }).doc).toMatchObject({ stagingPercentage: 35 });

      // never backwards: an older or equal version is refused with the rollback advice
      expect(await refusal(createRelease(h, { channel: 'latest', yml: releaseFixture('1.0.9').yml, createdBy: 'x' }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/roll back.*higher number/) });
      expect(await refusal(createRelease(h, { channel: 'latest', yml: v1.yml, createdBy: 'x' }))).toMatchObject({ code: 'conflict' });
      // other channels are separate
      expect((await createRelease(h, { channel: 'beta', yml: releaseFixture('1.0.0').yml, createdBy: 'x' })).state).toBe('pending');

      // a newer release; its publish starts at 100 (no percentage in its yml) and resets the pause
      const v2 = releaseFixture('1.2.0');
      const r2 = await createRelease(h, { channel: 'latest', yml: v2.yml, createdBy: 'x' });
      await uploadArtifact(h, store, r2.id, v2.name, Readable.from([v2.artifact]));
      await updateChannel(h, 'latest', { paused: true });
      await publishRelease(h, r2.id, { stagingPercentage: 5 });
      expect(((await served(h, 'latest')) as { doc: object }).doc).toMatchObject({ version: '1.2.0', stagingPercentage: 5 });
      // the old artifact stays downloadable (a download under way survives the publish)
      expect((await feedArtifact(h.db, 'latest', v1.name)).kind).toBe('file');
      expect((await listReleases(h.db, 'latest')).map((x) => [x.version, x.current])).toEqual([
        ['1.2.0', true],
        ['1.1.0', false],
      ]);

      // the current release cannot be deleted; the old one can, and its artifact goes
      expect(await refusal(deleteRelease(h, store, r2.id))).toMatchObject({ code: 'conflict' });
      await deleteRelease(h, store, r.id);
      expect(store.has(v1.sha512)).toBe(false);
      expect(await feedArtifact(h.db, 'latest', v1.name)).toEqual({ kind: 'none' });
      expect(existsSync(join(store.dir, 'tmp')) ? readdirSync(join(store.dir, 'tmp')) : []).toEqual([]);
      expect((await listChannels(h.db)).map((c) => c.name)).toEqual(['latest']);
    });

    it('an external feed per channel: the hub redirects the yml and artifacts', async () => {
      const { h } = await setup();
      await updateChannel(h, 'pilot', { externalFeedUrl: 'https://updates.example/kiosk' });
      expect(await feedYml(h.db, 'pilot')).toEqual({ kind: 'redirect', url: 'https://updates.example/kiosk/latest-linux.yml' });
      expect(await feedArtifact(h.db, 'pilot', 'a_1.0.0_amd64.deb')).toEqual({ kind: 'redirect', url: 'https://updates.example/kiosk/a_1.0.0_amd64.deb' });
      expect(await feedYml(h.db, 'nope')).toMatchObject({ kind: 'none' });
      await updateChannel(h, 'pilot', { externalFeedUrl: null });
      expect(await feedYml(h.db, 'pilot')).toMatchObject({ kind: 'none', reason: expect.stringMatching(/no published release/) });
    });
  });
}
