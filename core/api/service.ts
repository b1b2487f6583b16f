// The kiosk API implemented over the kiosk core: every method of contracts/kiosk-api.ts. What this
// kiosk lacks (no hub, no such device, a feature switched off centrally) answers `not_available`
// saying which, so the UI can tell the customer plainly.
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import {
  KioskApiError,
  type AppInfo,
  type ArticleSummary,
  type KioskMethod,
  type UpdateStatus,
} from '../../contracts/kiosk-api.ts';
import { LOCALES } from '../../contracts/kb-bundle.ts';
import type { KbStore } from '../kb/store.ts';
import type { LogRing, Logger } from '../log/logger.ts';
import type { SyncStatus } from '../sync/engine.ts';
import type { HubLink } from '../sync/hub-link.ts';
import { scrubPersonalData } from '../kb/store.ts';
import { normalize } from '../search/normalize.ts';
import { Searcher } from '../search/searcher.ts';
import { Suggester } from '../search/suggester.ts';
import { detectIntent } from '../assistant/intents.ts';
import { LogAuditSink, type AuditSink } from '../staff/audit.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import { createDispatcher, type AccessGuard, type Dispatcher, type KioskHandlers } from './dispatcher.ts';
import { busPrompter, KioskEventBus } from './events.ts';
import { CustomerSession } from '../session/session.ts';
import { CustomerIdentity, type CardSource } from '../identity/identity.ts';
import { FingerprintFlows } from '../identity/fingerprint.ts';
import { CustomerOrders } from '../orders/orders.ts';
import { ticketReceipt } from '../devices/receipts-data.ts';
import { KioskQueue } from '../queue/queue.ts';
import type { HubEndpoint } from '../hub-client/http.ts';
import { SyncError } from '../hub-client/errors.ts';
import type { DevicePorts } from '../devices/device-ports.ts';
import { ReceiptBook, referenceOf } from '../session/receipt-book.ts';
import { maskIdNumber, maskName } from '../../contracts/identity.ts';
import { testPageData } from '../devices/receipts-data.ts';
import { DEFAULT_UI_CONFIG, LiveConfig, type ConfigChange, type KioskUiConfig } from '../fleet/live-config.ts';
import type { HostActions } from '../shell/host-actions.ts';
import type { UpdateSource } from '../update/update-service.ts';

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

const ASSISTANT_ANSWER = 0.6;
const ASSISTANT_CHOICES = 0.25;


/** The ticket form's free contact field: a phone number or an e-mail address. */
function parseContact(contact: string): { phone?: string; email?: string } {
  const c = contact.trim();
  if (c.includes('@')) return { email: c };
  if (/^\+?[0-9 -]{5,20}$/.test(c)) return { phone: c };
  throw new KioskApiError('invalid_argument', 'contact must be a phone number or an e-mail address');
}

