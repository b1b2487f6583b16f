// Accounts: a name, one role (a branch manager also one branch), a password (local accounts) or an
// identity-provider subject (SSO accounts). Disabling an account ends its sessions at once and its
// personal tokens stop working (both are checked against the account on every request).
import { randomUUID } from 'node:crypto';
import { branchProblem, type HubRole, type UpdateUserRequest, type UserInfo } from '../../contracts/accounts.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import type { UsersTable } from '../db/schema.ts';
import { AccountError } from './errors.ts';
import { lockedUntil, clearFailures, userKey } from './lockout.ts';
import { hashPassword } from './passwords.ts';
import { endUserSessions } from './sessions.ts';

export const nameKey = (name: string) => name.toLowerCase();

function checkBranch(role: HubRole, branch: string | null): void {
  const problem = branchProblem(role, branch);
  if (problem) throw new AccountError(400, 'bad_request', problem);
}

export function userInfo(r: UsersTable, locked: number | null = null): UserInfo {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    branch: r.branch,
    source: r.source,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
    lastLoginAt: r.last_login_at,
    lockedUntil: locked === null ? null : new Date(locked).toISOString(),
  };
}

export async function findUser(db: HubTx, name: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('name_key', '=', nameKey(name)).executeTakeFirst();
}

async function requireUser(db: HubTx, name: string): Promise<UsersTable> {
  const user = await findUser(db, name);
  if (!user) throw new AccountError(404, 'not_found', `no user named '${name}'`);
  return user;
}

export async function createUser(
  hub: HubDb,
  input: { name: string; role: HubRole; branch?: string | null; password: string },
): Promise<UserInfo> {
  const branch = input.branch ?? null;
  checkBranch(input.role, branch);
  const passwordHash = await hashPassword(input.password);
  return hub.write(async (trx) => {
    if (await findUser(trx, input.name)) throw new AccountError(409, 'conflict', `a user named '${input.name}' already exists`);
    const now = nowIso();
    const row: UsersTable = {
      id: randomUUID(),
      name: input.name,
      name_key: nameKey(input.name),
      role: input.role,
      branch,
      source: 'local',
      password_hash: passwordHash,
      sso_subject: null,
      created_at: now,
      updated_at: now,
      disabled_at: null,
      last_login_at: null,
    };
    await trx.insertInto('users').values(row).execute();
    return userInfo(row);
  });
}

export async function listUsers(hub: HubDb, now = Date.now()): Promise<UserInfo[]> {
  const rows = await hub.db.selectFrom('users').selectAll().orderBy('name_key').execute();
  const locks = await hub.db.selectFrom('login_failures').select(['key', 'locked_until']).where('locked_until', '>', now).execute();
  const locked = new Map(locks.map((l) => [l.key, Number(l.locked_until)]));
  return rows.map((r) => userInfo(r, locked.get(userKey(r.name)) ?? null));
}

export async function getUser(hub: HubDb, name: string, now = Date.now()): Promise<UserInfo> {
  const user = await requireUser(hub.db, name);
  return userInfo(user, await lockedUntil(hub.db, userKey(user.name), now));
}

/** Refuses to demote or disable the last enabled admin: nobody could manage accounts afterwards. */
async function keepOneAdmin(db: HubTx, leaving: string): Promise<void> {
  const others = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).where('id', '!=', leaving).executeTakeFirst();
  if (!others) throw new AccountError(409, 'conflict', 'this is the last enabled admin account; make another admin first');
}

/** Role, branch, disabled; the branch rule is checked on the result. Disabling ends every session. */
export async function updateUser(hub: HubDb, name: string, change: UpdateUserRequest, now = Date.now()): Promise<UserInfo> {
  return hub.write(async (trx) => {
    const user = await requireUser(trx, name);
    const role = change.role ?? user.role;
    // Changing a branch manager to another role drops the branch unless one is given.
    const branch = change.branch !== undefined ? change.branch : role === 'branch-manager' ? user.branch : null;
    checkBranch(role, branch);
    const disabledAt = change.disabled === undefined ? user.disabled_at : change.disabled ? (user.disabled_at ?? nowIso()) : null;
    if (user.role === 'admin' && !user.disabled_at && (role !== 'admin' || disabledAt)) await keepOneAdmin(trx, user.id);
    const updated = { ...user, role, branch, disabled_at: disabledAt, updated_at: nowIso() };
    await trx.updateTable('users').set({ role, branch, disabled_at: disabledAt, updated_at: updated.updated_at }).where('id', '=', user.id).execute();
    if (disabledAt && !user.disabled_at) await endUserSessions(trx, user.id, 'disabled', now);
    return userInfo(updated);
  });
}

export const disableUser = (hub: HubDb, name: string, now = Date.now()) => updateUser(hub, name, { disabled: true }, now);

/** A new password ends the user's sessions and lifts a lockout. SSO accounts have no password. */
export async function resetPassword(hub: HubDb, name: string, password: string, now = Date.now()): Promise<UserInfo> {
  const passwordHash = await hashPassword(password);
  return hub.write(async (trx) => {
    const user = await requireUser(trx, name);
    if (user.source !== 'local') throw new AccountError(400, 'bad_request', `'${user.name}' signs in with SSO and has no password here`);
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: nowIso() }).where('id', '=', user.id).execute();
    await endUserSessions(trx, user.id, 'password-reset', now);
    await clearFailures(trx, userKey(user.name));
    return userInfo(user);
  });
}
