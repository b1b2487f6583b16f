// Migrations 0100 (sync state) and 0110 (outbox): applied on top of an existing v30 KB database,
// keeping its content, and shaped as the sync engine and the outbox rely on.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../core/db/migrate.ts';
import { KIOSK_MIGRATIONS } from '../../../core/kiosk-db.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('migrations 0100 and 0110', () => {
  it('upgrade a v30 database without touching its KB', () => {
    const file = join(tempDir(), 'old.db');
    const db = new Database(file);
    migrate(db, KIOSK_MIGRATIONS, 30);
    db.prepare("INSERT INTO categories (id, locale, title) VALUES ('c', 'en', 'Cards')").run();
    expect(schemaVersion(db)).toBe(30);
    migrate(db, KIOSK_MIGRATIONS);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(110);
    expect(db.prepare('SELECT title FROM categories').get()).toEqual({ title: 'Cards' });
    expect(db.prepare('SELECT id, cursor, hub_id, stage_to FROM sync_state').all()).toEqual([{ id: 1, cursor: 0, hub_id: null, stage_to: null }]);
    expect(() => db.prepare('INSERT INTO sync_state (id) VALUES (2)').run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO outbox (key, kind, created_at, payload, next_attempt_at) VALUES ('k', 'ticket', 'now', '{}', 'now')").run();
    expect(() => db.prepare("INSERT INTO outbox (key, kind, created_at, payload, next_attempt_at) VALUES ('k', 'ticket', 'now', '{}', 'now')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE outbox SET state = 'lost'").run()).toThrow(/CHECK/);
    db.close();
  });
});
