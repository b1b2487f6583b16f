import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../../core/kiosk-db.ts';
import { kiosk } from '../../helpers/cli.ts';
import { jsonl, tempDir, writeFiles } from '../../helpers/tmp.ts';

const ATEC = join(import.meta.dirname, '../../../../shared/datasets/atec-faq');

function kbWith(...records: object[]) {
  const dir = tempDir();
  writeFiles(dir, { 'kb.jsonl': jsonl(...records) });
  const db = join(dir, 'kb.db');
  const r = kiosk(['kb', 'import', join(dir, 'kb.jsonl'), '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  return { dir, db };
}

const a = (id: string, title: string, questions: string[] = []) => ({ type: 'article', id, locale: 'zh-CN', title, body: `${title}。`, questions });

describe('kiosk kb (CLI, as a user runs it)', () => {
  it('import → search → suggest → stats on a real file', () => {
    const { db } = kbWith(a('pwd', '密码找回', ['密码忘了怎么办']), a('card', '银行卡挂失'));
    const search = kiosk(['kb', 'search', '忘记密码', '--db', db, '--json']);
    expect(search.code).toBe(0);
    const out = JSON.parse(search.stdout);
    expect(out.q).toBe('忘记密码');
    expect(out.results[0]).toMatchObject({ id: 'pwd', title: '密码找回' });
    expect(typeof out.results[0].score).toBe('number');

    const human = kiosk(['kb', 'search', '挂失', '--db', db]);
    expect(human.stdout).toMatch(/银行卡\[挂失\].*card/);

    const suggest = kiosk(['kb', 'suggest', 'mmzh', '--db', db, '--json']);
    expect(JSON.parse(suggest.stdout).suggestions[0].text).toBe('密码找回');

    const stats = kiosk(['kb', 'stats', '--db', db, '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ articles: 2, schemaVersion: LATEST_VERSION });
  });

  it('search --stdin --json: one JSON line out per query line in', () => {
    const { db } = kbWith(a('pwd', '密码找回'), a('card', '银行卡挂失'));
    const r = kiosk(['kb', 'search', '--stdin', '--json', '--limit', '1', '--db', db], { input: '挂失\n密码\n"AND NEAR(*\n' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.q)).toEqual(['挂失', '密码', '"AND NEAR(*']);
    expect(lines[0].results).toEqual([{ id: 'card', title: '银行卡挂失', score: expect.any(Number) }]);
    expect(lines[1].results[0].id).toBe('pwd');
    expect(lines[2].results).toEqual([]);
  });

  it('eval prints exactly the five figures under --json, misses under --verbose', () => {
    const { dir, db } = kbWith(a('pwd', '密码找回'), a('card', '银行卡挂失'));
    writeFiles(dir, { 'q.jsonl': jsonl({ q: '找回密码', expect: ['pwd'] }, { q: '卡丢了挂失', expect: ['card'] }, { q: '发票', expect: ['pwd'] }) });
    const r = kiosk(['kb', 'eval', join(dir, 'q.jsonl'), '--db', db, '--json', '--verbose']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(Object.keys(m).sort()).toEqual(['mrr10', 'p50Ms', 'p95Ms', 'recall5', 'top1']);
    expect(m.top1).toBeCloseTo(2 / 3, 3);
    expect(r.stderr).toContain('发票');
  });

  it('a bad bundle: exit 1, the line named on stderr, nothing imported', () => {
    const { dir, db } = kbWith(a('pwd', '密码找回'));
    writeFiles(dir, { 'bad.jsonl': jsonl(a('new', '新文章')) + '{"type":"article","id":"x"\n' });
    const r = kiosk(['kb', 'import', join(dir, 'bad.jsonl'), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:2: not valid JSON.*nothing was imported/);
    expect(r.stdout).toBe('');
    expect(JSON.parse(kiosk(['kb', 'stats', '--db', db, '--json']).stdout).articles).toBe(1);
  });

  it('usage errors exit 2 with one clear line', () => {
    for (const args of [['kb'], ['kb', 'search'], ['kb', 'search', 'x', '--limit', 'lots'], ['kb', 'frobnicate'], ['nope'], ['kb', 'search', 'x', '--locale', 'fr']]) {
      const r = kiosk(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^(kiosk: |usage:)/);
    }
  });

  it('without --db uses the app data file, seeded with the starter KB', () => {
    const dataDir = tempDir();
    const r = kiosk(['kb', 'search', '营业时间', '--json'], { env: { KIOSK_DATA_DIR: dataDir } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].id).toBe('branch-hours');
  });

  it.runIf(existsSync(ATEC))('imports and evaluates the atec-faq development set', () => {
    const dir = tempDir();
    const db = join(dir, 'atec.db');
    expect(kiosk(['kb', 'import', join(ATEC, 'kb.jsonl'), '--db', db]).code).toBe(0);
    const r = kiosk(['kb', 'eval', join(ATEC, 'queries.jsonl'), '--db', db, '--json']);
    const m = JSON.parse(r.stdout);
    // Floors at the best published lexical baseline (FTS5 unigram+bigram: 0.331 / 0.675) minus noise.
    expect(m.top1).toBeGreaterThanOrEqual(0.32);
    expect(m.recall5).toBeGreaterThanOrEqual(0.66);
  });
});
