// The kiosk API over the kiosk core: builds this process's customer-facing objects once (session,
// identification, orders, queue, receipts, search), composes the handlers of every namespace
// (handlers/, one module per namespace of contracts/kiosk-api.ts), guards access (feature switched
// off, customer session, staff mode) and turns core happenings into events for the renderer. What
// this kiosk lacks (no hub, no such device, a feature switched off centrally) answers
// `not_available` saying which, so the UI can tell the customer plainly.
import { KioskApiError, type AppInfo } from '../../contracts/kiosk-api.ts';
import type { DevicePorts } from '../devices/device-ports.ts';
import { DEFAULT_UI_CONFIG, LiveConfig, type ConfigChange, type KioskUiConfig } from '../fleet/live-config.ts';
import type { HubEndpoint } from '../hub-client/http.ts';
import { FingerprintFlows } from '../identity/fingerprint.ts';
import { CustomerIdentity, type CardSource } from '../identity/identity.ts';
import type { KbStore } from '../kb/store.ts';
import type { LogRing, Logger } from '../log/logger.ts';
import { CustomerOrders } from '../orders/orders.ts';
import { KioskQueue } from '../queue/queue.ts';
import { Searcher } from '../search/searcher.ts';
import { Suggester } from '../search/suggester.ts';
import { ReceiptBook } from '../session/receipt-book.ts';
import { CustomerSession } from '../session/session.ts';
import type { HostActions } from '../shell/host-actions.ts';
import { LogAuditSink, type AuditSink } from '../staff/audit.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SyncStatus } from '../sync/engine.ts';
import type { HubLink } from '../sync/hub-link.ts';
import type { UpdateSource } from '../update/update-service.ts';
import { createDispatcher, type AccessGuard, type Dispatcher, type KioskHandlers } from './dispatcher.ts';
import { busPrompter, KioskEventBus } from './events.ts';
import type { HandlerContext } from './handlers/context.ts';
import { createHandlers } from './handlers/index.ts';

export interface KioskServiceDeps {
  store: KbStore;
  appVersion: string;
  mode: 'electron' | 'browser';
  config?: Partial<KioskUiConfig>;
  staff?: StaffAuth;
  host?: HostActions;
  updates?: UpdateSource;
  devices?: DevicePorts;
  logger?: Logger;
  logs?: LogRing;
  audit?: AuditSink;
  /** Outbox and sync (core/sync/hub-link.ts); without it tickets, ratings and sync are unavailable. */
  hub?: HubLink;
  /** Where identification and order requests go (the hub URL and device token); null/absent: none. */
  hubEndpoint?: HubEndpoint | null;
  /** Reads the ID card (device driver; a simulator profile in tests). */
  cardSource?: CardSource;
  now?: () => number;
  /** The synced configuration in force (core/fleet/live-config.ts); default: read from `store`. */
  live?: LiveConfig;
}

export interface KioskService {
  dispatcher: Dispatcher;
  identity: CustomerIdentity;
  events: KioskEventBus;
  session: CustomerSession;
  /** References this customer session may print (wiped at session end). */
  receipts: ReceiptBook;
  handlers: KioskHandlers;
  dispose(): void;
}

export function createKioskService(deps: KioskServiceDeps): KioskService {
  // Explicit config > synced config > defaults; the object changes in place when a sync applies.
  const live = deps.live ?? new LiveConfig({ db: deps.store.db, defaults: DEFAULT_UI_CONFIG, explicit: deps.config, logger: deps.logger });
  const config = live.ui;
  const now = deps.now ?? Date.now;
  const events = new KioskEventBus();
  const receipts = new ReceiptBook();
  const session = new CustomerSession({
    // a getter: a synced timeout change applies from the next idle check on
    get maxIdleMs() {
      return (config.idleTimeoutSec + config.idleCountdownSec + 30) * 1000;
    },
    now,
    onEnded: (reason) => {
      live.sessionEnded();
      identity.onSessionEnded();
      receipts.clear();
      deps.logger?.info({ reason }, 'customer session ended');
      events.emit('session.ended', { reason });
    },
  });
  const endpoint = deps.hubEndpoint ?? null;
  const identity = new CustomerIdentity({ endpoint, session, cardSource: deps.cardSource, logger: deps.logger });
  // port and branchName are getters: devices from the synced config may be reopened, the branch renamed
  const ctx: HandlerContext = {
    appVersion: deps.appVersion,
    mode: deps.mode,
    store: deps.store,
    searcher: new Searcher(deps.store),
    suggester: new Suggester(deps.store),
    config,
    live,
    events,
    session,
    receipts,
    identity,
    fingerprint: new FingerprintFlows({ endpoint, identity, session, get port() { return deps.devices?.fingerprint; }, prompt: busPrompter(events), logger: deps.logger }),
    orders: new CustomerOrders({ endpoint, identity, session, hub: deps.hub, receipts, get branchName() { return config.branchName; }, logger: deps.logger }),
    queue: new KioskQueue({ db: deps.store.db, endpoint, session, receipts, get branchName() { return config.branchName; }, logger: deps.logger }),
    audit: deps.audit ?? new LogAuditSink(deps.logger),
    staff: deps.staff,
    host: deps.host,
    updates: deps.updates,
    devices: deps.devices,
    hub: deps.hub,
    hubEndpoint: endpoint,
    logs: deps.logs,
    logger: deps.logger,
    now,
    startedAt: now(),
  };
  const handlers = createHandlers(ctx);
  const staff = deps.staff;

  const guard: AccessGuard = {
    check(access, method) {
      live.check(method);
      if (access === 'customer' && !session.active) throw new KioskApiError('no_session', `${method} needs an active customer session`);
      if (access === 'staff') {
        if (!staff?.isUnlocked()) throw new KioskApiError('unauthorized', `${method} needs staff mode (enter the staff PIN)`);
        staff.touch();
      }
    },
  };

  const unsubscribeUpdates = deps.updates?.subscribe((s) => events.emit('update.status', s));
  // Sync status events reach the renderer (offline banner).
  const onSyncStatus = (s: SyncStatus) => events.emit('sync.status', { online: s.online ?? false, lastSyncAt: s.lastSyncAt });
  deps.hub?.sync?.on('status', onSyncStatus);
  // New config layers from the hub → new app.info for the renderer (tiles, idle timer, branch name).
  live.bindSession(() => session.active);
  const onApplied = () => void live.refresh();
  // Also after any successful sync: `kiosk sync` run from the CLI applies layers in another process.
  const onSyncIdle = (s: SyncStatus) => void (s.state === 'idle' && s.online && live.refresh());
  // (devices-only changes are announced by kiosk-core once the devices are reopened)
  const onConfigChange = (c: ConfigChange) => void ((c.ui || c.features) && events.emit('app.info', handlers['app.info']({}) as AppInfo));
  deps.hub?.sync?.on('applied', onApplied);
  deps.hub?.sync?.on('status', onSyncIdle);
  live.on('change', onConfigChange);

  const dispatcher = createDispatcher(handlers, { guard, logger: deps.logger });
  return {
    dispatcher,
    identity,
    events,
    session,
    receipts,
    handlers,
    dispose() {
      unsubscribeUpdates?.();
      deps.hub?.sync?.off('status', onSyncStatus);
      deps.hub?.sync?.off('applied', onApplied);
      deps.hub?.sync?.off('status', onSyncIdle);
      live.off('change', onConfigChange);
      session.dispose();
    },
  };
}
