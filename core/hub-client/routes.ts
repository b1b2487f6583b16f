// Every hub route the kiosk calls, in one table: an id, the HTTP method and the path (Fastify
// `:param` syntax). Nothing in core/ outside this folder writes a hub path. When the hub's own route
// table (contracts/hub-routes/, HUB_ROUTES) lands, this table is derived from it.

type Route = { method: 'GET' | 'POST'; path: string };

export const KIOSK_HUB_ROUTES = {
  // sync protocol (docs/sync-protocol.md): pages and blobs stay raw requests (ETag, gzip, Range, size caps)
  'sync.changes': { method: 'GET', path: '/v1/sync/changes' },
  'sync.blob': { method: 'GET', path: '/v1/blobs/:sha256' },
  'inbox.outbox': { method: 'POST', path: '/v1/outbox' },
  'fleet.commands': { method: 'GET', path: '/v1/fleet/commands' },
  'fleet.commandResult': { method: 'POST', path: '/v1/fleet/commands/:id/result' },
  // customers (JSON calls through hubJson)
  'identity.idcard': { method: 'POST', path: '/v1/identity/idcard' },
  'identity.smsRequest': { method: 'POST', path: '/v1/identity/sms/request' },
  'identity.smsVerify': { method: 'POST', path: '/v1/identity/sms/verify' },
  'identity.fingerprintChallenge': { method: 'POST', path: '/v1/identity/fingerprint/challenges' },
  'identity.fingerprintTemplate': { method: 'POST', path: '/v1/identity/fingerprint/challenges/:id/template' },
  'identity.fingerprintResult': { method: 'POST', path: '/v1/identity/fingerprint/challenges/:id/result' },
  'identity.fingerprintEnrol': { method: 'POST', path: '/v1/identity/fingerprint/templates' },
  'identity.revokeSession': { method: 'POST', path: '/v1/customer/sessions/:id/revoke' },
  'orders.list': { method: 'GET', path: '/v1/customer/orders' },
  'orders.get': { method: 'GET', path: '/v1/customer/orders/:id' },
  'orders.change': { method: 'POST', path: '/v1/customer/orders/:id/changes' },
  'orders.refund': { method: 'POST', path: '/v1/customer/orders/:id/refunds' },
  'queue.take': { method: 'POST', path: '/v1/queue/take' },
} as const satisfies Record<string, Route>;

export type HubRoute = keyof typeof KIOSK_HUB_ROUTES;

export const hubMethod = (route: HubRoute): Route['method'] => KIOSK_HUB_ROUTES[route].method;

/**
 * The route's path with its parameters filled in (URI-encoded) and the query appended, relative
 * (no leading '/'), so a hub served under a path prefix keeps it: resolved against the endpoint's URL.
 */
export function hubPath(route: HubRoute, params: Record<string, string> = {}, query?: URLSearchParams): string {
  const path = KIOSK_HUB_ROUTES[route].path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`hub route ${route}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const q = query?.toString();
  return path.slice(1) + (q ? `?${q}` : '');
}
