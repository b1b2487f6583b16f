// Accounts, central IT only (hub/accounts/users.ts). The route helper audits each change; the
// handlers name the target and what changed (never a password).
import { USERS_ROUTES } from '../../../contracts/hub-routes/users.ts';
import { createUser, getUser, listUsers, resetPassword, updateUser } from '../../accounts/users.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(USERS_ROUTES, ({ hub }) => ({
  'users.list': async () => ({ users: await listUsers(hub) }),
  'users.create': async ({ req, body }) => {
    req.audit = { target: body.name, detail: `role ${body.role}${body.branch ? ` branch ${body.branch}` : ''}` };
    return { user: await createUser(hub, body) };
  },
  'users.get': async ({ params }) => ({ user: await getUser(hub, params.name) }),
  'users.update': async ({ req, params, body }) => {
    req.audit = { detail: Object.entries(body).map(([k, v]) => `${k} ${String(v)}`).join(', ') };
    return { user: await updateUser(hub, params.name, body) };
  },
  'users.password': async ({ params, body }) => ({ user: await resetPassword(hub, params.name, body.password) }),
}));
