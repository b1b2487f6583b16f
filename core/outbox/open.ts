// The outbox of a kiosk database with its key file (CLI and browser mode): <db>.outbox-key, 0600.
import type { Db } from '../kb/db.ts';
import { FileKeyProvider } from './crypto.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';

export const keyFileOf = (dbFile: string) => `${dbFile}.outbox-key`;

export function openOutbox(db: Db, options: OutboxOptions & { keyFile?: string } = {}): Outbox {
  return new Outbox(db, new FileKeyProvider(options.keyFile ?? keyFileOf(db.name)), options);
}