export function createKioskService(deps: KioskServiceDeps): KioskService {
  // Explicit config > synced config > defaults; the object changes in place when a sync applies.
  const live = deps.live ?? new LiveConfig({ db: deps.store.db, defaults: DEFAULT_UI_CONFIG, explicit: deps.config, logger: deps.logger });
  const config = live.ui;
  const now = deps.now ?? Date.now;
  const events = new KioskEventBus();
  const searcher = new Searcher(deps.store);
  const suggester = new Suggester(deps.store);
  const audit = deps.audit ?? new LogAuditSink(deps.logger);
  const receipts = new ReceiptBook();
  const startedAt = now();
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
  const identity = new CustomerIdentity({ endpoint: deps.hubEndpoint ?? null, session, cardSource: deps.cardSource, logger: deps.logger });
  const orders = new CustomerOrders({ endpoint: deps.hubEndpoint ?? null, identity, session, hub: deps.hub, receipts, get branchName() { return config.branchName; }, logger: deps.logger });
  // port and branchName are getters: devices from the synced config may be reopened, the branch renamed
  const fingerprint = new FingerprintFlows({ endpoint: deps.hubEndpoint ?? null, identity, session, get port() { return deps.devices?.fingerprint; }, prompt: busPrompter(events), logger: deps.logger });
  const queue = new KioskQueue({ db: deps.store.db, endpoint: deps.hubEndpoint ?? null, session, receipts, get branchName() { return config.branchName; }, logger: deps.logger });
  const staff = deps.staff;
  const staffState = () => staff?.snapshot() ?? { unlocked: false, failures: 0, lockedUntil: null, configured: false };
  const unsubscribeUpdates = deps.updates?.subscribe((s) => events.emit('update.status', s));

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

  const staffAction = (action: string, run: () => void | Promise<void>) => async () => {
    const at = new Date(now()).toISOString();
    try {
      await run();
      audit.record({ at, action, outcome: 'ok' });
      return { ok: true as const };
    } catch (err) {
      audit.record({ at, action, outcome: err instanceof KioskApiError && err.code === 'not_available' ? 'denied' : 'failed', detail: (err as Error).message });
      throw err;
    }
  };

  const summary = (a: { id: string; categoryId: string | null; title: string }): ArticleSummary => ({ id: a.id, categoryId: a.categoryId, title: a.title });
  const updateStatus = (): UpdateStatus =>
    deps.updates?.status() ?? { state: 'disabled', currentVersion: deps.appVersion, availableVersion: null, progress: null, lastCheckAt: null, detail: 'no update feed configured' };

  const needHub = (method: KioskMethod): HubLink => {
    if (!deps.hub) throw new KioskApiError('not_available', `${method} is not available: this kiosk has no outbox`);
    return deps.hub;
  };
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

  /**
   * Search analytics for central IT (top queries, queries with no result): the normalised query,
   * personal data masked, queued for the hub. Never fails the search itself.
   */
  const searchEvent = (locale: string, query: string, results: number) => {
    const text = scrubPersonalData(normalize(query, 200)).slice(0, 200);
    if (!deps.hub || !text) return;
    try {
      deps.hub.outbox.enqueue('search', { locale, query: text, results });
    } catch (err) {
      deps.logger?.warn({ err: (err as Error).message }, 'search event not queued');
    }
  };

  const handlers: KioskHandlers = {
    'app.info': (): AppInfo => ({
      apiVersion: 1,
      appVersion: deps.appVersion,
      mode: deps.mode,
      locales: [...LOCALES],
      defaultLocale: config.defaultLocale,
      idleTimeoutSec: config.idleTimeoutSec,
      idleCountdownSec: config.idleCountdownSec,
      branchName: config.branchName,
      features: live.applyFeatures({
        kb: true,
        assistant: true,
        session: true,
        staff: !!staff?.configured,
        update: !!deps.updates,
        devices: !!deps.devices && (deps.devices.configured?.() ?? true),
        identify: !!deps.hubEndpoint,
        orders: !!deps.hubEndpoint,
        tickets: !!deps.hub,
        // Offline (or with no hub) the kiosk hands out numbers of its own: always available.
        queue: true,
        ratings: !!deps.hub,
        print: !!deps.devices?.printer,
        sync: !!deps.hub?.sync,
        outbox: !!deps.hub,
      }),
    }),
    'app.heartbeat': ({ at }) => {
      deps.host?.heartbeat?.(at);
      return { ok: true };
    },

    'kb.categories': ({ locale }) => deps.store.listCategories(locale),
    'kb.articles': ({ locale, categoryId }) => deps.store.listArticles(locale, categoryId).map(summary),
    'kb.article': ({ id, locale }) => {
      const a = deps.store.getArticle(id, locale);
      if (!a) throw new KioskApiError('not_found', `no article '${id}' in ${locale}`);
      deps.store.recordView(id, locale);
      session.touch();
      const related = searcher
        .search([a.title, ...a.tags].join(' '), { locale, limit: 4 })
        .filter((h) => h.id !== a.id)
        .slice(0, 3)
        .map(summary);
      return { id: a.id, locale: a.locale as 'zh-CN' | 'en', categoryId: a.categoryId, title: a.title, body: a.body, tags: a.tags, updatedAt: a.updatedAt, related };
    },
    'kb.search': ({ query, locale, categoryId, limit }) => {
      session.touch();
      const hits = searcher.search(query, { locale, categoryId, limit: limit ?? 10, record: true });
      searchEvent(locale, query, hits.length);
      return { hits };
    },
    'kb.suggest': ({ prefix, locale, limit }) => suggester.suggest(prefix, { locale, limit: limit ?? 8 }),
    'kb.feedback': ({ id, locale, helpful }) => {
      if (!deps.store.getArticle(id, locale)) throw new KioskApiError('not_found', `no article '${id}' in ${locale}`);
      deps.store.recordFeedback(id, locale, helpful);
      return { ok: true };
    },
    'kb.blob': ({ sha256 }) => {
      const mediaType = deps.store.blobMediaType(sha256);
      const data = mediaType ? deps.store.blobs.get(sha256) : null;
      if (!mediaType || !data) throw new KioskApiError('not_found', `no image ${sha256.slice(0, 12)}…`);
      return { mediaType, base64: data.toString('base64') };
    },

    'assistant.ask': ({ text, locale }) => {
      session.touch();
      const hits = searcher.search(text, { locale, limit: 4, record: true });
      searchEvent(locale, text, hits.length);
      const intent = detectIntent(text);
      if (intent === 'person' || hits.length === 0) return { kind: 'handover', article: null, choices: [], confidence: 0, intent };
      // Scores are relative to the best hit; confidence is how clearly the best one wins.
      const [top, second] = hits;
      const confidence = Math.max(0, Math.min(1, hits.length === 1 ? 0.9 : 0.5 + (top!.score - (second?.score ?? 0))));
      if (confidence >= ASSISTANT_ANSWER) return { kind: 'answer', article: summary(top!), choices: hits.slice(1, 3).map(summary), confidence, intent };
      if (confidence >= ASSISTANT_CHOICES) return { kind: 'choices', article: null, choices: hits.slice(0, 3).map(summary), confidence, intent };
      return { kind: 'handover', article: null, choices: [], confidence, intent };
    },

    'session.start': () => session.start(),
    'session.status': () => session.state(),
    'session.touch': () => {
      session.touch();
      return { ok: true };
    },
    'session.end': ({ reason }) => session.end(reason),

    'identify.idCard': ({ timeoutSec }) => identity.idCard(timeoutSec),
    'identify.fingerprint': ({ phone, timeoutSec }) => fingerprint.identify(phone, timeoutSec),
    'identify.cancel': () => {
      identity.cancel();
      return { ok: true };
    },
    'identify.smsRequest': ({ phone }) => identity.smsRequest(phone),
    'identify.smsVerify': ({ code }) => identity.smsVerify(code),
    'orders.list': () => orders.list(),
    'orders.get': ({ id }) => orders.get(id),
    'orders.change': (args) => orders.change(args),
    'orders.refund': (args) => orders.refund(args),
    'tickets.submit': ({ category, text, contact }) => {
      const hub = needHub('tickets.submit');
      session.touch();
      const key = hub.outbox.enqueue('ticket', { category, text, locale: config.defaultLocale, ...(contact ? { contact: parseContact(contact) } : {}) });
      void hub.deliver();
      const reference = referenceOf('T', key);
      // The text and contact stay off the receipt (it may be left behind at the kiosk).
      receipts.add(reference, ticketReceipt({ reference, category, submittedAt: now(), branchName: config.branchName }));
      return { reference, queued: true };
    },
    'queue.take': ({ service }) => queue.take(service),
    'ratings.submit': ({ score, tags, comment }) => {
      const hub = needHub('ratings.submit');
      session.touch();
      const key = hub.outbox.enqueue('rating', { score, tags, locale: config.defaultLocale, ...(comment ? { comment } : {}) });
      void hub.deliver();
      return { reference: referenceOf('R', key), queued: true };
    },
    // Only references this session produced can be printed; `problem` is the printer's stable code
    // (paper-out, cover-open, offline, disconnected, no-printer …) for the UI to translate.
    'print.receipt': async ({ reference }) => {
      const entry = receipts.get(reference);
      if (!entry) throw new KioskApiError('not_found', 'no receipt with this reference in this session');
      session.touch();
      const printer = deps.devices?.printer;
      if (!printer) return { printed: false, qr: entry.qr, problem: 'no-printer' };
      const out = await printer.print(entry.template, entry.data);
      return out.printed ? { printed: true } : { printed: false, qr: entry.qr, problem: out.code };
    },

    'devices.status': () => {
      if (!deps.devices || deps.devices.configured?.() === false) throw new KioskApiError('not_available', 'devices.status is not available: no devices are configured on this kiosk');
      return deps.devices.health();
    },
    'sync.status': () => {
      const s = deps.hub?.sync?.status();
      if (!s) return { online: false, lastSyncAt: null, cursor: null, error: 'no hub is configured on this kiosk' };
      return { online: s.online ?? false, lastSyncAt: s.lastSyncAt, cursor: String(s.cursor), error: s.lastError };
    },
    'outbox.status': () => {
      const hub = needHub('outbox.status');
      const oldest = hub.outbox.list({ state: 'pending', limit: 1 })[0];
      return { pending: hub.outbox.counts().pending, oldestAt: oldest?.createdAt ?? null };
    },
    'update.status': () => updateStatus(),
    'system.status': () => {
      // The folder of the KB file is where the kiosk writes (KB, outbox, logs): its disk filling up
      // is what stops a kiosk, so that is the disk staff see.
      const file = deps.store.db.name;
      const s = statfsSync(file && file !== ':memory:' ? dirname(file) : tmpdir());
      return { diskFreeBytes: s.bavail * s.bsize, diskTotalBytes: s.blocks * s.bsize, uptimeSec: Math.floor((now() - startedAt) / 1000) };
    },

    'staff.status': () => staffState(),
    'staff.unlock': ({ pin }) => {
      if (!staff) throw new KioskApiError('not_available', 'staff mode is not configured on this kiosk (no staff PIN hash)');
      const outcome = staff.unlock(pin);
      events.emit('staff.state', staffState());
      switch (outcome.kind) {
        case 'unlocked':
          return staffState();
        case 'not-configured':
          throw new KioskApiError('not_available', 'staff mode is not configured on this kiosk (no staff PIN hash)');
        case 'locked':
          throw new KioskApiError('locked', 'too many wrong PINs: staff mode is locked for a while', { until: new Date(outcome.until).toISOString() });
        case 'wrong':
          throw new KioskApiError('unauthorized', `wrong PIN (${outcome.failures} wrong in a row)`);
      }
    },
    'staff.lock': () => {
      staff?.lock();
      events.emit('staff.state', staffState());
      return staffState();
    },
    'staff.restartApp': staffAction('staff.restartApp', () => {
      if (!deps.host) throw new KioskApiError('not_available', 'this shell cannot restart the app');
      session.end('restart');
      deps.host.restartApp();
    }),
    'staff.reboot': staffAction('staff.reboot', async () => {
      if (!deps.host?.reboot) throw new KioskApiError('not_available', 'no reboot command is configured on this kiosk');
      session.end('restart');
      await deps.host.reboot();
    }),
    'staff.exitKiosk': staffAction('staff.exitKiosk', () => {
      if (!deps.host?.exitKiosk) throw new KioskApiError('not_available', 'this shell has no kiosk mode to leave');
      deps.host.exitKiosk();
    }),
    'staff.syncNow': staffAction('sync-now', async () => {
      const engine = deps.hub?.sync;
      if (!engine) throw new KioskApiError('not_available', 'no hub is configured on this kiosk (KIOSK_HUB_URL and a device token)');
      try {
        await engine.syncNow();
      } catch (err) {
        // A hub that cannot be reached is `offline` for the panel, not a bug; other failures stay internal.
        if (err instanceof SyncError && err.transient) throw new KioskApiError('offline', `the hub cannot be reached: ${err.message}`);
        throw err;
      }
    }),
    'staff.checkUpdate': async () => {
      if (!deps.updates) return updateStatus();
      audit.record({ at: new Date(now()).toISOString(), action: 'staff.checkUpdate', outcome: 'ok' });
      return deps.updates.checkNow();
    },
    'staff.testPrint': async () => {
      const at = new Date(now());
      const entry = { at: at.toISOString(), action: 'staff.testPrint' };
      const printer = deps.devices?.printer;
      if (!printer) {
        audit.record({ ...entry, outcome: 'denied', detail: 'no printer configured' });
        throw new KioskApiError('not_available', 'no printer is configured on this kiosk');
      }
      try {
        const out = await printer.print('test-page', testPageData(config.branchName, at));
        audit.record({ ...entry, outcome: out.printed ? 'ok' : 'failed', ...(out.printed ? {} : { detail: out.code }) });
        return out.printed ? { printed: true } : { printed: false, problem: out.code };
      } catch (err) {
        audit.record({ ...entry, outcome: 'failed', detail: (err as Error).message });
        throw err;
      }
    },
    // Staff check the reader with any card: only masked data comes back, nothing is kept.
    'staff.testCardRead': async () => {
      const entry = { at: new Date(now()).toISOString(), action: 'staff.testCardRead' };
      const card = deps.devices?.card;
      if (!card) {
        audit.record({ ...entry, outcome: 'denied', detail: 'no ID card reader configured' });
        throw new KioskApiError('not_available', 'no ID card reader is configured on this kiosk');
      }
      try {
        const read = await card.read({ timeoutMs: 30_000 });
        audit.record({ ...entry, outcome: 'ok' });
        return { displayName: maskName(read.name), maskedId: maskIdNumber(read.idNumber), method: 'idcard' as const };
      } catch (err) {
        audit.record({ ...entry, outcome: 'failed', detail: err instanceof KioskApiError ? err.code : 'error' });
        throw err;
      }
    },
    'staff.enrolFingerprint': ({ customerRef, timeoutSec }) => staffAction('staff.enrolFingerprint', () => fingerprint.enrol(customerRef, timeoutSec))(),
    'staff.logs': ({ limit }) => deps.logs?.recent(limit ?? 100) ?? [],
  };

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
