// Base schema: the KB itself (categories tree, articles per locale), synonyms, content-addressed
// blobs (files on disk, rows here for reference counting), config and key/value metadata.
import type { Migration } from '../migrate.ts';

export const migration0010: Migration = {
  version: 10,
  name: 'kb-base',
  up(db) {
    db.exec(`
      CREATE TABLE categories (
        id TEXT NOT NULL,
        locale TEXT NOT NULL,
        parent_id TEXT,
        title TEXT NOT NULL,
        sort_order INTEGER NOT NULL DEFAULT 0,
        extra TEXT,                       -- unknown bundle fields, kept as JSON
        PRIMARY KEY (id, locale)
      ) WITHOUT ROWID;

      CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,        -- stable key for the search index
        id TEXT NOT NULL,
        locale TEXT NOT NULL,
        category_id TEXT,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        questions TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT,
        content_hash TEXT NOT NULL,       -- sha256 of the record: re-imports skip unchanged articles
        extra TEXT,
        UNIQUE (id, locale)
      );
      CREATE INDEX articles_category ON articles (locale, category_id);

      CREATE TABLE synonym_groups (
        id INTEGER PRIMARY KEY,
        locale TEXT,                      -- NULL: every locale
        terms TEXT NOT NULL               -- JSON array, as in the bundle
      );

      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        media_type TEXT NOT NULL,
        size INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE article_blobs (
        article_rowid INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
        sha256 TEXT NOT NULL REFERENCES blobs (sha256),
        PRIMARY KEY (article_rowid, sha256)
      ) WITHOUT ROWID;
      CREATE INDEX article_blobs_sha ON article_blobs (sha256);

      CREATE TABLE config (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,              -- JSON
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
