// Personal API tokens, each person their own (hub/accounts/tokens.ts).
import { TOKENS_ROUTES } from '../../../contracts/hub-routes/tokens.ts';
import { AccountError } from '../../accounts/errors.ts';
import { createToken, listTokens, revokeToken, scopesCover } from '../../accounts/tokens.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(TOKENS_ROUTES, ({ hub }) => ({
  'tokens.list': async ({ principal }) => ({ tokens: await listTokens(hub.db, principal.id) }),
  'tokens.create': async ({ req, principal, body }) => {
    if (principal.via === 'admin-token') throw new AccountError(400, 'bad_request', 'the shared admin token has no account to own a token; sign in with a user account');
    // A token may mint tokens only within its own scopes (a narrow token never makes a wider one).
    if (principal.scopes && !body.scopes.every((s) => scopesCover(principal.scopes!, s))) {
      throw new AccountError(400, 'bad_request', 'a personal token can create tokens only within its own scopes');
    }
    const created = await createToken(hub.db, principal.id, body, Date.now());
    req.audit = { target: created.info.id, detail: `'${body.name}' scopes ${created.info.scopes.join(' ')}` };
    return created;
  },
  'tokens.revoke': async ({ principal, params }) => ({ token: await revokeToken(hub.db, principal.id, params.id) }),
}));
