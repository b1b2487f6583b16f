// Text helpers shared by the baseline engines. Deliberately simple and general: the baselines
// stand for what one gets from off-the-shelf parts, not for tuned search.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ArticleRecord } from '../../contracts/kb-bundle.ts';

/** Query text beyond this many characters is ignored (a kiosk query is never that long). */
export const MAX_QUERY_CHARS = 256;

/** NFKC (full-width → half-width) and lower case. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Normalised query, capped, with control characters blanked. */
export function cleanQuery(q: string): string {
  // eslint-disable-next-line no-control-regex
  return normalize(String(q ?? '').slice(0, MAX_QUERY_CHARS * 2)).replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, MAX_QUERY_CHARS);
}

/** An FTS5 string literal: the text is taken verbatim, never as query syntax. */
export function ftsQuote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** A LIKE pattern matching `text` literally (use with ESCAPE '\'). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;

/** Runs of CJK characters and runs of other letters/digits, in order. */
export function textRuns(text: string): { cjk: boolean; text: string }[] {
  const out: { cjk: boolean; text: string }[] = [];
  for (const m of normalize(text).matchAll(RUN)) out.push({ cjk: CJK.test(m[0]), text: m[0] });
  return out;
}

/** CJK unigrams + bigrams and latin/digit words, in order (duplicates kept). */
export function unigramBigramTokens(text: string): string[] {
  const out: string[] = [];
  for (const run of textRuns(text)) {
    if (!run.cjk) {
      out.push(run.text);
      continue;
    }
    const chars = [...run.text];
    for (let i = 0; i < chars.length; i++) {
      out.push(chars[i]!);
      if (i + 1 < chars.length) out.push(chars[i]! + chars[i + 1]!);
    }
  }
  return out;
}

export function questionsText(doc: ArticleRecord): string {
  return (doc.questions ?? []).join('\n');
}

export function tagsText(doc: ArticleRecord): string {
  return (doc.tags ?? []).join(' ');
}

/** A SQLite file in `dir`, WAL mode, as the kiosk itself opens its KB. */
export function openSqlite(dir: string, file: string): { db: Database.Database; path: string } {
  const path = join(dir, file);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return { db, path };
}

/** Checkpoint the WAL into the main file, then the bytes of file + WAL. */
export function sqliteBytes(db: Database.Database, path: string): number {
  if (db.open) db.pragma('wal_checkpoint(TRUNCATE)');
  let total = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      total += statSync(p).size;
    } catch {
      // no WAL file: fine
    }
  }
  return total;
}
