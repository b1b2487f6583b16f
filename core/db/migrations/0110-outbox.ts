// The outbox (core/outbox): everything the kiosk sends the hub, queued durably until the hub
// acknowledges it. Personal fields are never stored in `payload`: they are in `sealed`, encrypted
// with AES-256-GCM. Delivered items are deleted; rejected ones stay, quarantined, with the reason.
import type { Migration } from '../migrate.ts';

export const migration0110: Migration = {
  version: 110,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,         -- idempotency key, UUIDv7
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        payload TEXT NOT NULL,            -- JSON: the non-personal fields only
        sealed BLOB,                      -- AES-256-GCM(JSON of the personal fields), or NULL
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'quarantined')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,                  -- never personal: status codes and our own messages
        quarantined_at TEXT,
        quarantine_reason TEXT
      );
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
    `);
  },
};
