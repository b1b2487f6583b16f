// Failed-login counters, kept in the hub database: with several hub replicas behind a load balancer
// a per-process count would give an attacker one allowance per replica. Two keys per attempt: the
// user name (locks the account, known or not, so a lock does not reveal which names exist) and the
// client address (stops one address trying many names). Each update is one atomic upsert, so
// concurrent failures on different replicas all count.
import { sql } from 'kysely';
import type { HubTx } from '../db/open.ts';

export interface LockoutPolicy {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const USER_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const ADDRESS_LOCKOUT: LockoutPolicy = { maxFailures: 50, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export const userKey = (name: string) => `user:${name.toLowerCase()}`;
export const addressKey = (address: string) => `addr:${address}`;

/** ms since the epoch until which `key` is locked, or null. */
export async function lockedUntil(db: HubTx, key: string, now: number): Promise<number | null> {
  const row = await db.selectFrom('login_failures').select('locked_until').where('key', '=', key).executeTakeFirst();
  const until = row?.locked_until === null || row?.locked_until === undefined ? null : Number(row.locked_until);
  return until !== null && until > now ? until : null;
}

/** Counts one failure; returns the lock's end when this failure locked (or the key was locked). */
export async function recordFailure(db: HubTx, key: string, policy: LockoutPolicy, now: number): Promise<number | null> {
  const cutoff = now - policy.windowMs;
  const lockAt = now + policy.lockMs;
  // A window that has run out, or a lock that has, starts counting afresh.
  const fresh = sql`(login_failures.window_started_at <= ${cutoff} OR (login_failures.locked_until IS NOT NULL AND login_failures.locked_until <= ${now}))`;
  const next = sql`(CASE WHEN ${fresh} THEN 1 ELSE login_failures.failures + 1 END)`;
  const { rows } = await sql<{ locked_until: number | string | null }>`
    INSERT INTO login_failures (key, failures, window_started_at, locked_until)
    VALUES (${key}, 1, ${now}, ${policy.maxFailures <= 1 ? lockAt : null})
    ON CONFLICT (key) DO UPDATE SET
      failures = ${next},
      window_started_at = CASE WHEN ${fresh} THEN ${now} ELSE login_failures.window_started_at END,
      locked_until = CASE WHEN ${next} >= ${policy.maxFailures} THEN ${lockAt} WHEN ${fresh} THEN NULL ELSE login_failures.locked_until END
    RETURNING locked_until`.execute(db);
  const until = rows[0]?.locked_until;
  return until === null || until === undefined || Number(until) <= now ? null : Number(until);
}

export async function clearFailures(db: HubTx, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}
