// The hub CLI's options: one table for every command (parsed before a command group is loaded),
// node:util parseArgs in strict mode.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string' },
  host: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'rate-limit': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  merge: { type: 'boolean', default: false },
  branch: { type: 'string' },
  limit: { type: 'string' },
  locale: { type: 'string' },
  'no-results': { type: 'boolean', default: false },
  'older-than-days': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export function parseHubArgs(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}
export type HubOptions = ReturnType<typeof parseHubArgs>['values'];

export function defaultHubDb(env: NodeJS.ProcessEnv): string {
  if (env.HUB_DB) return env.HUB_DB;
  const dir = env.HUB_DATA_DIR ? resolve(env.HUB_DATA_DIR) : join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'lobby-kiosk-hub');
  return join(dir, 'hub.db');
}
