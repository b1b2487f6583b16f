// What the area plugins (hub/server/routes/<area>.ts) share: the database and the services built
// once per server by server.ts.
import type { HubDb } from '../db/open.ts';
import type { FingerprintService } from '../identity/fingerprint.ts';
import type { IdentityService } from '../identity/identity.ts';
import type { OrderSystem } from '../orders/orders.ts';
import type { QueueNumbers } from '../queue/queue.ts';
import type { HeadWatcher } from '../sync/head.ts';
import type { AuthDeps } from './auth.ts';
import type { PageCache } from './page-cache.ts';
import type { KioskStatusBuffer } from './status-buffer.ts';

export interface HubContext {
  hub: HubDb;
  head: HeadWatcher;
  auth: AuthDeps;
  pages: PageCache;
  status: KioskStatusBuffer;
  identity: IdentityService;
  fingerprint: FingerprintService;
  orders: OrderSystem;
  queue: QueueNumbers;
}
