// Central IT's configuration in the running kiosk: the synced layers (core/sync/config.ts) turned
// into what the kiosk API shows and enforces — branch name, default language, idle timeout and
// countdown, centrally switched features — recomputed whenever a sync applies new layers.
//
// Precedence, per field: explicit options of this kiosk process (openKioskCore / createKioskService
// `config`, set by whoever starts it) > the synced configuration (only fields a layer actually sets)
// > the built-in defaults. A field no layer names keeps the kiosk's default, so a kiosk that has
// never synced behaves exactly as before.
//
// Nothing here interrupts a customer: the branch name and timeouts apply at once (the next receipt
// and the next idle check read them); a feature switched off disappears from app.info at once (its
// tile goes), but a customer already inside it keeps it until their session ends — being thrown
// out of a half-finished refund by a config push would be worse than finishing it.
import { EventEmitter } from 'node:events';
import type { DeviceConfig } from '../../contracts/device-config.ts';
import { KioskApiError, type KioskMethod } from '../../contracts/kiosk-api.ts';
import { FEATURES, mergeKioskConfig, type KioskConfigLayer } from '../../contracts/sync-config.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log/logger.ts';
import { configLayers } from '../sync/config.ts';

export type Feature = (typeof FEATURES)[number];

/** The settings of the customer UI that central IT may set (app.info carries them to the renderer). */
export interface KioskUiConfig {
  branchName: string;
  defaultLocale: 'zh-CN' | 'en';
  idleTimeoutSec: number;
  idleCountdownSec: number;
}

export const DEFAULT_UI_CONFIG: KioskUiConfig = { branchName: 'Lobby Kiosk', defaultLocale: 'zh-CN', idleTimeoutSec: 60, idleCountdownSec: 15 };

/**
 * The kiosk API methods each switchable feature covers. The help centre's browsing and search are
 * switched, not kb.article / kb.blob / kb.feedback: the assistant's answers open articles too.
 */
export const FEATURE_METHODS: Readonly<Record<Feature, readonly KioskMethod[]>> = {
  helpCentre: ['kb.categories', 'kb.articles', 'kb.search', 'kb.suggest'],
  assistant: ['assistant.ask'],
  identify: ['identify.idCard', 'identify.fingerprint', 'identify.smsRequest', 'identify.smsVerify'],
  orders: ['orders.list', 'orders.get', 'orders.change', 'orders.refund'],
  tickets: ['tickets.submit'],
  queue: ['queue.take'],
  rating: ['ratings.submit'],
  fingerprint: ['identify.fingerprint', 'staff.enrolFingerprint'],
  smsLogin: ['identify.smsRequest', 'identify.smsVerify'],
};

/** The key of each feature in app.info.features (older names kept for the renderer). */
export const FEATURE_INFO_KEY: Readonly<Record<Feature, string>> = {
  helpCentre: 'kb',
  assistant: 'assistant',
  identify: 'identify',
  orders: 'orders',
  tickets: 'tickets',
  queue: 'queue',
  rating: 'ratings',
  fingerprint: 'fingerprint',
  smsLogin: 'smsLogin',
};

const METHOD_FEATURES = new Map<KioskMethod, Feature[]>();
for (const f of FEATURES) for (const m of FEATURE_METHODS[f]) METHOD_FEATURES.set(m, [...(METHOD_FEATURES.get(m) ?? []), f]);

/** What changed in one refresh. */
export interface ConfigChange {
  ui: boolean;
  features: boolean;
  devices: boolean;
}

interface Synced {
  ui: Partial<KioskUiConfig>;
  features: Partial<Record<Feature, boolean>>;
  /** null: no layer names devices (a local devices file, or none). */
  devices: DeviceConfig[] | null;
}

/** The fields the layers actually set, merged fleet ← branch ← kiosk. */
export function syncedSettings(layers: ReadonlyArray<KioskConfigLayer | undefined>): Synced {
  const merged = mergeKioskConfig(...layers);
  const set = (k: keyof KioskConfigLayer) => layers.some((l) => l?.[k] !== undefined);
  const ui: Partial<KioskUiConfig> = {};
  if (set('branchName')) ui.branchName = merged.branchName;
  if (set('defaultLanguage')) ui.defaultLocale = merged.defaultLanguage;
  if (set('idleTimeoutSeconds')) ui.idleTimeoutSec = merged.idleTimeoutSeconds;
  if (set('idleCountdownSeconds')) ui.idleCountdownSec = merged.idleCountdownSeconds;
  return { ui, features: { ...merged.features }, devices: set('devices') ? merged.devices : null };
}

