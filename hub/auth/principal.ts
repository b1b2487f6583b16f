// A person behind a request to a `user` route of the route table, however they authenticated.
// Kept here (not in hub/server/) so that the authenticators and the server share it without a cycle.
import type { HubRole } from '../../contracts/hub-routes/index.ts';

export interface UserPrincipal {
  kind: 'user';
  id: string;
  name: string;
  role: HubRole;
  /** A branch manager's branch; null for every other role. */
  branch: string | null;
  /** How the request authenticated: console session, personal token, or the shared admin token. */
  via?: 'session' | 'token' | 'admin-token';
  /** A personal token's scopes (contracts/accounts.ts TokenScope), checked against the route id. */
  scopes?: readonly string[];
  /** The console session's id (never its secret). */
  sessionId?: string;
}
