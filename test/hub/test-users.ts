// People for hub tests, through the seam console sessions and personal tokens plug into (a
// UserAuthenticator): the header `x-test-user: <role>[:<branch>]` names who is asking.
import type { UserAuthenticator } from '../../hub/server/server.ts';

export const testUsers: UserAuthenticator = async (req) => {
  const h = req.headers['x-test-user'];
  if (typeof h !== 'string') return null;
  const [role, branch] = h.split(':');
  return { kind: 'user', id: `test-${h}`, name: h, role: role as 'admin', branch: branch ?? null };
};
