// The kiosk's link to the hub inside the running app: the outbox (always — tickets and ratings are
// queued even on a kiosk that has never seen a hub) and, when a hub URL and device token are known
// (KIOSK_HUB_URL / KIOSK_HUB_TOKEN, or remembered by `kiosk sync`), the scheduled sync engine and
// outbox delivery after each successful sync and every DELIVERY_INTERVAL_MS.
import type { Logger } from '../log/logger.ts';
import type { KbStore } from '../kb/store.ts';
import type { KeyProvider } from '../outbox/crypto.ts';
import { openOutbox } from '../outbox/open.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { hubUrl, type HubEndpoint } from '../hub-client/http.ts';
import { loadToken } from './credentials.ts';
import { SyncEngine, type SyncStatus } from './engine.ts';
import { readSyncState } from './state.ts';

const DELIVERY_INTERVAL_MS = 60_000;

export interface HubLink {
  outbox: Outbox;
  /** null when this kiosk knows no hub yet. */
  sync: SyncEngine | null;
  /** Sends what the outbox holds now (no-op without a hub). */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

export interface HubLinkOptions {
  env: NodeJS.ProcessEnv;
  appVersion: string;
  logger?: Logger;
  /** Start the schedule (the app does; tests drive syncNow() themselves). */
  autoStart?: boolean;
  /** The outbox key (Electron: safeStorage-wrapped); default: the 0600 key file beside the DB. */
  outboxKey?: KeyProvider;
  /** The app updater's state, reported to the hub with each poll. */
  updateState?: () => string | null;
  /** The devices' health summary (contracts/device-health.ts), reported with each poll. */
  deviceHealth?: () => string | null;
}

/** The hub this kiosk talks to: KIOSK_HUB_URL / KIOSK_HUB_TOKEN, else what `kiosk sync` remembered. */
export function configuredHub(store: KbStore, env: NodeJS.ProcessEnv): { url: string; token: string; allowInsecureHttp: boolean } | null {
  const url = env.KIOSK_HUB_URL || readSyncState(store.db).hubUrl;
  const file = store.db.name;
  const token = env.KIOSK_HUB_TOKEN || (file && file !== ':memory:' ? loadToken(file) : null);
  return url && token ? { url, token, allowInsecureHttp: env.KIOSK_ALLOW_INSECURE_HTTP === '1' } : null;
}

/** The hub endpoint for identification and orders: the same hub and token sync uses, a shorter timeout (a customer waits). */
export function customerHubEndpoint(store: KbStore, env: NodeJS.ProcessEnv): HubEndpoint | null {
  const hub = configuredHub(store, env);
  if (!hub) return null;
  try {
    return { url: hubUrl(hub.url, { allowInsecureHttp: hub.allowInsecureHttp }), token: hub.token, timeoutMs: 15_000 };
  } catch {
    return null;
  }
}

export function openHubLink(store: KbStore, options: HubLinkOptions): HubLink {
  const outbox = openOutbox(store.db, options.outboxKey ? { keyProvider: options.outboxKey } : {});
  const hub = configuredHub(store, options.env);
  if (!hub) {
    options.logger?.info('no hub configured: working offline, the outbox keeps what customers send');
    return { outbox, sync: null, deliver: async () => {}, close: async () => {} };
  }
  const { url, token, allowInsecureHttp } = hub;

  const startedAt = Date.now(); // the link opens with the core: its age is the core's uptime
  const sync = new SyncEngine(store, { hubUrl: url, token, allowInsecureHttp, appVersion: options.appVersion, outboxBacklog: () => outbox.counts().pending, uptimeSeconds: () => (Date.now() - startedAt) / 1000, ...(options.updateState ? { updateState: options.updateState } : {}), ...(options.deviceHealth ? { deviceHealth: options.deviceHealth } : {}) });
  const endpoint: HubEndpoint = { url: hubUrl(url, { allowInsecureHttp }), token, timeoutMs: 30_000 };
  let delivering: Promise<void> | null = null;
  const deliver = () => {
    if (!delivering && outbox.counts().pending > 0) {
      delivering = outbox
        .deliver(endpoint)
        .then((r) => void options.logger?.info({ accepted: r.accepted, duplicate: r.duplicate, rejected: r.rejected, deferred: r.deferred }, 'outbox delivered'))
        .catch((err: Error) => void options.logger?.warn({ err: err.message }, 'outbox delivery failed'))
        .finally(() => (delivering = null));
    }
    return delivering ?? Promise.resolve();
  };
  const onStatus = (s: SyncStatus) => {
    if (s.state === 'idle' && s.online) void deliver();
  };
  sync.on('status', onStatus);
  const timer = setInterval(() => void deliver(), DELIVERY_INTERVAL_MS);
  timer.unref();
  if (options.autoStart ?? true) sync.start();
  return {
    outbox,
    sync,
    deliver,
    async close() {
      clearInterval(timer);
      sync.off('status', onStatus);
      await sync.stop();
      await delivering;
    },
  };
}
