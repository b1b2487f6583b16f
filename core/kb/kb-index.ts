// What the KB store needs from an index of its articles. The store calls every index it was given
// inside the same transaction as the article change, so a KB change and its index change commit
// together or not at all (sync relies on this). core/search/ implements the lexical index; a second
// index (dense vectors, say) implements the same interface and is handed to the store beside it
// (composed in core/kiosk-db.ts), without kb/ knowing what any index is.

/** An article as an index sees it. */
export interface IndexableArticle {
  rowid: number;
  locale: string;
  categoryId: string | null;
  title: string;
  body: string;
  tags: readonly string[];
  questions: readonly string[];
}

/** A synonym group of the KB (bundle `synonyms` records); `key` is stable per group. */
export interface SynonymGroup {
  key: string;
  terms: readonly string[];
}

export interface KbIndex {
  /** The `meta` row holding the version this index was built with; a store whose row differs re-indexes on open. */
  readonly versionKey: string;
  readonly version: string;
  /** Adds or replaces one article. `fresh`: it has no entries yet (a new article, or after clear()). */
  index(article: IndexableArticle, fresh: boolean): void;
  remove(rowid: number): void;
  /** Removes every entry (a full re-index follows). */
  clear(): void;
  /** The KB's synonym groups, at open and whenever they change (a re-index follows a change). */
  synonymsChanged(groups: readonly SynonymGroup[]): void;
}
