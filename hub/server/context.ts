// What the area plugins (hub/server/routes/<area>.ts) share: the database and the services built
// once per server by server.ts.
import type { ConsoleAuth } from '../auth/console-auth.ts';
import type { HubDb } from '../db/open.ts';
import type { EventBus } from '../events/bus.ts';
import type { SseHub } from '../events/sse.ts';
import type { FleetLive } from '../fleet/live.ts';
import type { FingerprintService } from '../identity/fingerprint.ts';
import type { IdentityService } from '../identity/identity.ts';
import type { OrderSystem } from '../orders/orders.ts';
import type { QueueNumbers } from '../queue/queue.ts';
import type { HeadWatcher } from '../sync/head.ts';
import type { ArtifactStore } from '../updates/artifact-store.ts';
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
  /** Live events for consoles (hub/events/), and their server-sent-events connections. */
  events: EventBus;
  sse: SseHub;
  /** The fleet as consoles see it: list clock, history, coalesced status events (hub/fleet/live.ts). */
  fleet: FleetLive;
  /** Release artifacts on disk (hub/updates/). */
  artifacts: ArtifactStore;
  consoleAuth: ConsoleAuth;
}
