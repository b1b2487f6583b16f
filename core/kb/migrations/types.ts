import type { Database } from 'better-sqlite3';

/** One forward-only schema step. Versions only increase, in steps of 10 (room for hotfixes). */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
