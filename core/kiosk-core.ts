// The kiosk core as one object: the KB (seeded with the starter content on first start), the
// kiosk API service, logs and staff auth. Electron main and browser mode both start it this way
// and differ only in the transport and the host actions they plug in.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeDeviceHealth } from '../contracts/device-health.ts';
import type { AppInfo } from '../contracts/kiosk-api.ts';
import type { KioskEventBus } from './api/events.ts';
import { createKioskService, type KioskService } from './api/service.ts';
import { dataDir, defaultDbPath } from './db/paths.ts';
import { loadDevicesConfig } from './devices/config.ts';
import type { DevicePorts } from './devices/device-ports.ts';
import { openKioskDevices, type KioskDevices, type KioskDevicesOptions } from './devices/kiosk-devices.ts';
import { SyncedDevices } from './devices/synced.ts';
import { FleetCommands } from './fleet/commands.ts';
import { DEFAULT_UI_CONFIG, LiveConfig, type KioskUiConfig } from './fleet/live-config.ts';
import { readerCardSource, type CardSource } from './identity/identity.ts';
import { seedDefaultKb } from './kb/default-kb.ts';
import type { KbStore } from './kb/store.ts';
import { openKbStore } from './kiosk-db.ts';
import { createLogger, type KioskLogger } from './log/logger.ts';
import type { KeyProvider } from './outbox/crypto.ts';
import type { HostActions } from './shell/host-actions.ts';
import { OutboxAuditSink } from './staff/audit.ts';
import { staffPinHash } from './staff/pin.ts';
import { StaffAuth } from './staff/staff-auth.ts';
import { customerHubEndpoint, openHubLink, type HubLink } from './sync/hub-link.ts';
import type { UpdateSource } from './update/update-service.ts';

export interface KioskCoreOptions {
  mode: 'electron' | 'browser';
  appVersion?: string;
  /** KB file; default: $KIOSK_DATA_DIR/kiosk.db (core/db/paths.ts). */
  dbPath?: string;
  /** Where logs go; default: <data dir>/logs. 'none': memory only. */
  logDir?: string | 'none';
  env?: NodeJS.ProcessEnv;
  host?: HostActions;
  updates?: UpdateSource;
  /** Devices given by the caller (tests); otherwise opened from `devicesConfig`. */
  devices?: DevicePorts;
  /** Devices config file (contracts/device-config.ts); default: $KIOSK_DEVICES_CONFIG; none: the synced config's devices. */
  devicesConfig?: string;
  /** Explicit UI settings: they win over the hub's synced configuration (core/fleet/live-config.ts). */
  config?: Partial<KioskUiConfig>;
  logEcho?: NodeJS.WritableStream;
  /** Start the hub sync schedule when a hub is configured (default true; tests drive it). */
  autoSync?: boolean;
  /** Reads the ID card for identify.idCard (the card reader driver; a simulator profile in tests). */
  cardSource?: CardSource;
  /** The outbox key; Electron passes its safeStorage-wrapped one. Default: a 0600 key file. */
  outboxKey?: KeyProvider;
}

