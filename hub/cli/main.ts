#!/usr/bin/env node
// `npm run hub -- <command>`: run the hub and administer it. Each group lives in
// commands/<group>.ts and is loaded only when used (so `hub kiosk list` never loads the server).
// Admin commands work on the database directly (a running server notices within one request:
// SQLite data_version / PostgreSQL NOTIFY).
import { HubDb } from '../db/open.ts';
import { FleetError } from '../fleet/kiosks.ts';
import { defaultHubDb, parseHubArgs } from './args.ts';
import { CommandError, line, UsageError, unknownCommand, type HubCommand, type HubIo } from './io.ts';
import { USAGE } from './usage.ts';

export { CommandError, UsageError, type HubIo } from './io.ts';

type Group = () => Promise<{ run: HubCommand }>;
const inbox: Group = () => import('./commands/inbox.ts');

/** The first word of a command line → the module that runs it. */
const GROUPS: Record<string, Group> = {
  serve: () => import('./commands/serve.ts'),
  kb: () => import('./commands/kb.ts'),
  kiosk: () => import('./commands/kiosk.ts'),
  config: () => import('./commands/config.ts'),
  tickets: inbox,
  inbox,
  analytics: inbox,
  demo: () => import('./commands/demo.ts'),
  'admin-token': () => import('./commands/admin-token.ts'),
  gc: () => import('./commands/gc.ts'),
  release: () => import('./commands/release.ts'),
  rollout: () => import('./commands/release.ts'),
  openapi: () => import('./commands/openapi.ts'),
  user: () => import('./commands/user.ts'),
};

export async function main(argv: string[], io: HubIo): Promise<number> {
  let parsed;
  try {
    parsed = parseHubArgs(argv);
  } catch (err) {
    line(io.stderr, `hub: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals: p } = parsed;
  if (o.help || p.length === 0) {
    line(o.help ? io.stdout : io.stderr, USAGE);
    return o.help ? 0 : 2;
  }
  const dbSpec = o.db ?? defaultHubDb(io.env);
  let hub: HubDb | null = null;
  const open = async () => (hub ??= await HubDb.open(dbSpec));
  try {
    const group = Object.prototype.hasOwnProperty.call(GROUPS, p[0]!) ? GROUPS[p[0]!]! : null;
    if (!group) throw unknownCommand(p);
    const { run } = await group();
    return await run({ p, o, io, dbSpec, open });
  } catch (err) {
    if (err instanceof UsageError) {
      line(io.stderr, `hub: ${err.message}`);
      return 2;
    }
    if (err instanceof CommandError || err instanceof FleetError) {
      line(io.stderr, `hub: ${err.message}`);
      return 1;
    }
    line(io.stderr, `hub: ${(err as Error).message ?? String(err)}`);
    if (io.env.HUB_DEBUG) line(io.stderr, String((err as Error).stack));
    return 1;
  } finally {
    if (hub) await (hub as HubDb).close();
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  const io: HubIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    // Only touched by a command that reads it (opening stdin can keep the process alive).
    get stdin() {
      return process.stdin;
    },
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
