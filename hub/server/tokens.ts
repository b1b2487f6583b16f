// Bearer tokens → principals: a kiosk's device token, or the shared admin token (a user with role
// `admin`, id `hub-admin`). Only sha256 hashes are stored and compared (a slow hash adds nothing
// for a random 256-bit secret, and the poll path stays fast). Answers are cached: a known token for
// `cacheMs` (a revocation by the CLI reaches a running hub within it; one through the API clears the
// cache at once), an unknown one for at most 2 s.
import type { HubDb } from '../db/open.ts';
import type { KioskPrincipal, RequestPrincipal, UserAuthenticator, UserPrincipal } from './auth.ts';

export const ADMIN_TOKEN_USER: UserPrincipal = { kind: 'user', id: 'hub-admin', name: 'admin token', role: 'admin', branch: null };

export class TokenLookup {
  private readonly cache = new Map<string, { principal: RequestPrincipal | null; until: number }>();

  constructor(
    private readonly hub: HubDb,
    private readonly cacheMs = 10_000,
    private readonly maxEntries = 50_000,
  ) {}

  async principal(hash: string): Promise<RequestPrincipal | null> {
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.principal;
    let principal: RequestPrincipal | null = null;
    const kiosk = await this.hub.db.selectFrom('kiosks').select(['id', 'branch', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst();
    if (kiosk && !kiosk.revoked_at) principal = { kind: 'kiosk', id: kiosk.id, branch: kiosk.branch };
    if (!kiosk) {
      const admin = await this.hub.db.selectFrom('meta').select('value').where('key', '=', 'admin_token_hash').executeTakeFirst();
      if (admin && admin.value === hash) principal = ADMIN_TOKEN_USER;
    }
    if (this.cache.size > this.maxEntries) this.cache.clear();
    this.cache.set(hash, { principal, until: now + (principal ? this.cacheMs : Math.min(this.cacheMs, 2000)) });
    return principal;
  }

  async kiosk(hash: string): Promise<KioskPrincipal | null> {
    const p = await this.principal(hash);
    return p?.kind === 'kiosk' ? p : null;
  }

  /** After a revocation: nothing cached survives. */
  forget(): void {
    this.cache.clear();
  }
}

/** The shared admin token (`hub admin-token`) as a user authenticator. */
export function adminTokenAuthenticator(tokens: TokenLookup): UserAuthenticator {
  return async (req) => {
    if (!req.tokenHash) return null;
    const p = await tokens.principal(req.tokenHash);
    return p?.kind === 'user' ? p : null;
  };
}
