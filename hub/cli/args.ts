// The hub CLI's options: one table for every command (parsed before a command group is loaded),
// node:util parseArgs in strict mode.
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { hubDataDir } from '../data-dir.ts';

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
  channel: { type: 'string' },
  staging: { type: 'string' },
  pause: { type: 'boolean', default: false },
  resume: { type: 'boolean', default: false },
  'external-feed': { type: 'string' },
  hosted: { type: 'boolean', default: false },
  'updates-dir': { type: 'string' },
  'max-artifact-mb': { type: 'string' },
  'online-within': { type: 'string' },
  'events-per-user': { type: 'string' },
  role: { type: 'string' },
  // hub user add|reset-password: the password is the first line of stdin (never an argument)
  'password-stdin': { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

export function parseHubArgs(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}
export type HubOptions = ReturnType<typeof parseHubArgs>['values'];

export function defaultHubDb(env: NodeJS.ProcessEnv): string {
  if (env.HUB_DB) return env.HUB_DB;
  return join(hubDataDir(env), 'hub.db');
}
