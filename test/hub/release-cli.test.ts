// `hub release add|list` and `hub rollout` as child processes on a real database and updates
// folder, then `hub serve` on the same folder serving what the CLI published: the artifact's
// sha512 is checked against the yml, a refused upload leaves no release and no file behind,
// usage errors exit 2.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../helpers/tmp.ts';
import { runCli, startHubProcess, type HubProcess } from './harness.ts';
import { releaseFixture } from './releases-fixture.ts';

let server: HubProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name) : []);

describe('hub release and rollout (CLI)', () => {
  it('adds a release that `hub serve` then serves; refuses a tampered one; changes the rollout', async () => {
    const dir = tempDir();
    const db = join(dir, 'hub.db');
    const updates = join(dir, 'artifacts');
    const rel = releaseFixture('1.4.0');
    const bad = releaseFixture('1.5.0');
    writeFiles(dir, { 'latest-linux.yml': rel.yml, [rel.name]: rel.artifact, 'bad/latest-linux.yml': bad.yml, [`bad/${bad.name}`]: Buffer.concat([bad.artifact.subarray(0, -1), Buffer.from('!')]) });
    const common = ['--db', db, '--updates-dir', updates];

    const added = await runCli('hub', ['release', 'add', join(dir, 'latest-linux.yml'), join(dir, rel.name), '--channel', 'stable', '--staging', '25', ...common]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/release 1\.4\.0 published on 'stable' at 25 %/);
    expect(files(updates)).toEqual([Buffer.from(rel.sha512, 'base64').toString('hex')]);

    const tampered = await runCli('hub', ['release', 'add', join(dir, 'bad/latest-linux.yml'), join(dir, `bad/${bad.name}`), '--channel', 'stable', ...common]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/sha512 does not match/);
    // nothing half-added: no 1.5.0 release, no new file
    const list = await runCli('hub', ['release', 'list', '--json', ...common]);
    expect(JSON.parse(list.stdout).releases.map((r: { version: string; current: boolean }) => [r.version, r.current])).toEqual([['1.4.0', true]]);
    expect(files(updates)).toHaveLength(1);
    // older than what the channel serves: refused with the rollback advice
    const older = releaseFixture('1.3.9');
    writeFiles(dir, { 'old/latest-linux.yml': older.yml, [`old/${older.name}`]: older.artifact });
    const back = await runCli('hub', ['release', 'add', join(dir, 'old/latest-linux.yml'), join(dir, `old/${older.name}`), '--channel', 'stable', ...common]);
    expect([back.code, back.stderr]).toEqual([1, expect.stringMatching(/not newer than 1\.4\.0.*roll back/)]);

    expect((await runCli('hub', ['rollout', 'stable', '--pause', ...common])).stdout).toMatch(/1\.4\.0 at 0 % \(paused\)/);
    server = await startHubProcess([...common]);
    const yml = await fetch(`${server.url}/updates/stable/latest-linux.yml`);
    expect(yaml.load(await yml.text())).toMatchObject({ version: '1.4.0', stagingPercentage: 0 });
    expect((await runCli('hub', ['rollout', 'stable', '--resume', '--staging', '100', ...common])).code).toBe(0);
    expect(yaml.load(await (await fetch(`${server.url}/updates/stable/latest-linux.yml`)).text())).not.toHaveProperty('stagingPercentage');
    const artifact = Buffer.from(await (await fetch(`${server.url}/updates/stable/${rel.name}`)).arrayBuffer());
    expect(artifact.equals(rel.artifact)).toBe(true);
  });

  it('usage errors exit 2 with one line', async () => {
    const dir = tempDir();
    for (const args of [
      ['release', 'add', 'only.yml'],
      ['release', 'add', 'a.yml', 'b.deb', '--channel', 'Bad Channel'],
      ['release', 'add', 'a.yml', 'b.deb', '--staging', '150'],
      ['rollout'],
      ['rollout', 'stable', '--pause', '--resume'],
      ['rollout', 'stable', '--external-feed', 'ftp://x'],
      ['release', 'frobnicate'],
    ]) {
      const r = await runCli('hub', [...args, '--db', join(dir, 'hub.db'), '--updates-dir', join(dir, 'u')]);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
