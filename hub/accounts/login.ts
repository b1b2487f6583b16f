// Password login: lockout first (per name and per address, in the database), then argon2id, then a
// new session. Every attempt is audited: ok, failed (wrong name or password, disabled, SSO-only —
// the caller hears the same "invalid username or password" for each) or locked.
import type { HubDb, HubTx } from '../db/open.ts';
import type { UsersTable } from '../db/schema.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { AccountError } from './errors.ts';
import { ADDRESS_LOCKOUT, addressKey, clearFailures, lockedUntil, recordFailure, USER_LOCKOUT, userKey, type LockoutPolicy } from './lockout.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { createSession, type ActiveSession, type SessionPolicy } from './sessions.ts';
import { findUser } from './users.ts';

export interface LoginOptions {
  session: SessionPolicy;
  userLockout?: LockoutPolicy;
  addressLockout?: LockoutPolicy;
  now: number;
}

/** Sessions that ended or expired more than this long ago are deleted at the next login. */
const KEEP_ENDED_SESSIONS_MS = 7 * 86_400_000;

const lockedError = (until: number, now: number) =>
  new AccountError(429, 'locked', 'too many failed logins; try again later', Math.max(1, Math.ceil((until - now) / 1000)));

export async function passwordLogin(
  hub: HubDb,
  input: { username: string; password: string; address: string },
  o: LoginOptions,
): Promise<{ secret: string; session: ActiveSession }> {
  const uKey = userKey(input.username);
  const aKey = addressKey(input.address);
  const audit = (result: 'ok' | 'failed' | 'locked', user: UsersTable | undefined, detail: string | null, db: HubTx = hub.db) =>
    appendAudit(db, {
      actor: user ? { kind: 'user', id: user.id, name: user.name, role: user.role } : { kind: 'anonymous', name: input.username.slice(0, 64) },
      action: 'auth.login',
      target: user?.name ?? input.username.slice(0, 64),
      result,
      status: result === 'ok' ? 200 : result === 'locked' ? 429 : 401,
      address: input.address,
      detail,
    });

  const locked = (await lockedUntil(hub.db, uKey, o.now)) ?? (await lockedUntil(hub.db, aKey, o.now));
  if (locked !== null) {
    await audit('locked', undefined, 'refused while locked');
    throw lockedError(locked, o.now);
  }

  const user = await findUser(hub.db, input.username);
  const hash = user?.source === 'local' && !user.disabled_at ? user.password_hash : null;
  const ok = hash ? await verifyPassword(hash, input.password) : (await burnPasswordCheck(input.password), false);
  if (!ok) {
    const why = !user ? 'unknown user' : user.disabled_at ? 'account disabled' : user.source !== 'local' ? 'SSO account' : 'wrong password';
    const lockedNow = await hub.write(async (trx) => {
      const u = await recordFailure(trx, uKey, o.userLockout ?? USER_LOCKOUT, o.now);
      const a = await recordFailure(trx, aKey, o.addressLockout ?? ADDRESS_LOCKOUT, o.now);
      return u ?? a;
    });
    await audit(lockedNow === null ? 'failed' : 'locked', user, lockedNow === null ? why : `${why}; now locked`);
    if (lockedNow !== null) throw lockedError(lockedNow, o.now);
    throw new AccountError(401, 'unauthorized', 'invalid username or password');
  }

  const result = await hub.write(async (trx) => {
    await clearFailures(trx, uKey);
    await trx.updateTable('users').set({ last_login_at: new Date(o.now).toISOString() }).where('id', '=', user!.id).execute();
    await trx.deleteFrom('user_sessions').where('absolute_expires_at', '<', o.now - KEEP_ENDED_SESSIONS_MS).execute();
    await audit('ok', user, null, trx);
    return createSession(trx, user!, 'password', input.address, o.session, o.now);
  });
  return result;
}
