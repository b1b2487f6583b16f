// `hub user …`: accounts from the command line (central IT's first admin, scripts, recovery).
// Passwords come only on stdin (--password-stdin): never in argv (visible in `ps` and shell
// history), never printed, never logged. Each change is in the audit log as `cli.user.<command>`
// by the operating-system user who ran it.
import { userInfo as osUser } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HubRole, Password, UserName, type UserInfo } from '../../../contracts/accounts.ts';
import { BranchName } from '../../../contracts/hub-routes/admin.ts';
import { AccountError } from '../../accounts/errors.ts';
import { createUser, disableUser, listUsers, resetPassword, updateUser } from '../../accounts/users.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { HubDb } from '../../db/open.ts';

export const USER_USAGE = `usage: hub user <command> [options]        (every command takes --db FILE|postgres://…)
  add <name> --role admin|editor|agent|branch-manager [--branch B] --password-stdin [--json]
  list [--json]
  disable <name> · enable <name>          disabling ends the account's sessions at once
  reset-password <name> --password-stdin   ends the account's sessions, lifts a lockout
The password is read from the first line of standard input, e.g.
  printf '%s\\n' "$PASSWORD" | npm run hub -- user add ada --role admin --password-stdin`;

export interface UserCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export class UserUsageError extends Error {}
export class UserCommandError extends Error {}

const OPTIONS = {
  db: { type: 'string' },
  role: { type: 'string' },
  branch: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

const line = (s: NodeJS.WritableStream, text: string) => s.write(text + '\n');

/** The first line of stdin, at most 4 KiB read. */
async function passwordFromStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  const ok = Password.safeParse(password);
  if (!ok.success) throw new UserUsageError(`password on stdin: ${ok.error.issues[0]!.message}`);
  return password;
}

function parsed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, v: unknown, what: string): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new UserUsageError(`${what}: ${r.error.issues[0]!.message}`);
  return r.data;
}

function table(users: UserInfo[]): string {
  const rows = [['NAME', 'ROLE', 'BRANCH', 'SOURCE', 'STATE', 'LAST LOGIN'], ...users.map((u) => [u.name, u.role, u.branch ?? '-', u.source, u.disabledAt ? 'disabled' : u.lockedUntil ? `locked until ${u.lockedUntil}` : 'active', u.lastLoginAt ?? 'never'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function runUser(argv: string[], io: UserCommandIo, dbSpec: (given: string | undefined) => string): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserUsageError(`${(err as Error).message}\n${USER_USAGE}`);
  }
  const { values: o, positionals: p } = args;
  if (o.help || p.length === 0) {
    line(o.help ? io.stdout : io.stderr, USER_USAGE);
    return o.help ? 0 : 2;
  }
  const [command, name, ...extra] = p;
  if (extra.length) throw new UserUsageError(`unexpected argument '${extra[0]}'`);
  const needsName = command !== 'list';
  if (needsName && !name) throw new UserUsageError(`user ${command} needs a name`);
  if (!['add', 'list', 'disable', 'enable', 'reset-password'].includes(command!)) throw new UserUsageError(`unknown user command '${command!.slice(0, 40)}'\n${USER_USAGE}`);
  const wantsPassword = command === 'add' || command === 'reset-password';
  if (wantsPassword && !o['password-stdin']) throw new UserUsageError(`user ${command} reads the password from stdin: add --password-stdin (never put a password on the command line)`);
  // Everything is checked before the password is read or the database opened.
  const add =
    command === 'add'
      ? {
          name: parsed(UserName, name, 'name'),
          role: parsed(HubRole, o.role, '--role (admin, editor, agent or branch-manager)'),
          branch: o.branch === undefined ? null : parsed(BranchName, o.branch, '--branch'),
        }
      : null;
  const password = wantsPassword ? await passwordFromStdin(io.stdin ?? process.stdin) : '';

  const hub = await HubDb.open(dbSpec(o.db));
  const actor = { kind: 'system' as const, name: `cli:${safeOsUser()}` };
  const audit = (result: 'ok' | 'failed', detail: string | null) => appendAudit(hub.db, { actor, action: `cli.user.${command}`, target: name ?? null, result, detail });
  try {
    let user: UserInfo;
    try {
      if (command === 'list') {
        const users = await listUsers(hub);
        line(io.stdout, o.json ? JSON.stringify(users) : users.length ? table(users) : 'no accounts; add the first admin with `hub user add <name> --role admin --password-stdin`');
        return 0;
      }
      if (add) user = await createUser(hub, { ...add, password });
      else if (command === 'disable') user = await disableUser(hub, name!);
      else if (command === 'enable') user = await updateUser(hub, name!, { disabled: false });
      else user = await resetPassword(hub, name!, password);
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      await audit('failed', err.message);
      throw new UserCommandError(err.message);
    }
    await audit('ok', add ? `role ${add.role}${add.branch ? ` branch ${add.branch}` : ''}` : null);
    const done = { add: `added (role ${user.role}${user.branch ? `, branch ${user.branch}` : ''})`, disable: 'disabled; its sessions have ended', enable: 'enabled', 'reset-password': 'has a new password; its sessions have ended' }[command as 'add'];
    line(io.stdout, o.json ? JSON.stringify(user) : `user '${user.name}' ${done}`);
    return 0;
  } finally {
    await hub.close();
  }
}

function safeOsUser(): string {
  try {
    return osUser().username;
  } catch {
    return 'unknown';
  }
}
