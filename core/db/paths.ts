// Where the kiosk keeps its files (database, logs, keys) when no --db is given: $KIOSK_DATA_DIR,
// else the XDG data folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KIOSK_DATA_DIR) return resolve(env.KIOSK_DATA_DIR);
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'lobby-kiosk');
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'kiosk.db');
}

/** The KB file a command works on: --db, else $KIOSK_DB, else the app's own data file. */
export function kioskDbFile(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return option ?? (env.KIOSK_DB || defaultDbPath(env));
}
