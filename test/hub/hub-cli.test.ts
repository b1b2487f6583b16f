// The hub and kiosk command lines as a user runs them: separate processes, real files, a real
// `hub serve` on a loopback port, `kiosk sync` pulling from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonl, tempDir, writeFiles } from '../helpers/tmp.ts';
import { article, category, runCli, startHubProcess } from './harness.ts';

describe('hub CLI', () => {
  it('imports bundles all-or-nothing, adds kiosks with a one-time token, validates config', async () => {
    const dir = tempDir();
    const db = join(dir, 'hub.db');
    writeFiles(dir, {
      'bad.jsonl': jsonl(category('c', 'C'), article('a1', 'One', 'x')) + '{"type":"article","id":"a2","locale":"en"}\nnot json\n',
      'good.jsonl': jsonl(category('c', 'C'), article('a1', 'One', 'x', { categoryId: 'c' }), article('a2', 'Two', 'y')),
      'orphan.jsonl': jsonl(article('a3', 'Three', 'z', { categoryId: 'nope' })),
      'config.json': JSON.stringify({ branchName: 'North', idleTimeoutSeconds: 60 }),
      'bad-config.json': JSON.stringify({ idleTimeoutSeconds: 5 }),
    });
    const bad = await runCli('hub', ['kb', 'import', join(dir, 'bad.jsonl'), '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.jsonl:3: field 'title'/);
    expect(bad.stderr).toMatch(/bad\.jsonl:4: not valid JSON/);
    expect(bad.stderr).toMatch(/nothing was published/);
    const orphan = await runCli('hub', ['kb', 'import', join(dir, 'orphan.jsonl'), '--db', db]);
    expect(orphan.code).toBe(1);
    expect(orphan.stderr).toMatch(/category 'nope'.*does not exist/);

    const good = await runCli('hub', ['kb', 'import', join(dir, 'good.jsonl'), '--db', db, '--json']);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ revision: 1, added: 2, head: 3 }); // the bad imports left no trace
    const again = await runCli('hub', ['kb', 'import', join(dir, 'good.jsonl'), '--db', db]);
    expect(again.stdout).toMatch(/0 added, 0 updated, 2 unchanged/);

    const add = await runCli('hub', ['kiosk', 'add', 'lobby-1', '--branch', 'north', '--db', db]);
    expect(add.code).toBe(0);
    const token = add.stdout.trim();
    expect(token).toMatch(/^lkk_[A-Za-z0-9_-]{40,}$/);
    expect(add.stderr).toMatch(/not shown again/);
    expect((await runCli('hub', ['kiosk', 'add', 'lobby-1', '--db', db])).code).toBe(1);
    expect((await runCli('hub', ['kiosk', 'add', 'bad name', '--db', db])).code).toBe(2);
    const list = await runCli('hub', ['kiosk', 'list', '--db', db]);
    expect(list.stdout).toMatch(/lobby-1\s+north\s+active\s+never/);
    expect(list.stdout).not.toContain(token);
    expect(readFileSync(db).toString('latin1')).not.toContain(token.slice(4));

    const badConfig = await runCli('hub', ['config', 'set', 'lobby-1', join(dir, 'bad-config.json'), '--db', db]);
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toMatch(/field 'idleTimeoutSeconds'.*nothing was changed/);
    const setBranch = await runCli('hub', ['config', 'set', 'north', join(dir, 'config.json'), '--db', db]);
    expect(setBranch.stdout).toMatch(/branch 'north' published/);
    expect((await runCli('hub', ['config', 'set', 'nowhere', join(dir, 'config.json'), '--db', db])).stderr).toMatch(/neither a kiosk nor a branch/);
    expect((await runCli('hub', ['frobnicate', '--db', db])).code).toBe(2);
  });

  it('serves as a process that kiosk sync and outbox retry talk to, and stops cleanly', async () => {
    const dir = tempDir();
    const db = join(dir, 'hub.db');
    writeFiles(dir, { 'kb.jsonl': jsonl(category('c', 'Cards'), article('lost', 'Report a lost card', 'Call us at once.', { categoryId: 'c' })) });
    expect((await runCli('hub', ['kb', 'import', join(dir, 'kb.jsonl'), '--db', db])).code).toBe(0);
    const token = (await runCli('hub', ['kiosk', 'add', 'lobby-1', '--db', db])).stdout.trim();

    const hub = await startHubProcess(['--db', db]);
    const url = hub.url;
    try {
      expect(hub.output()).toMatch(/console and admin API are closed until you run `hub user add <name> --role admin --password-stdin`/);
      const kdb = join(dir, 'kiosk.db');
      const sync = await runCli('kiosk', ['sync', '--hub', url, '--token', token, '--db', kdb]);
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stdout).toMatch(/full sync to cursor 2 .*articles 1 put/);
      const again = await runCli('kiosk', ['sync', '--db', kdb]); // URL and token remembered
      expect(again.stdout).toMatch(/up to date \(cursor 2\)/);
      const status = JSON.parse((await runCli('kiosk', ['sync', 'status', '--json', '--db', kdb])).stdout) as Record<string, unknown>;
      expect(status).toMatchObject({ hub: `${url}/`, cursor: 2, lastError: null, kb: { articles: 1, categories: 1 } });
      const search = await runCli('kiosk', ['kb', 'search', 'lost card', '--db', kdb, '--json']);
      expect(search.stdout).toContain('"id":"lost"');

      const wrong = await runCli('kiosk', ['sync', '--db', kdb, '--token', 'lkk_wrong']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/sync failed \(auth\)/);
      expect((await runCli('kiosk', ['sync', '--db', join(dir, 'other.db'), '--hub', 'http://example.com', '--token', 'x'])).stderr).toMatch(/refusing plain http/);

      await runCli('kiosk', ['outbox', 'add', 'ticket', '-', '--db', kdb], { input: JSON.stringify({ category: 'help', text: 'call me', locale: 'en', contact: { phone: '13800000000' } }) });
      expect((await runCli('kiosk', ['outbox', 'retry', '--db', kdb])).stdout).toMatch(/1 accepted/);
      const tickets = await runCli('hub', ['tickets', 'list', '--db', db]);
      expect(tickets.stdout).toMatch(/lobby-1 .* help \(7 chars, contact given\)/);
      expect(tickets.stdout).not.toContain('13800000000');
    } finally {
      await hub.stop();
    }
    expect(hub.output()).toMatch(/shutting down/);
    expect(hub.output()).not.toContain(token);
  });
});
