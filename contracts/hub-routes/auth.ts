// Signing in to the console: password login, logout, who am I, whether SSO is on, and the SSO
// round trip (browser redirects, not JSON). Shapes in contracts/accounts.ts.
import { z } from 'zod';
import { AuthConfig, LoginRequest, SessionInfo } from '../accounts.ts';
import { ANY_USER, binary, json, noBody, PUBLIC, route } from './define.ts';

const page = (why: string) => binary(`an HTML page in Chinese and English: ${why}`, 'text/html');

export const AUTH_ROUTES = {
  'auth.login': route({
    method: 'POST',
    path: '/v1/auth/login',
    auth: PUBLIC,
    summary: 'sign in with name and password: sets the hub_session cookie, returns the user and the CSRF token',
    body: LoginRequest,
    responses: { 200: json(SessionInfo, 'signed in') },
    errors: { 401: 'invalid username or password', 429: 'too many failed logins (locked; retryAfterSec says when to try again)' },
    invalid: 'bad login',
  }),
  'auth.logout': route({
    method: 'POST',
    path: '/v1/auth/logout',
    auth: ANY_USER,
    summary: 'end the console session (cookie requests need x-csrf-token)',
    responses: { 200: json(z.strictObject({ ok: z.literal(true) }), 'signed out') },
  }),
  'auth.me': route({
    method: 'GET',
    path: '/v1/auth/me',
    auth: PUBLIC,
    summary: 'the console session behind the cookie: user, CSRF token, expiry (401 without a live session)',
    responses: { 200: json(SessionInfo, 'signed in') },
    errors: { 401: 'no live console session' },
  }),
  'auth.config': route({
    method: 'GET',
    path: '/v1/auth/config',
    auth: PUBLIC,
    summary: 'how people sign in here: whether SSO is configured, and its button label',
    responses: { 200: json(AuthConfig, 'sign-in options') },
  }),
  'auth.sso.start': route({
    method: 'GET',
    path: '/console/auth/sso',
    auth: PUBLIC,
    summary: 'start SSO: redirect to the identity provider (a browser navigation, not an API call)',
    // Browser navigations: refusals are pages for a person, not JSON errors.
    responses: { 303: noBody('to the identity provider'), 404: page('SSO is not configured'), 502: page('the identity provider cannot be reached') },
  }),
  'auth.sso.callback': route({
    method: 'GET',
    path: '/console/auth/callback',
    auth: PUBLIC,
    summary: 'the identity provider’s redirect back: sets hub_session and redirects to $HUB_PUBLIC_URL/console/, or an HTML page saying why not',
    responses: {
      303: noBody('signed in; to the console'),
      400: page('the sign-in did not complete (altered or expired transaction, rejected token)'),
      403: page('no hub role for this person'),
      404: page('SSO is not configured'),
    },
  }),
} as const;
