#!/usr/bin/env node
// `npm run hub -- <command>`: run the hub and administer it. Admin commands work on the database
// directly (a running server notices within one request: SQLite data_version / PostgreSQL NOTIFY).
// Exit codes: 0 ok, 1 failure, 2 usage. Secrets (tokens) are printed once and never logged.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BranchName, KioskName } from '../../contracts/hub-routes/admin.ts';
import { OUTBOX_KINDS, type OutboxKind } from '../../contracts/outbox.ts';
import { KioskConfigLayer } from '../../contracts/sync-config.ts';
import { HubDb, redactDbSpec } from '../db/open.ts';
import { getConfig, parseConfigTarget, setConfig } from '../fleet/config.ts';
import { addKiosk, FleetError, listKiosks, revokeKiosk, rotateKioskToken, setAdminToken, uptimeText } from '../fleet/kiosks.ts';
import { createCommand, listCommands } from '../fleet/commands.ts';
import { FLEET_COMMAND_TYPES, FleetCommandType } from '../../contracts/sync-protocol.ts';
import { deviceHealthText } from '../fleet/device-health.ts';
import { listInbox, searchStats } from '../inbox/inbox.ts';
import { BundleError, readHubBundle } from '../kb/bundle.ts';
import { publishBundle } from '../kb/publish-kb.ts';
import { compact } from '../sync/gc.ts';
import { buildOpenApi } from '../server/openapi.ts';
import { buildHubServer } from '../server/server.ts';
import { isLoopback, oidcSettingsFromEnv } from '../auth/oidc.ts';
import { runUser, UserCommandError, UserUsageError } from './commands/user.ts';
import { seedDemo } from '../identity/demo.ts';

export interface HubIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Passwords (`hub user … --password-stdin`); process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export class UsageError extends Error {}
export class CommandError extends Error {}

const USAGE = `usage: hub <command> [options]          (every command takes --db FILE|postgres://…)
  serve [--port 8787] [--host 127.0.0.1] [--tls-cert F --tls-key F] [--rate-limit N/min] [--quiet]
  kb import <bundle.jsonl|dir> [--merge] [--json]     publish a new KB revision (whole KB unless --merge)
  kiosk add <name> [--branch B] [--json]              prints the device token once
  kiosk list [--json] · kiosk revoke <name> · kiosk token <name> (new token, old one stops working)
  kiosk command <name> sync|restart|update-now [--json]   runs on the kiosk after its next poll
  kiosk commands <name> [--limit N] [--json]          the kiosk's commands and their outcomes
  config set <target> <file.json>                     target: kiosk name, branch name, kiosk:N, branch:N, fleet
  config show <target> · config unset <target>
  tickets list [--limit N] [--json] · inbox list <kind> [--limit N] [--json]
  analytics searches [--no-results] [--locale L] [--limit N] [--json]
  demo seed [--json]                                  demo customers (the ID-card simulator's cards) with orders in every state
  user add|list|disable|enable|reset-password …       console accounts (hub user --help); passwords on stdin only
  admin-token                                         sets and prints a new admin API token (deprecated: use personal tokens)
  gc [--older-than-days 30]                           compact the change log (old tombstones → reset)
  openapi                                             print the OpenAPI description
--db defaults to $HUB_DB, else ${defaultHubDb({})}.`;

export function defaultHubDb(env: NodeJS.ProcessEnv): string {
  if (env.HUB_DB) return env.HUB_DB;
  const dir = env.HUB_DATA_DIR ? resolve(env.HUB_DATA_DIR) : join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'lobby-kiosk-hub');
  return join(dir, 'hub.db');
}

