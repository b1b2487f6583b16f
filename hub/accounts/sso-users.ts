// Accounts of people who sign in with SSO. The identity provider is the source of truth for the
// role: it is read from the role claim at every sign-in (a role removed there is gone here at the
// next sign-in; sessions already open keep theirs until they expire). Unknown roles get no access.
import { randomUUID } from 'node:crypto';
import { UserName } from '../../contracts/accounts.ts';
import { BranchName } from '../../contracts/hub-routes/admin.ts';
import { HUB_ROLES, type HubRole } from '../../contracts/hub-routes/index.ts';
import { nowIso, type HubTx } from '../db/open.ts';
import type { UsersTable } from '../db/schema.ts';
import { sha256Hex } from '../sync/publish.ts';
import { nameKey } from './users.ts';

export class SsoAccessError extends Error {
  override name = 'SsoAccessError';
  constructor(
    readonly code: 'unknown_role' | 'no_branch' | 'disabled' | 'name_taken' | 'bad_claims',
    message: string,
  ) {
    super(message);
  }
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : []);

/** The role (the most powerful of the known ones given) and, for a branch manager, the branch. */
export function roleFromClaims(claims: Record<string, unknown>, roleClaim: string): { role: HubRole; branch: string | null } {
  const given = asList(claims[roleClaim]);
  const role = HUB_ROLES.find((r) => given.includes(r));
  if (!role) {
    const shown = given.slice(0, 5).map((r) => `'${r.slice(0, 40)}'`).join(', ') || 'none';
    throw new SsoAccessError('unknown_role', `no hub role in claim '${roleClaim}' (given: ${shown})`);
  }
  if (role !== 'branch-manager') return { role, branch: null };
  const branch = BranchName.safeParse(claims.branch);
  if (!branch.success) throw new SsoAccessError('no_branch', "a branch manager needs a valid 'branch' claim");
  return { role, branch: branch.data };
}

/** The hub account for an SSO identity (`iss` + `sub`), created or brought up to date. */
export async function upsertSsoUser(db: HubTx, claims: Record<string, unknown>, roleClaim: string, now = nowIso()): Promise<UsersTable> {
  if (typeof claims.sub !== 'string' || typeof claims.iss !== 'string') throw new SsoAccessError('bad_claims', 'the ID token has no subject or issuer');
  const { role, branch } = roleFromClaims(claims, roleClaim);
  const subject = `${claims.iss} ${claims.sub}`;
  // The name people see: the provider's user name or e-mail when it fits ours, else one derived from the subject.
  const wanted = [claims.preferred_username, claims.email].find((v) => UserName.safeParse(v).success) as string | undefined;
  const name = wanted ?? `sso-${sha256Hex(subject).slice(0, 12)}`;
  const existing = await db.selectFrom('users').selectAll().where('sso_subject', '=', subject).executeTakeFirst();
  if (existing) {
    if (existing.disabled_at) throw new SsoAccessError('disabled', `the account '${existing.name}' is disabled on this hub`);
    const updated = { ...existing, role, branch, last_login_at: now, updated_at: now };
    await db.updateTable('users').set({ role, branch, last_login_at: now, updated_at: now }).where('id', '=', existing.id).execute();
    return updated;
  }
  const clash = await db.selectFrom('users').select('source').where('name_key', '=', nameKey(name)).executeTakeFirst();
  // Never attach an SSO identity to an account that exists already under the same name: that
  // would let whoever controls the name at the provider take over a local account.
  if (clash) throw new SsoAccessError('name_taken', `the name '${name}' belongs to another account on this hub; an admin must rename or remove it`);
  const row: UsersTable = {
    id: randomUUID(),
    name,
    name_key: nameKey(name),
    role,
    branch,
    source: 'sso',
    password_hash: null,
    sso_subject: subject,
    created_at: now,
    updated_at: now,
    disabled_at: null,
    last_login_at: now,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}
