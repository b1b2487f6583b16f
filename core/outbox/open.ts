// The outbox of a kiosk database with its key file (CLI and browser mode): <db>.outbox-key, 0600.
import type { Db } from '../db/open.ts';
import { FileKeyProvider, type KeyProvider } from './crypto.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';

export const keyFileOf = (dbFile: string) => `${dbFile}.outbox-key`;

/** `keyProvider` (the Electron shell's safeStorage-wrapped key) wins over the key file. */
export function openOutbox(db: Db, options: OutboxOptions & { keyFile?: string; keyProvider?: KeyProvider } = {}): Outbox {
  return new Outbox(db, options.keyProvider ?? new FileKeyProvider(options.keyFile ?? keyFileOf(db.name)), options);
}
