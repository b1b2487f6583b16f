// People who use the hub (console and scripts): accounts, sessions, personal API tokens, the audit
// log. Request and response shapes of the auth, users, tokens and audit routes; the console and the
// CLI validate with the same schemas. Secrets (passwords, session ids, tokens) appear only in
// requests, and a new token once in the response that creates it.
import { z } from 'zod';
import { BranchName } from './hub-routes/admin.ts';
import { HUB_ROLES } from './hub-routes/define.ts';

export const HubRole = z.enum(HUB_ROLES);
export type HubRole = z.infer<typeof HubRole>;

/** Letters, digits and . _ @ - (an SSO user's e-mail-like name fits); compared case-insensitively. */
export const UserName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'name may use letters, digits, . _ @ - and must start with a letter or digit');

/** Long passphrases welcome; the upper bound keeps hashing cost bounded (argon2 reads every byte). */
export const Password = z.string().min(10, 'password must have at least 10 characters').max(256, 'password may have at most 256 characters');

export const UserInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: HubRole,
  /** The branch of a branch manager; null for every other role. */
  branch: z.string().nullable(),
  source: z.enum(['local', 'sso']),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  /** Set while too many failed logins keep the account locked. */
  lockedUntil: z.string().nullable(),
});
export type UserInfo = z.infer<typeof UserInfo>;

/** The signed-in person as the console shows it. */
export const SessionUser = z.strictObject({ id: z.string(), name: z.string(), role: HubRole, branch: z.string().nullable() });
export type SessionUser = z.infer<typeof SessionUser>;

export const CreateUserRequest = z
  .strictObject({ name: UserName, role: HubRole, branch: BranchName.optional(), password: Password })
  .superRefine(branchRule);
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .strictObject({ role: HubRole.optional(), branch: BranchName.nullable().optional(), disabled: z.boolean().optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const ResetPasswordRequest = z.strictObject({ password: Password });

/** A branch manager belongs to exactly one branch; nobody else has one. Null when the pair is valid. */
export function branchProblem(role: HubRole | undefined, branch: string | null | undefined): string | null {
  if (role === 'branch-manager' && !branch) return 'a branch manager needs a branch';
  if (role !== undefined && role !== 'branch-manager' && branch) return `role '${role}' has no branch`;
  return null;
}

function branchRule(v: { role?: HubRole | undefined; branch?: string | null | undefined }, ctx: z.RefinementCtx): void {
  const problem = branchProblem(v.role, v.branch);
  if (problem) ctx.addIssue({ code: 'custom', path: ['branch'], message: problem });
}

// ---- sessions (console) -------------------------------------------------------------------------

export const SESSION_COOKIE = 'hub_session';
export const CSRF_HEADER = 'x-csrf-token';

export const LoginRequest = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Login and `GET /v1/auth/me` answer the same: who, the CSRF token for unsafe requests, expiry. */
export const SessionInfo = z.strictObject({
  user: SessionUser,
  csrfToken: z.string(),
  idleExpiresAt: z.string(),
  absoluteExpiresAt: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const AuthConfig = z.strictObject({ sso: z.strictObject({ label: z.string() }).nullable() });
export type AuthConfig = z.infer<typeof AuthConfig>;

// ---- personal API tokens --------------------------------------------------------------------------

/**
 * What a personal token may do, on top of its owner's role (never more than the role): `*` every
 * route, a route id (`admin.kiosks.list`), or a prefix (`admin.kiosks.*`); `:read` after any of
 * them limits it to GET requests.
 */
export const TokenScope = z
  .string()
  .max(100)
  .regex(/^(\*|[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*(\.\*)?)(:read)?$/, "scope is '*', a route id or a prefix ending in '.*', optionally followed by ':read'");

export const CreateTokenRequest = z.strictObject({
  name: z.string().min(1).max(64),
  scopes: z.array(TokenScope).min(1).max(20),
  /** Days until it stops working (default 90, at most 365). */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

export const TokenInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

/** The token itself is in this response only; the hub keeps its hash. */
export const CreateTokenResponse = z.strictObject({ token: z.string(), info: TokenInfo });

// ---- audit log --------------------------------------------------------------------------------

export const AUDIT_RESULTS = ['ok', 'denied', 'failed', 'locked', 'error'] as const;
export const AuditResult = z.enum(AUDIT_RESULTS);
export type AuditResult = z.infer<typeof AuditResult>;

export const AuditEntry = z.strictObject({
  id: z.number(),
  at: z.string(),
  actorKind: z.enum(['user', 'kiosk', 'anonymous', 'system']),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  role: z.string().nullable(),
  /** A route id (`admin.kiosks.create`) or an auth event (`auth.login`, `auth.sso`, …). */
  action: z.string(),
  target: z.string().nullable(),
  result: AuditResult,
  status: z.number().nullable(),
  address: z.string().nullable(),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const IsoTime = z.iso.datetime({ offset: true });
export const AuditQuery = z.strictObject({
  actor: z.string().max(64).optional(),
  /** Exact action, or a prefix ending in `.*`. */
  action: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  result: AuditResult.optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  /** Entries with a smaller id than this (paging backwards from the newest). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
