// Signing in to the console (hub/auth/console-auth.ts): password login, logout, who am I, the
// sign-in options, and the SSO round trip.
import { AUTH_ROUTES } from '../../../contracts/hub-routes/auth.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(AUTH_ROUTES, ({ consoleAuth }) => ({
  'auth.login': async ({ req, reply, body }) => consoleAuth.login(req, reply, body),
  'auth.logout': async ({ req, reply, principal }) => consoleAuth.logout(req, reply, principal),
  'auth.me': async ({ req }) => consoleAuth.me(req),
  'auth.config': async () => consoleAuth.config(),
  'auth.sso.start': async ({ req, reply }) => consoleAuth.ssoStart(req, reply),
  'auth.sso.callback': async ({ req, reply }) => consoleAuth.ssoCallback(req, reply),
}));
