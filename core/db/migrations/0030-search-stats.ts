// Search statistics: what customers asked (popularity for suggestions, content gaps for IT) and
// how articles fared. Only normalised query text and counts: no session, no person.
import type { Migration } from '../migrate.ts';

export const migration0030: Migration = {
  version: 30,
  name: 'search-stats',
  up(db) {
    db.exec(`
      CREATE TABLE query_stats (
        locale TEXT NOT NULL,
        query TEXT NOT NULL,              -- normalised query text
        count INTEGER NOT NULL DEFAULT 0,
        no_result_count INTEGER NOT NULL DEFAULT 0,
        last_at TEXT NOT NULL,
        PRIMARY KEY (locale, query)
      ) WITHOUT ROWID;

      CREATE TABLE article_stats (
        article_id TEXT NOT NULL,
        locale TEXT NOT NULL,
        views INTEGER NOT NULL DEFAULT 0,
        helpful INTEGER NOT NULL DEFAULT 0,
        not_helpful INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, locale)
      ) WITHOUT ROWID;
    `);
  },
};