export interface KioskCore {
  store: KbStore;
  service: KioskService;
  log: KioskLogger;
  staff: StaffAuth | undefined;
  hub: HubLink;
  /** The devices this core opened from a devices config (closed by close()). */
  devices: KioskDevices | undefined;
  /** Without a local devices config: the devices the synced configuration names (reopened when it changes). */
  syncedDevices: SyncedDevices | undefined;
  /** The synced configuration in force. */
  live: LiveConfig;
  /** Central IT's commands (sync, restart, update-now), fetched after each poll; undefined without a hub. */
  fleet: FleetCommands | undefined;
  /** Stops sync and delivery (waiting for one under way), then closes the KB and the logs. */
  close(): Promise<void>;
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function openKioskCore(options: KioskCoreOptions): KioskCore {
  const env = options.env ?? process.env;
  // A bad devices file stops the start before anything is opened (one clear error, nothing to undo).
  const devicesFile = options.devices ? undefined : options.devicesConfig ?? (env.KIOSK_DEVICES_CONFIG || undefined);
  const devicesConfig = devicesFile ? loadDevicesConfig(devicesFile) : undefined;
  const dbPath = options.dbPath ?? defaultDbPath(env);
  const logDir = options.logDir === 'none' ? undefined : (options.logDir ?? join(options.dbPath ? dirname(dbPath) : dataDir(env), 'logs'));
  const log = createLogger({ dir: logDir, level: env.KIOSK_LOG_LEVEL ?? 'info', echo: options.logEcho });
  const store = openKbStore(dbPath);
  const seeded = seedDefaultKb(store);
  if (seeded) log.logger.info({ articles: seeded.added }, 'starter KB loaded');
  const appVersion = options.appVersion ?? packageVersion();
  const live = new LiveConfig({ db: store.db, defaults: DEFAULT_UI_CONFIG, explicit: options.config, logger: log.logger });
  // Device health for the fleet view, read at each poll (the ports exist only further down).
  const healthOf: { ports?: DevicePorts } = {};
  const hub = openHubLink(store, {
    env,
    appVersion,
    logger: log.logger,
    autoStart: options.autoSync ?? true,
    updateState: () => options.updates?.status().state ?? null,
    deviceHealth: () => {
      const p = healthOf.ports;
      return encodeDeviceHealth(p && p.configured?.() !== false ? p.health() : []);
    },
    ...(options.outboxKey ? { outboxKey: options.outboxKey } : {}),
  });
  const audit = new OutboxAuditSink(log.logger, hub.outbox);
  // Device events reach the renderer through the service's bus, which exists only once the
  // service does; the manager starts connecting right away, so early events wait for it.
  const late: { bus?: KioskEventBus; service?: KioskService } = {};
  const deviceOptions: KioskDevicesOptions = {
    logger: log.logger,
    onHealth: (health) => late.bus?.emit('devices.health', health),
    onPrompt: (prompt) => late.bus?.emit('device.prompt', prompt),
  };
  const devices = devicesConfig ? openKioskDevices(devicesConfig, deviceOptions) : undefined;
  // No local devices file: the hub's synced configuration names them (local file > synced config).
  const syncedDevices = devicesConfig || options.devices ? undefined : new SyncedDevices(live.devices, { ...deviceOptions, busy: () => late.service?.session.active ?? false });
  const ports: DevicePorts | undefined = options.devices ?? devices ?? syncedDevices;
  healthOf.ports = ports;
  // identify.idCard reads the configured reader unless the caller brought its own card source.
  const cardSource: CardSource | undefined = options.cardSource ?? (ports && readerCardSource(ports));
  const pinHash = staffPinHash(env);
  const hubEndpoint = customerHubEndpoint(store, env);
  const staff = pinHash ? new StaffAuth({ pinHash, audit }) : undefined;
  const service = createKioskService({
    store,
    appVersion,
    mode: options.mode,
    hub,
    hubEndpoint,
    cardSource,
    config: options.config,
    staff,
    host: options.host,
    updates: options.updates,
    devices: ports,
    logger: log.logger,
    logs: log.ring,
    audit,
    live,
  });
  late.bus = service.events;
  late.service = service;
  const fleet =
    hub.sync && hubEndpoint
      ? new FleetCommands({
          db: store.db,
          endpoint: hubEndpoint,
          sync: hub.sync,
          host: options.host,
          updates: options.updates,
          sessionActive: () => service.session.active,
          onSessionEnded: (listener) => service.events.subscribe((event) => void (event === 'session.ended' && listener())),
          audit,
          appVersion,
          logger: log.logger,
        })
      : undefined;
  if (syncedDevices) {
    // Reopened devices change app.info (devices, print): tell the renderer again.
    const reopened = (done: boolean) => done && service.events.emit('app.info', service.handlers['app.info']({}) as AppInfo);
    live.on('change', (c) => void (c.devices && syncedDevices.update(live.devices).then(reopened)));
    service.events.subscribe((event) => void (event === 'session.ended' && syncedDevices.sessionEnded().then(reopened)));
  } else if (live.devices?.length) log.logger.info('the synced configuration names devices; the local devices config is used instead');
  if (devicesFile) log.logger.info({ devices: devicesConfig?.devices.map((d) => d.kind) }, 'devices configured');
  log.logger.info({ mode: options.mode }, 'kiosk core started');
  return {
    store,
    service,
    log,
    staff,
    hub,
    devices,
    syncedDevices,
    live,
    fleet,
    async close() {
      // First: the session end below must not run a restart that waited for it.
      await fleet?.close();
      // Synced devices first: the session end below must not reopen a change that waited for it.
      const closingSynced = syncedDevices?.close();
      // End a customer session still open: its token is revoked at the hub (waited for briefly).
      service.session.end('restart');
      await Promise.race([service.identity.revoking, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await hub.close();
      await devices?.close();
      await closingSynced;
      service.dispose();
      store.close();
      log.close();
    },
  };
}
