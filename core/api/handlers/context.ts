// What the handlers of every namespace share: the core's objects for this process (built once by
// core/api/service.ts) and a few helpers more than one namespace needs. A handler module reads what
// it uses from here and never builds anything itself, so two namespaces always see the same
// session, the same receipts and the same configuration.
import { KioskApiError, type KioskMethod, type UpdateStatus } from '../../../contracts/kiosk-api.ts';
import type { DevicePorts } from '../../devices/device-ports.ts';
import type { LiveConfig, KioskUiConfig } from '../../fleet/live-config.ts';
import type { HubEndpoint } from '../../hub-client/http.ts';
import type { FingerprintFlows } from '../../identity/fingerprint.ts';
import type { CustomerIdentity } from '../../identity/identity.ts';
import { scrubPersonalData, type KbStore } from '../../kb/store.ts';
import type { LogRing, Logger } from '../../log/logger.ts';
import type { CustomerOrders } from '../../orders/orders.ts';
import type { KioskQueue } from '../../queue/queue.ts';
import { normalize } from '../../search/normalize.ts';
import type { Searcher } from '../../search/searcher.ts';
import type { Suggester } from '../../search/suggester.ts';
import type { ReceiptBook } from '../../session/receipt-book.ts';
import type { CustomerSession } from '../../session/session.ts';
import type { HostActions } from '../../shell/host-actions.ts';
import type { AuditSink } from '../../staff/audit.ts';
import type { StaffAuth } from '../../staff/staff-auth.ts';
import type { HubLink } from '../../sync/hub-link.ts';
import type { UpdateSource } from '../../update/update-service.ts';
import type { KioskEventBus } from '../events.ts';

export interface HandlerContext {
  appVersion: string;
  mode: 'electron' | 'browser';
  store: KbStore;
  searcher: Searcher;
  suggester: Suggester;
  /** The UI settings in force (changed in place when central IT's configuration changes). */
  config: KioskUiConfig;
  live: LiveConfig;
  events: KioskEventBus;
  session: CustomerSession;
  /** References this customer session may print (wiped at session end). */
  receipts: ReceiptBook;
  identity: CustomerIdentity;
  fingerprint: FingerprintFlows;
  orders: CustomerOrders;
  queue: KioskQueue;
  audit: AuditSink;
  staff: StaffAuth | undefined;
  host: HostActions | undefined;
  updates: UpdateSource | undefined;
  devices: DevicePorts | undefined;
  /** Outbox and sync; absent: tickets, ratings and sync are unavailable. */
  hub: HubLink | undefined;
  /** Where identification and order requests go; null: no hub configured. */
  hubEndpoint: HubEndpoint | null;
  logs: LogRing | undefined;
  logger: Logger | undefined;
  now: () => number;
  /** When this core started (system.status uptime). */
  startedAt: number;
}

/** The outbox (and the hub behind it), or `not_available` saying why. */
export function needHub(ctx: HandlerContext, method: KioskMethod): HubLink {
  if (!ctx.hub) throw new KioskApiError('not_available', `${method} is not available: this kiosk has no outbox`);
  return ctx.hub;
}

export function updateStatus(ctx: HandlerContext): UpdateStatus {
  return ctx.updates?.status() ?? { state: 'disabled', currentVersion: ctx.appVersion, availableVersion: null, progress: null, lastCheckAt: null, detail: 'no update feed configured' };
}

/**
 * Search analytics for central IT (top queries, queries with no result): the normalised query,
 * personal data masked, queued for the hub. Never fails the search itself.
 */
export function recordSearchEvent(ctx: HandlerContext, locale: string, query: string, results: number): void {
  const text = scrubPersonalData(normalize(query, 200)).slice(0, 200);
  if (!ctx.hub || !text) return;
  try {
    ctx.hub.outbox.enqueue('search', { locale, query: text, results });
  } catch (err) {
    ctx.logger?.warn({ err: (err as Error).message }, 'search event not queued');
  }
}
