// Every hub route, keyed by a stable id `<area>.<action>`: the area is the file here and the
// plugin in hub/server/routes/<area>.ts. Adding a route = one entry in its area's table + one
// handler in that area's plugin; OpenAPI, docs/hub-api.md's index and the client follow.
import { ADMIN_ROUTES } from './admin.ts';
import { CONFIG_ROUTES } from './config.ts';
import { AUDIT_ROUTES } from './audit.ts';
import { AUTH_ROUTES } from './auth.ts';
import type { RouteSpec } from './define.ts';
import { EVENTS_ROUTES } from './events.ts';
import { FLEET_ROUTES } from './fleet.ts';
import { IDENTITY_ROUTES } from './identity.ts';
import { INBOX_ROUTES } from './inbox.ts';
import { KIOSKS_ROUTES } from './kiosks.ts';
import { META_ROUTES } from './meta.ts';
import { ORDERS_ROUTES } from './orders.ts';
import { QUEUE_ROUTES } from './queue.ts';
import { SYNC_ROUTES } from './sync.ts';
import { UPDATES_ROUTES } from './updates.ts';
import { TOKENS_ROUTES } from './tokens.ts';
import { USERS_ROUTES } from './users.ts';

export * from './define.ts';

/** The areas, in the order the server registers them. */
export const HUB_AREAS = {
  meta: META_ROUTES,
  sync: SYNC_ROUTES,
  fleet: FLEET_ROUTES,
  inbox: INBOX_ROUTES,
  identity: IDENTITY_ROUTES,
  orders: ORDERS_ROUTES,
  queue: QUEUE_ROUTES,
  admin: ADMIN_ROUTES,
  kiosks: KIOSKS_ROUTES,
  config: CONFIG_ROUTES,
  updates: UPDATES_ROUTES,
  events: EVENTS_ROUTES,
  auth: AUTH_ROUTES,
  users: USERS_ROUTES,
  tokens: TOKENS_ROUTES,
  audit: AUDIT_ROUTES,
} as const;
export type HubArea = keyof typeof HUB_AREAS;

export const HUB_ROUTES = {
  ...META_ROUTES,
  ...SYNC_ROUTES,
  ...FLEET_ROUTES,
  ...INBOX_ROUTES,
  ...IDENTITY_ROUTES,
  ...ORDERS_ROUTES,
  ...QUEUE_ROUTES,
  ...ADMIN_ROUTES,
  ...KIOSKS_ROUTES,
  ...CONFIG_ROUTES,
  ...UPDATES_ROUTES,
  ...EVENTS_ROUTES,
  ...AUTH_ROUTES,
  ...USERS_ROUTES,
  ...TOKENS_ROUTES,
  ...AUDIT_ROUTES,
} as const satisfies Record<string, RouteSpec>;

export type HubRoutes = typeof HUB_ROUTES;
export type HubRouteId = keyof HubRoutes;
export const HUB_ROUTE_IDS = Object.keys(HUB_ROUTES) as HubRouteId[];

export function isHubRouteId(id: unknown): id is HubRouteId {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(HUB_ROUTES, id);
}