const OPTIONS = {
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

const line = (s: NodeJS.WritableStream, text: string) => s.write(text + '\n');

function intOption(v: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function main(argv: string[], io: HubIo): Promise<number> {
  if (argv[0] === 'user') {
    try {
      return await runUser(argv.slice(1), io, (given) => given ?? defaultHubDb(io.env));
    } catch (err) {
      if (!(err instanceof UserUsageError || err instanceof UserCommandError)) throw err;
      line(io.stderr, `hub: ${err.message}`);
      return err instanceof UserUsageError ? 2 : 1;
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
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
  const cmd = p.slice(0, 2).join(' ');
  let hub: HubDb | null = null;
  const open = async () => (hub = await HubDb.open(dbSpec));
  try {
    if (p[0] === 'serve') return await serve(dbSpec, o, io);
    if (p[0] === 'openapi') {
      line(io.stdout, JSON.stringify(buildOpenApi(), null, 2));
      return 0;
    }
    if (p[0] === 'admin-token') {
      const token = await setAdminToken(await open());
      line(io.stdout, token);
      line(io.stderr, 'hub: this is the admin API token; it is not shown again (the hub keeps only its hash).');
      return 0;
    }
    if (p[0] === 'gc') {
      const days = o['older-than-days'] === undefined ? 30 : Number(o['older-than-days']);
      if (!Number.isFinite(days) || days < 0) throw new UsageError('--older-than-days must be a number ≥ 0');
      const r = await compact(await open(), { olderThanMs: days * 86_400_000 });
      line(io.stdout, o.json ? JSON.stringify(r) : `dropped ${r.superseded} superseded rows, ${r.tombstones} tombstones, ${r.blobs} blobs; tombstone horizon ${r.tombstoneHorizon}`);
      return 0;
    }
    switch (cmd) {
      case 'demo seed': {
        const r = await seedDemo(await open(), io.env);
        line(io.stdout, o.json ? JSON.stringify(r) : `demo: ${r.customers} customers (the ID-card simulator's card profiles), ${r.orders} orders in every state`);
        return 0;
      }
      case 'kb import': {
        if (p.length !== 3) throw new UsageError('kb import needs exactly one bundle file or folder');
        let bundle;
        try {
          bundle = readHubBundle(p[2]!);
        } catch (err) {
          if (err instanceof BundleError) {
            for (const x of err.problems.slice(1)) line(io.stderr, `  ${x.file}:${x.line}: ${x.message}`);
            throw new CommandError(err.message);
          }
          throw err;
        }
        let s;
        try {
          s = await publishBundle(await open(), bundle, { merge: o.merge, source: p[2]! });
        } catch (err) {
          if (err instanceof BundleError) {
            for (const x of err.problems.slice(1)) line(io.stderr, `  ${x.file}:${x.line}: ${x.message}`);
            throw new CommandError(err.message);
          }
          throw err;
        }
        line(
          io.stdout,
          o.json
            ? JSON.stringify(s)
            : `revision ${s.revision} (head ${s.head}): ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.removed} removed, ${s.blobs} new blobs`,
        );
        return 0;
      }
      case 'kiosk add': {
        if (p.length !== 3) throw new UsageError('kiosk add needs exactly one name');
        const name = KioskName.safeParse(p[2]);
        if (!name.success) throw new UsageError(`kiosk name: ${name.error.issues[0]!.message}`);
        const branch = o.branch === undefined ? null : BranchName.safeParse(o.branch);
        if (branch && !branch.success) throw new UsageError(`--branch: ${branch.error.issues[0]!.message}`);
        const r = await addKiosk(await open(), name.data, branch?.data ?? null);
        if (o.json) line(io.stdout, JSON.stringify(r));
        else {
          line(io.stdout, r.token);
          line(io.stderr, `hub: kiosk '${r.kiosk.name}' added${r.kiosk.branch ? ` to branch '${r.kiosk.branch}'` : ''}; the token above is not shown again.`);
        }
        return 0;
      }
      case 'kiosk list': {
        const kiosks = await listKiosks((await open()).db);
        if (o.json) line(io.stdout, JSON.stringify(kiosks));
        else if (kiosks.length === 0) line(io.stdout, 'no kiosks; add one with `hub kiosk add <name>`');
        else
          line(
            io.stdout,
            table([
              ['NAME', 'BRANCH', 'STATE', 'LAST SEEN', 'CURSOR', 'VERSION', 'UPDATE', 'BACKLOG', 'UPTIME', 'DEVICES'],
              ...kiosks.map((k) => [k.name, k.branch ?? '-', k.revokedAt ? 'revoked' : 'active', k.lastSeenAt ?? 'never', String(k.lastCursor ?? '-'), k.appVersion ?? '-', k.updateState ?? '-', String(k.outboxBacklog ?? '-'), uptimeText(k.uptimeSeconds), deviceHealthText(k.deviceHealth)]),
            ]),
          );
        return 0;
      }
      case 'kiosk command': {
        if (p.length !== 4) throw new UsageError(`kiosk command needs a name and a command: ${FLEET_COMMAND_TYPES.join(', ')}`);
        const type = FleetCommandType.safeParse(p[3]);
        if (!type.success) throw new UsageError(`unknown kiosk command '${p[3]!.slice(0, 40)}': use ${FLEET_COMMAND_TYPES.join(', ')}`);
        const c = await createCommand(await open(), p[2]!, type.data);
        line(io.stdout, o.json ? JSON.stringify(c) : `${c.type} sent to kiosk '${c.kiosk}' (command ${c.id}); it runs after the kiosk's next poll — see \`hub kiosk commands ${c.kiosk}\``);
        return 0;
      }
      case 'kiosk commands': {
        if (p.length !== 3) throw new UsageError('kiosk commands needs exactly one name');
        const commands = await listCommands((await open()).db, p[2]!, intOption(o.limit, 'limit', 20, 1, 1000));
        if (o.json) line(io.stdout, JSON.stringify(commands));
        else if (commands.length === 0) line(io.stdout, `no commands sent to '${p[2]}'`);
        else line(io.stdout, table([['SENT', 'COMMAND', 'STATE', 'SEEN', 'DETAIL', 'ID'], ...commands.map((c) => [c.createdAt, c.type, c.state, c.seenAt ?? 'not yet', c.detail ?? '-', c.id])]));
        return 0;
      }
      case 'kiosk revoke': {
        if (p.length !== 3) throw new UsageError('kiosk revoke needs exactly one name');
        const k = await revokeKiosk(await open(), p[2]!);
        line(io.stdout, `kiosk '${k.name}' revoked (running hubs refuse its token within 10 s)`);
        return 0;
      }
      case 'kiosk token': {
        if (p.length !== 3) throw new UsageError('kiosk token needs exactly one name');
        const r = await rotateKioskToken(await open(), p[2]!);
        line(io.stdout, r.token);
        line(io.stderr, `hub: new token for '${r.kiosk.name}'; the old one no longer works.`);
        return 0;
      }
      case 'config set': {
        if (p.length !== 4) throw new UsageError('config set needs a target and a JSON file');
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(p[3]!, 'utf8'));
        } catch (err) {
          throw new CommandError(`${p[3]}: ${(err as Error).message}`);
        }
        const layer = KioskConfigLayer.safeParse(json);
        if (!layer.success) {
          const i = layer.error.issues[0]!;
          throw new CommandError(`${p[3]}: ${i.path.length ? `field '${i.path.join('.')}': ` : ''}${i.message}; nothing was changed`);
        }
        const h = await open();
        const target = await parseConfigTarget(h.db, p[2]!);
        const r = await setConfig(h, target, layer.data);
        line(io.stdout, r.puts ? `configuration for ${describe(target)} published (revision ${r.revision})` : `configuration for ${describe(target)} unchanged`);
        return 0;
      }
      case 'config show': {
        if (p.length !== 3) throw new UsageError('config show needs a target');
        const h = await open();
        line(io.stdout, JSON.stringify(await getConfig(h.db, await parseConfigTarget(h.db, p[2]!)), null, 2));
        return 0;
      }
      case 'config unset': {
        if (p.length !== 3) throw new UsageError('config unset needs a target');
        const h = await open();
        const target = await parseConfigTarget(h.db, p[2]!);
        const r = await setConfig(h, target, null);
        line(io.stdout, r.deletes ? `configuration for ${describe(target)} removed` : `${describe(target)} had no configuration`);
        return 0;
      }
      case 'tickets list':
      case 'inbox list': {
        const kind = (cmd === 'tickets list' ? 'ticket' : p[2]) as OutboxKind;
        if (!OUTBOX_KINDS.includes(kind)) throw new UsageError(`inbox list needs a kind: ${OUTBOX_KINDS.join(', ')}`);
        const items = await listInbox((await open()).db, kind, intOption(o.limit, 'limit', 50, 1, 1000));
        if (o.json) for (const i of items) line(io.stdout, JSON.stringify(i));
        else if (items.length === 0) line(io.stdout, `no ${kind} items`);
        else line(io.stdout, table([['RECEIVED', 'KIOSK', 'KEY', 'SUMMARY'], ...items.map((i) => [i.receivedAt, i.kiosk, i.key, summarize(i.payload)])]));
        return 0;
      }
      case 'analytics searches': {
        const rows = await searchStats((await open()).db, { noResults: o['no-results'], limit: intOption(o.limit, 'limit', 20, 1, 1000), locale: o.locale });
        if (o.json) line(io.stdout, JSON.stringify(rows));
        else if (rows.length === 0) line(io.stdout, 'no searches recorded');
        else line(io.stdout, table([['LOCALE', 'QUERY', 'COUNT', 'NO RESULT'], ...rows.map((r) => [r.locale, r.query, String(r.count), String(r.noResults)])]));
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${p.join(' ').slice(0, 60)}'\n${USAGE}`);
    }
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

function describe(t: { scope: string; branch?: string; kiosk?: string }): string {
  return t.scope === 'fleet' ? 'the fleet' : t.scope === 'branch' ? `branch '${t.branch}'` : `kiosk '${t.kiosk}'`;
}

/** A one-line, non-personal summary of an item for tables (ticket category and length only). */
function summarize(payload: unknown): string {
  const p = payload as Record<string, unknown>;
  if (typeof p.category === 'string') return `${p.category} (${String(p.text ?? '').length} chars${p.contact ? ', contact given' : ''})`;
  if (typeof p.score === 'number') return `score ${p.score}`;
  return Object.keys(p).join(',');
}

async function serve(dbSpec: string, o: { port?: string | undefined; host?: string | undefined; 'tls-cert'?: string | undefined; 'tls-key'?: string | undefined; 'rate-limit'?: string | undefined; quiet: boolean }, io: HubIo): Promise<number> {
  const port = intOption(o.port ?? io.env.HUB_PORT, 'port', 8787, 0, 65535);
  const host = o.host ?? '127.0.0.1';
  if (!!o['tls-cert'] !== !!o['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
  let sso;
  try {
    sso = oidcSettingsFromEnv(io.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const tls = o['tls-cert'] ? { cert: o['tls-cert'], key: o['tls-key']! } : undefined;
  const hub = await HubDb.open(dbSpec);
  const server = await buildHubServer(hub, {
    logger: o.quiet ? false : true,
    rateLimitPerMinute: intOption(o['rate-limit'], 'rate-limit', 1200, 1, 10_000_000),
    tls,
    consoleAuth: { sso, cookieSecure: cookieSecure(host, !!tls, io.env.HUB_PUBLIC_URL) },
    // With --quiet there is no request log: each use of the deprecated admin token still shows.
    ...(o.quiet ? { onDeprecated: (m: string) => line(io.stderr, `hub: ${m}`) } : {}),
  });
  if (sso) line(io.stdout, `hub: SSO with ${sso.issuer} (redirect ${sso.publicUrl}/console/auth/callback)`);
  const admin = await hub.db.selectFrom('meta').select('value').where('key', '=', 'admin_token_hash').executeTakeFirst();
  const people = await hub.db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirst();
  if (!admin && !people) line(io.stdout, 'hub: no admin account yet — the console and admin API are closed until you run `hub user add <name> --role admin --password-stdin`');
  const address = await server.app.listen({ port, host });
  line(io.stdout, `hub listening on ${address} (${hub.dialect} ${redactDbSpec(dbSpec)})`);
  await new Promise<void>((done) => {
    const stop = () => {
      line(io.stdout, 'hub: shutting down');
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await hub.close();
  return 0;
}

/**
 * The console's cookies are Secure, except when the hub serves plain http on a loopback address
 * and its public URL (if any) is not https — local development, where a browser would drop a
 * Secure cookie and nothing crosses a network.
 */
export function cookieSecure(host: string, tls: boolean, publicUrl: string | undefined): boolean {
  if (tls || publicUrl?.startsWith('https:')) return true;
  return !isLoopback(host);
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
    process.exitCode = code;
  });
}
