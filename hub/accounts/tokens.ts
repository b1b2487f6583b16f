// Personal API tokens for scripts: 256 random bits shown once, kept as sha256 (a slow hash adds
// nothing for a random 256-bit secret and would cost on every request), scoped (contracts/accounts.ts
// TokenScope), expiring, revocable. A token acts as its owner with the owner's current role, never
// more, and stops working when the owner is disabled.
import { randomBytes, randomUUID } from 'node:crypto';
import type { CreateTokenRequest, TokenInfo } from '../../contracts/accounts.ts';
import { sha256Hex } from '../sync/publish.ts';
import { nowIso, type HubTx } from '../db/open.ts';
import type { ApiTokensTable, UsersTable } from '../db/schema.ts';
import { AccountError } from './errors.ts';

/** Personal tokens start with this, so they are told apart from kiosk tokens without a lookup. */
export const PERSONAL_TOKEN_PREFIX = 'lkp_';
const DEFAULT_DAYS = 90;
const MAX_LIVE_TOKENS_PER_USER = 50;
/** last_used_at is written at most this often per token. */
const NOTE_USE_EVERY_MS = 60_000;

export function tokenInfo(r: ApiTokensTable): TokenInfo {
  return {
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as string[],
    createdAt: r.created_at,
    expiresAt: new Date(Number(r.expires_at)).toISOString(),
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

export async function createToken(db: HubTx, userId: string, req: CreateTokenRequest, now: number): Promise<{ token: string; info: TokenInfo }> {
  const live = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  if (Number(live.n) >= MAX_LIVE_TOKENS_PER_USER) throw new AccountError(409, 'conflict', `at most ${MAX_LIVE_TOKENS_PER_USER} live tokens per user; revoke one first`);
  const token = `${PERSONAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row: ApiTokensTable = {
    id: randomUUID(),
    token_hash: sha256Hex(token),
    user_id: userId,
    name: req.name,
    scopes: JSON.stringify([...new Set(req.scopes)]),
    created_at: new Date(now).toISOString(),
    expires_at: now + (req.expiresInDays ?? DEFAULT_DAYS) * 86_400_000,
    revoked_at: null,
    last_used_at: null,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return { token, info: tokenInfo(row) };
}

export async function listTokens(db: HubTx, userId: string): Promise<TokenInfo[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  return rows.map(tokenInfo);
}

/** Revokes one of the user's own tokens (someone else's id is "not found", not "forbidden"). */
export async function revokeToken(db: HubTx, userId: string, id: string): Promise<TokenInfo> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new AccountError(404, 'not_found', `no token ${id}`);
  if (!row.revoked_at) {
    row.revoked_at = nowIso();
    await db.updateTable('api_tokens').set({ revoked_at: row.revoked_at }).where('id', '=', id).execute();
  }
  return tokenInfo(row);
}

/** The owner and scopes of a live token; null when unknown, revoked, expired or the owner is disabled. */
export async function resolveToken(db: HubTx, token: string, now: number): Promise<{ tokenId: string; user: UsersTable; scopes: string[] } | null> {
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX) || token.length > 100) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as tid', 't.scopes', 't.expires_at', 't.revoked_at', 't.last_used_at'])
    .selectAll('u')
    .where('t.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || Number(row.expires_at) <= now || row.disabled_at) return null;
  const { tid, scopes, expires_at: _e, revoked_at: _r, last_used_at, ...user } = row;
  if (!last_used_at || now - Date.parse(last_used_at) >= NOTE_USE_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date(now).toISOString() }).where('id', '=', tid).execute();
  }
  return { tokenId: tid, user: user as UsersTable, scopes: JSON.parse(scopes) as string[] };
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Whether any of `scopes` covers route `routeId` called with `method` (see TokenScope). */
export function scopeAllows(scopes: readonly string[], routeId: string, method: string): boolean {
  return scopes.some((scope) => {
    const readOnly = scope.endsWith(':read');
    const pattern = readOnly ? scope.slice(0, -5) : scope;
    if (readOnly && !SAFE_METHODS.has(method.toUpperCase())) return false;
    if (pattern === '*') return true;
    if (pattern.endsWith('.*')) return routeId.startsWith(pattern.slice(0, -1));
    return routeId === pattern;
  });
}

/** Whether `parent` scopes allow everything `child` (one scope) allows. */
export function scopesCover(parent: readonly string[], child: string): boolean {
  const split = (s: string) => ({ read: s.endsWith(':read'), pattern: s.endsWith(':read') ? s.slice(0, -5) : s });
  const c = split(child);
  return parent.some((scope) => {
    const p = split(scope);
    if (p.read && !c.read) return false;
    if (p.pattern === '*') return true;
    if (c.pattern === '*') return false;
    if (p.pattern.endsWith('.*')) return c.pattern.startsWith(p.pattern.slice(0, -1));
    return c.pattern === p.pattern;
  });
}