export interface LiveConfigOptions {
  db: Db;
  defaults: KioskUiConfig;
  /** Explicit settings of this kiosk process: they win over the synced configuration. */
  explicit?: Partial<KioskUiConfig>;
  logger?: Logger;
}

export class LiveConfig extends EventEmitter<{ change: [ConfigChange] }> {
  /** Changed in place, so every holder of this object (session idle limit, receipts) reads the new values. */
  readonly ui: KioskUiConfig;
  private enabled: Partial<Record<Feature, boolean>> = {};
  private devicesJson = 'null';
  /** Features switched off while a customer session was running: kept for that session. */
  private readonly kept = new Set<Feature>();
  private last: Synced = { ui: {}, features: {}, devices: null };
  private sessionActive: () => boolean = () => false;

  constructor(private readonly options: LiveConfigOptions) {
    super();
    this.ui = { ...options.defaults };
    this.apply(this.read());
  }

  /** The synced devices list; null when the synced configuration names none. */
  get devices(): DeviceConfig[] | null {
    return this.last.devices;
  }

  /** How to tell whether a customer session is running (the service's session). */
  bindSession(active: () => boolean): void {
    this.sessionActive = active;
  }

  /** The customer session ended: features switched off during it now apply to everything. */
  sessionEnded(): void {
    this.kept.clear();
  }

  /** Re-reads the synced layers (after a sync applied changes); emits 'change' when anything differs. */
  refresh(): ConfigChange {
    const change = this.apply(this.read());
    if (change.ui || change.features || change.devices) {
      this.options.logger?.info({ ui: change.ui, features: change.features, devices: change.devices }, 'synced configuration applied');
      // A listener's failure (logged) must not reach the sync engine that called us.
      for (const l of this.listeners('change')) {
        try {
          (l as (c: ConfigChange) => void)(change);
        } catch (err) {
          this.options.logger?.error({ err: (err as Error).message }, 'configuration change listener failed');
        }
      }
    }
    return change;
  }

  isEnabled(feature: Feature): boolean {
    return this.enabled[feature] !== false;
  }

  /** Throws not_available when a centrally switched-off feature covers `method`. */
  check(method: KioskMethod): void {
    for (const f of METHOD_FEATURES.get(method) ?? []) {
      if (this.isEnabled(f) || this.kept.has(f)) continue;
      throw new KioskApiError('not_available', `${method} is switched off on this kiosk by the central configuration (feature '${f}')`);
    }
  }

  /** app.info.features: what the build and this kiosk's setup offer, minus what is switched off centrally. */
  applyFeatures(base: Record<string, boolean>): Record<string, boolean> {
    const out = { ...base };
    for (const f of FEATURES) {
      const key = FEATURE_INFO_KEY[f];
      // fingerprint and SMS sign-in are ways of identifying: available when identification is.
      const available = f === 'fingerprint' || f === 'smsLogin' ? (base.identify ?? false) && this.isEnabled('identify') : (base[key] ?? true);
      out[key] = available && this.isEnabled(f);
    }
    return out;
  }

  private read(): Synced {
    try {
      const l = configLayers(this.options.db);
      return syncedSettings([l.fleet, l.branch, l.kiosk]);
    } catch (err) {
      // An unreadable config row must not stop the kiosk: keep what is in force.
      this.options.logger?.warn({ err: (err as Error).message }, 'synced configuration not readable; keeping the current one');
      return this.last;
    }
  }

  private apply(next: Synced): ConfigChange {
    this.last = next;
    const explicit = Object.fromEntries(Object.entries(this.options.explicit ?? {}).filter(([, v]) => v !== undefined));
    const ui: KioskUiConfig = { ...this.options.defaults, ...next.ui, ...explicit };
    const uiChanged = (Object.keys(ui) as Array<keyof KioskUiConfig>).some((k) => ui[k] !== this.ui[k]);
    Object.assign(this.ui, ui);

    const running = this.sessionActive();
    let featuresChanged = false;
    for (const f of FEATURES) {
      const was = this.isEnabled(f);
      const now = next.features[f] !== false;
      if (was === now) continue;
      featuresChanged = true;
      if (!now && running) this.kept.add(f);
    }
    this.enabled = { ...next.features };

    const devicesJson = JSON.stringify(next.devices);
    const devicesChanged = devicesJson !== this.devicesJson;
    this.devicesJson = devicesJson;
    return { ui: uiChanged, features: featuresChanged, devices: devicesChanged };
  }
}
