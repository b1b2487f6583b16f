import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaTooNewError, migrate, schemaVersion } from '../../../core/db/migrate.ts';
import { KIOSK_MIGRATIONS, LATEST_VERSION, openKbStore, openKioskDatabase } from '../../../core/kiosk-db.ts';
import { Searcher } from '../../../core/search/searcher.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('migrations', () => {
  it('are strictly increasing, in steps of 10', () => {
    const versions = KIOSK_MIGRATIONS.map((m) => m.version);
    versions.forEach((v, i) => i > 0 && expect(v).toBeGreaterThan(versions[i - 1]!));
    expect(versions.every((v) => v % 10 === 0)).toBe(true);
  });

  it('bring a new file to the latest version, with WAL on', () => {
    const db = openKioskDatabase(join(tempDir(), 'new.db'));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  // A DB created by every earlier schema version, holding data, upgrades and keeps its data usable.
  for (const from of KIOSK_MIGRATIONS.slice(0, -1)) {
    it(`upgrade a DB created at version ${from.version} with articles in it`, () => {
      const file = join(tempDir(), `v${from.version}.db`);
      const old = new Database(file);
      migrate(old, KIOSK_MIGRATIONS, from.version);
      expect(schemaVersion(old)).toBe(from.version);
      old
        .prepare(
          `INSERT INTO articles (id, locale, title, body, tags, questions, content_hash) VALUES
           ('pwd', 'zh-CN', '密码找回', '在登录页点击忘记密码', '["密码"]', '["密码忘了怎么办"]', 'x')`,
        )
        .run();
      old.close();

      const store = openKbStore(file);
      expect(schemaVersion(store.db)).toBe(LATEST_VERSION);
      expect(store.getArticle('pwd', 'zh-CN')?.title).toBe('密码找回');
      // The article written before the search index existed is found after the upgrade.
      expect(new Searcher(store).search('忘记密码').map((h) => h.id)).toEqual(['pwd']);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      store.close();
    });
  }

  it('refuse a DB written by a newer app, and leave it untouched', () => {
    const file = join(tempDir(), 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 10}`);
    db.close();
    expect(() => openKioskDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openKioskDatabase(file)).toThrow(/newer than this app/);
    const again = new Database(file);
    expect(schemaVersion(again)).toBe(LATEST_VERSION + 10);
    again.close();
  });
});
