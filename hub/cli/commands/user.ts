// `hub user …`: accounts from the command line (central IT's first admin, scripts, recovery).
// Passwords come only on stdin (--password-stdin): never in argv (visible in `ps` and shell
// history), never printed, never logged. Each change is in the audit log as `cli.user.<command>`
// by the operating-system user who ran it.
import { userInfo as osUser } from 'node:os';
import { HubRole, Password, UserName, type UserInfo } from '../../../contracts/accounts.ts';
import { BranchName } from '../../../contracts/hub-routes/admin.ts';
import { AccountError } from '../../accounts/errors.ts';
import { createUser, disableUser, listUsers, resetPassword, updateUser } from '../../accounts/users.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { CommandError, line, table, UsageError, type HubCommand } from '../io.ts';

const COMMANDS = ['add', 'list', 'disable', 'enable', 'reset-password'];

/** The first line of stdin, at most 4 KiB read. */
async function passwordFromStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  const ok = Password.safeParse(password);
  if (!ok.success) throw new UsageError(`password on stdin: ${ok.error.issues[0]!.message}`);
  return password;
}

function parsed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, v: unknown, what: string): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new UsageError(`${what}: ${r.error.issues[0]!.message}`);
  return r.data;
}

const state = (u: UserInfo) => (u.disabledAt ? 'disabled' : u.lockedUntil ? `locked until ${u.lockedUntil}` : 'active');

export const run: HubCommand = async ({ p, o, io, open }) => {
  const [, command, name, ...extra] = p;
  if (!command || !COMMANDS.includes(command)) throw new UsageError(`hub user needs one of ${COMMANDS.join(', ')} (hub --help)`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]!.slice(0, 40)}'`);
  if (command !== 'list' && !name) throw new UsageError(`user ${command} needs a name`);
  const wantsPassword = command === 'add' || command === 'reset-password';
  if (wantsPassword && !o['password-stdin']) throw new UsageError(`user ${command} reads the password from stdin: add --password-stdin (never put a password on the command line)`);
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

  const hub = await open();
  if (command === 'list') {
    const users = await listUsers(hub);
    if (o.json) line(io.stdout, JSON.stringify(users));
    else if (users.length === 0) line(io.stdout, 'no accounts; add the first admin with `hub user add <name> --role admin --password-stdin`');
    else line(io.stdout, table([['NAME', 'ROLE', 'BRANCH', 'SOURCE', 'STATE', 'LAST LOGIN'], ...users.map((u) => [u.name, u.role, u.branch ?? '-', u.source, state(u), u.lastLoginAt ?? 'never'])]));
    return 0;
  }
  const audit = (result: 'ok' | 'failed', detail: string | null) =>
    appendAudit(hub.db, { actor: { kind: 'system', name: `cli:${safeOsUser()}` }, action: `cli.user.${command}`, target: name ?? null, result, detail });
  let user: UserInfo;
  try {
    if (add) user = await createUser(hub, { ...add, password });
    else if (command === 'disable') user = await disableUser(hub, name!);
    else if (command === 'enable') user = await updateUser(hub, name!, { disabled: false });
    else user = await resetPassword(hub, name!, password);
  } catch (err) {
    if (!(err instanceof AccountError)) throw err;
    await audit('failed', err.message);
    throw new CommandError(err.message);
  }
  await audit('ok', add ? `role ${add.role}${add.branch ? ` branch ${add.branch}` : ''}` : null);
  const done: Record<string, string> = {
    add: `added (role ${user.role}${user.branch ? `, branch ${user.branch}` : ''})`,
    disable: 'disabled; its sessions have ended',
    enable: 'enabled',
    'reset-password': 'has a new password; its sessions have ended',
  };
  line(io.stdout, o.json ? JSON.stringify(user) : `user '${user.name}' ${done[command]}`);
  return 0;
};

function safeOsUser(): string {
  try {
    return osUser().username;
  } catch {
    return 'unknown';
  }
}
