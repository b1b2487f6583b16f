// Where the kiosk keeps its hub connection: the URL in sync_state, the device token in a file
// beside the database readable only by the kiosk's user (0600) — never in the database, never in
// logs. Electron builds may keep it in safeStorage instead; this is the CLI and browser-mode store.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

export const tokenFileOf = (dbFile: string) => `${dbFile}.hub-token`;

export function saveToken(dbFile: string, token: string): void {
  const file = tokenFileOf(dbFile);
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function loadToken(dbFile: string): string | null {
  const file = tokenFileOf(dbFile);
  if (!existsSync(file)) return null;
  if ((statSync(file).mode & 0o077) !== 0) throw new Error(`${file} is readable by other users; run chmod 600 on it`);
  return readFileSync(file, 'utf8').trim() || null;
}
