// Search index, kept in the same file and the same transactions as the articles it indexes, so
// a KB change and its index change commit together (sync relies on this).
// - search_fts: contentless FTS5 over pre-analysed tokens (see core/search/analyze.ts); one column
//   per (field, token kind) so bm25() column weights express field and kind weights. Contentless
//   tables keep no values, so locale and category filters are tokens in the 'facets' column.
// - search_docs: per article, the analysed title/question tokens used to re-rank candidates.
// - suggest_entries: phrases for suggest-as-you-type with their pinyin and initials.
// Articles already present are indexed when the store opens (no 'analyzer_version' meta row yet).
import type { Migration } from '../../db/migrate.ts';

export const migration0020: Migration = {
  version: 20,
  name: 'search-index',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE search_fts USING fts5(
        title, title_uni, title_py, questions, questions_uni, questions_py, tags, body, syn,
        facets,                           -- loc_<locale> cat_<category>: filters, weight 0
        content='', contentless_delete=1,
        tokenize = "ascii tokenchars '_'",
        columnsize = 1
      );
      CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');

      CREATE TABLE search_docs (
        article_rowid INTEGER PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
        phrases TEXT NOT NULL             -- JSON: analysed title and questions, for re-ranking
      );

      CREATE TABLE suggest_entries (
        id INTEGER PRIMARY KEY,
        article_rowid INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
        locale TEXT NOT NULL,
        text TEXT NOT NULL,               -- the phrase as shown
        norm TEXT NOT NULL,               -- normalised, for prefix match
        pinyin TEXT NOT NULL,             -- full toneless pinyin, no spaces ('' for latin)
        initials TEXT NOT NULL,           -- pinyin initials ('' for latin)
        is_title INTEGER NOT NULL
      );
      CREATE INDEX suggest_norm ON suggest_entries (locale, norm);
      CREATE INDEX suggest_pinyin ON suggest_entries (locale, pinyin) WHERE pinyin <> '';
      CREATE INDEX suggest_initials ON suggest_entries (locale, initials) WHERE initials <> '';
      CREATE INDEX suggest_article ON suggest_entries (article_rowid);
    `);
  },
};
