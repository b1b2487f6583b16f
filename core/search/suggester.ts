// Suggest-as-you-type over titles and alternative questions: prefix of the text, of its full
// pinyin (mima → 密码…) or of its pinyin initials (mmzh → 密码找回). Index range scans only, so it
// stays fast at 100k articles. Once customers have searched, popular articles come first.
import { LOCALES } from '../../contracts/kb-bundle.ts';
import type { KbStore } from '../kb/store.ts';
import { normalize } from './normalize.ts';

export interface Suggestion {
  text: string;
  articleId: string;
  locale: string;
  /** How the prefix matched: the text itself, its pinyin or its initials. */
  match: 'text' | 'pinyin' | 'initials';
}

export interface SuggestOptions {
  locale?: string;
  limit?: number;
}

const PER_KEY = 40;
const MAX_PREFIX = 64;

interface Row {
  text: string;
  id: string;
  locale: string;
  is_title: number;
  popularity: number;
}

export class Suggester {
  constructor(private readonly store: KbStore) {}

  suggest(prefix: string, options: SuggestOptions = {}): Suggestion[] {
    const limit = Math.max(1, Math.min(options.limit ?? 8, 50));
    const norm = normalize(typeof prefix === 'string' ? prefix.slice(0, MAX_PREFIX * 2) : '', MAX_PREFIX);
    if (!norm) return [];
    const latinKey = norm.replace(/[\s']/g, '');
    const byArticle = new Map<string, Suggestion & { rank: number }>();
    const consider = (rows: Row[], match: Suggestion['match'], bonus: number) => {
      for (const r of rows) {
        const key = `${r.locale}\u0000${r.id}`;
        const rank = bonus + r.popularity * 10 + r.is_title * 0.5 - r.text.length / 1000;
        const before = byArticle.get(key);
        if (!before || before.rank < rank) byArticle.set(key, { text: r.text, articleId: r.id, locale: r.locale, match, rank });
      }
    };
    for (const locale of options.locale ? [options.locale] : LOCALES) {
      consider(this.range('norm', norm, locale), 'text', 2);
      if (/^[a-z]+$/.test(latinKey)) {
        consider(this.range('initials', latinKey, locale), 'initials', 1);
        consider(this.range('pinyin', latinKey, locale), 'pinyin', 1);
      }
    }
    return [...byArticle.values()]
      .sort((a, b) => b.rank - a.rank || a.text.localeCompare(b.text))
      .slice(0, limit)
      .map(({ rank: _rank, ...s }) => s);
  }

  private range(column: 'norm' | 'pinyin' | 'initials', prefix: string, locale: string): Row[] {
    // A range scan on the (locale, column) index: column >= prefix AND column < prefix + U+FFFF.
    return this.store
      .sql(
        `SELECT s.text, a.id, a.locale, s.is_title,
                coalesce(st.views + 2 * st.helpful - st.not_helpful, 0)
                  + coalesce((SELECT q.count FROM query_stats q WHERE q.locale = s.locale AND q.query = s.norm), 0) AS popularity
         FROM suggest_entries s
         JOIN articles a ON a.rowid = s.article_rowid
         LEFT JOIN article_stats st ON st.article_id = a.id AND st.locale = a.locale
         WHERE s.locale = ? AND s.${column} <> '' AND s.${column} >= ? AND s.${column} < ?
         LIMIT ${PER_KEY}`,
      )
      .all(locale, prefix, `${prefix}\uffff`) as Row[];
  }
}
