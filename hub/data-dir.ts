// The hub's own data folder (its SQLite file, release artifacts): $HUB_DATA_DIR, else
// $XDG_DATA_HOME/lobby-kiosk-hub (~/.local/share/lobby-kiosk-hub).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function hubDataDir(env: NodeJS.ProcessEnv): string {
  return env.HUB_DATA_DIR ? resolve(env.HUB_DATA_DIR) : join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'lobby-kiosk-hub');
}
