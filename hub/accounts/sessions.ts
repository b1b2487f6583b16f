// Console sessions. The cookie carries 256 random bits; the database keeps only their sha256, so a
// leaked copy of the table signs nobody in. The CSRF token is an HMAC of that secret: any replica
// can recompute and check it, nothing more is stored, and a page on another origin can neither
// read the httpOnly cookie nor derive the token. Idle expiry slides (written at most once a
// minute per session, so a busy console does not write on every request); absolute expiry does not.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SessionInfo } from '../../contracts/accounts.ts';
import type { HubTx } from '../db/open.ts';
import type { UsersTable } from '../db/schema.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
/** Idle expiry is written back only when it would move by more than this. */
const TOUCH_EVERY_MS = 60_000;

const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const csrfTokenFor = (secret: string) => createHmac('sha256', secret).update('hub-csrf').digest('base64url');

export function csrfMatches(secret: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface ActiveSession {
  id: string;
  user: UsersTable;
  method: 'password' | 'sso';
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

export function sessionInfo(s: ActiveSession, secret: string): SessionInfo {
  return {
    user: { id: s.user.id, name: s.user.name, role: s.user.role, branch: s.user.branch },
    csrfToken: csrfTokenFor(secret),
    idleExpiresAt: new Date(s.idleExpiresAt).toISOString(),
    absoluteExpiresAt: new Date(s.absoluteExpiresAt).toISOString(),
  };
}

/** A new session for `user`; the returned secret goes into the cookie and nowhere else. */
export async function createSession(
  db: HubTx,
  user: UsersTable,
  method: 'password' | 'sso',
  address: string | null,
  policy: SessionPolicy,
  now: number,
): Promise<{ secret: string; session: ActiveSession }> {
  const secret = randomBytes(32).toString('base64url');
  const session: ActiveSession = { id: randomUUID(), user, method, idleExpiresAt: Math.min(now + policy.idleMs, now + policy.absoluteMs), absoluteExpiresAt: now + policy.absoluteMs };
  await db
    .insertInto('user_sessions')
    .values({
      id: session.id,
      secret_hash: secretHash(secret),
      user_id: user.id,
      method,
      created_at: now,
      last_seen_at: now,
      idle_expires_at: session.idleExpiresAt,
      absolute_expires_at: session.absoluteExpiresAt,
      ended_at: null,
      end_reason: null,
      address: address?.slice(0, 64) ?? null,
    })
    .execute();
  return { secret, session };
}

/**
 * The live session for a cookie secret, its idle expiry moved on; null when unknown, ended,
 * expired (then ended with the reason) or when its user is disabled.
 */
export async function resolveSession(db: HubTx, secret: string, policy: SessionPolicy, now: number): Promise<ActiveSession | null> {
  if (secret.length < 20 || secret.length > 100) return null;
  const row = await db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as sid', 's.method', 's.last_seen_at', 's.idle_expires_at', 's.absolute_expires_at', 's.ended_at'])
    .selectAll('u')
    .where('s.secret_hash', '=', secretHash(secret))
    .executeTakeFirst();
  if (!row || row.ended_at !== null) return null;
  const { sid, method, last_seen_at, idle_expires_at, absolute_expires_at, ended_at: _ended, ...user } = row;
  const idle = Number(idle_expires_at);
  const absolute = Number(absolute_expires_at);
  if (user.disabled_at) {
    await endSession(db, sid, 'disabled', now);
    return null;
  }
  if (idle <= now || absolute <= now) {
    await endSession(db, sid, absolute <= now ? 'absolute-expiry' : 'idle-expiry', now);
    return null;
  }
  let idleExpiresAt = idle;
  if (now - Number(last_seen_at) >= TOUCH_EVERY_MS) {
    idleExpiresAt = Math.min(now + policy.idleMs, absolute);
    await db.updateTable('user_sessions').set({ last_seen_at: now, idle_expires_at: idleExpiresAt }).where('id', '=', sid).where('ended_at', 'is', null).execute();
  }
  return { id: sid, user: user as UsersTable, method: method as ActiveSession['method'], idleExpiresAt, absoluteExpiresAt: absolute };
}

export async function endSession(db: HubTx, id: string, reason: string, now: number): Promise<void> {
  await db.updateTable('user_sessions').set({ ended_at: now, end_reason: reason }).where('id', '=', id).where('ended_at', 'is', null).execute();
}

export async function endUserSessions(db: HubTx, userId: string, reason: string, now: number): Promise<number> {
  const r = await db.updateTable('user_sessions').set({ ended_at: now, end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
