// Devices named by the hub's synced configuration (KioskConfigLayer.devices) instead of a local
// devices file: DevicePorts that forward to the devices currently open, reopened when central IT
// changes the list — but never under a customer: while a session runs the change waits, and is
// applied when the session ends (sessionEnded()). A list that does not validate as a whole
// (duplicate ids) is refused with a log line and the devices in use stay open.
import { DevicesConfig, type DeviceConfig, type DeviceHealth } from '../../contracts/device-config.ts';
import type { CardReaderPort, DevicePorts, FingerprintPort, PrinterPort } from './device-ports.ts';
import { silentLogger } from '../../native/log.ts';
import { openKioskDevices, type KioskDevices, type KioskDevicesOptions } from './kiosk-devices.ts';

export interface SyncedDevicesOptions extends KioskDevicesOptions {
  /** true while a customer session runs (a change then waits for sessionEnded()). */
  busy: () => boolean;
}

export class SyncedDevices implements DevicePorts {
  private current: KioskDevices | undefined;
  private currentJson = '[]';
  /** A list waiting for the session to end. */
  private pending: DeviceConfig[] | null = null;
  private switching: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(initial: DeviceConfig[] | null, private readonly options: SyncedDevicesOptions) {
    const config = this.validate(initial ?? []);
    if (config && config.devices.length) {
      this.current = openKioskDevices(config, options);
      this.currentJson = JSON.stringify(config.devices);
    }
  }

  /** The devices open now (tests and the staff panel read their manager). */
  get open(): KioskDevices | undefined {
    return this.current;
  }

  get card(): CardReaderPort | undefined {
    return this.current?.card;
  }

  get fingerprint(): FingerprintPort | undefined {
    return this.current?.fingerprint;
  }

  get printer(): PrinterPort | undefined {
    return this.current?.printer;
  }

  health(): DeviceHealth[] {
    return this.current?.health() ?? [];
  }

  configured(): boolean {
    return this.current !== undefined;
  }

  /** Resolves when a reopen under way (if any) has finished. */
  settled(): Promise<void> {
    return this.switching;
  }

  /** A change is waiting for the customer session to end. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** The synced list changed (null: no longer named); resolves true once the devices were reopened. */
  update(devices: DeviceConfig[] | null): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.options.busy()) {
      this.pending = devices ?? [];
      this.options.logger?.info({ devices: (devices ?? []).map((d) => d.kind) }, 'device change deferred until the customer session ends');
      return Promise.resolve(false);
    }
    return this.reopen(devices ?? []);
  }

  /** The customer session ended: apply a change that waited for it (true: reopened). */
  sessionEnded(): Promise<boolean> {
    const next = this.pending;
    this.pending = null;
    return next === null || this.closed ? Promise.resolve(false) : this.reopen(next);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.switching;
    await this.current?.close();
    this.current = undefined;
  }

  private validate(devices: DeviceConfig[]): DevicesConfig | null {
    const parsed = DevicesConfig.safeParse({ devices });
    if (parsed.success) return parsed.data;
    (this.options.logger ?? silentLogger).warn({ problem: parsed.error.issues[0]?.message }, 'synced devices config refused; the devices in use stay open');
    return null;
  }

  private reopen(devices: DeviceConfig[]): Promise<boolean> {
    let reopened = false;
    // One switch at a time: a second change waits for the first to finish closing/opening.
    this.switching = this.switching.then(async () => {
      const config = this.validate(devices);
      if (!config || this.closed) return;
      const json = JSON.stringify(config.devices);
      if (json === this.currentJson) return;
      reopened = true;
      const old = this.current;
      this.current = undefined;
      await old?.close();
      this.currentJson = json;
      if (config.devices.length) this.current = openKioskDevices(config, this.options);
      this.options.logger?.info({ devices: config.devices.map((d) => d.kind) }, 'devices reopened from the synced configuration');
      this.options.onHealth?.(this.health());
    }).catch((err: Error) => (this.options.logger ?? silentLogger).warn({ err: err.message }, 'synced devices could not be reopened'));
    return this.switching.then(() => reopened);
  }
}
