// The device manager: opens every configured device, keeps it open (reconnect with backoff after an
// unplug or a failed open), and reports health for the UI and the staff panel. Drivers are handed
// out only while connected. Events:
//   'health' (DeviceHealth)              every state / warning / error change
//   'scan'   ({ id, text })              a line read by a HID reader (text is not logged)
import { EventEmitter } from 'node:events';
import type { DeviceConfig, DeviceHealth, DevicesConfig } from '../../contracts/device-config.ts';
import { DeviceError, TimeoutError } from '../errors.ts';
import { silentLogger, type DeviceLogger } from '../log.ts';
import { openTransport } from '../transports/open.ts';
import type { Transport } from '../transports/transport.ts';
import type { SerialPortFactory } from '../transports/serial.ts';
import { IdCardReader } from '../drivers/idcard.ts';
import { FingerprintSensor } from '../drivers/fingerprint.ts';
import { ReceiptPrinter, blockingProblem, statusWarnings } from '../drivers/printer.ts';
import { HidReader, type HidOpener } from '../hid/hid-reader.ts';
import { backoffDelay } from '../../common/backoff.ts';

export type Driver = IdCardReader | FingerprintSensor | ReceiptPrinter | HidReader;

export interface DeviceManagerDeps {
  logger?: DeviceLogger;
  random?: () => number;
  serialFactory?: SerialPortFactory;
  hidOpener?: HidOpener;
  /** Driver timeouts (tests shorten them). */
  timeoutMs?: number;
}

interface Slot {
  config: DeviceConfig;
  health: DeviceHealth;
  driver: Driver | undefined;
  timer: NodeJS.Timeout | undefined;
  poll: NodeJS.Timeout | undefined;
  attempt: number;
}

export class DeviceManager extends EventEmitter {
  private readonly slots = new Map<string, Slot>();
  private readonly logger: DeviceLogger;
  private running = false;

  constructor(private readonly config: DevicesConfig, private readonly deps: DeviceManagerDeps = {}) {
    super();
    this.logger = deps.logger ?? silentLogger;
    for (const c of config.devices) {
      this.slots.set(c.id, {
        config: c,
        health: { id: c.id, kind: c.kind, state: 'stopped', warnings: [], since: new Date().toISOString(), reconnectAttempt: 0 },
        driver: undefined, timer: undefined, poll: undefined, attempt: 0,
      });
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const slot of this.slots.values()) void this.connect(slot);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const slot of this.slots.values()) {
      clearTimeout(slot.timer);
      clearTimeout(slot.poll);
      const d = slot.driver;
      slot.driver = undefined;
      await d?.close().catch(() => undefined);
      this.update(slot, { state: 'stopped', error: undefined, warnings: [] });
    }
  }

  health(): DeviceHealth[] {
    return [...this.slots.values()].map((s) => structuredClone(s.health));
  }

  /** The driver of a connected device, else undefined. */
  get<T extends Driver = Driver>(id: string): T | undefined {
    return this.slots.get(id)?.driver as T | undefined;
  }

  /** Resolves with the driver once the device is connected (and healthy enough to use). */
  waitFor<T extends Driver = Driver>(id: string, timeoutMs = 10_000): Promise<T> {
    const slot = this.slots.get(id);
    if (!slot) return Promise.reject(new DeviceError('unknown-device', `no device '${id}' in the configuration`));
    if (slot.driver && slot.health.state === 'connected') return Promise.resolve(slot.driver as T);
    return new Promise((resolve, reject) => {
      const onHealth = (h: DeviceHealth): void => {
        if (h.id === id && h.state === 'connected' && slot.driver) {
          clearTimeout(timer);
          this.off('health', onHealth);
          resolve(slot.driver as T);
        }
      };
      const timer = setTimeout(() => {
        this.off('health', onHealth);
        reject(new TimeoutError(`device '${id}' did not connect within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('health', onHealth);
    });
  }

  private update(slot: Slot, patch: Partial<DeviceHealth>): void {
    const before = JSON.stringify(slot.health);
    const next: DeviceHealth = { ...slot.health, ...patch };
    if (patch.error === undefined && 'error' in patch) delete next.error;
    if (next.state !== slot.health.state) next.since = new Date().toISOString();
    slot.health = next;
    if (JSON.stringify(next) === before) return;
    this.logger.info({ device: slot.config.kind, id: slot.config.id, state: next.state, error: next.error?.code, warnings: next.warnings }, 'device health');
    this.emit('health', structuredClone(next));
  }

  private async connect(slot: Slot): Promise<void> {
    if (!this.running) return;
    const c = slot.config;
    this.update(slot, { state: 'connecting', reconnectAttempt: slot.attempt });
    let driver: Driver | undefined;
    try {
      driver = await this.open(c);
      if (!this.running) {
        await driver.close();
        return;
      }
      await this.handshake(slot, driver);
    } catch (err) {
      await driver?.close().catch(() => undefined);
      const e = err instanceof DeviceError ? err : new DeviceError('open-failed', (err as Error).message);
      this.logger.warn({ device: c.kind, id: c.id, code: e.code, attempt: slot.attempt }, 'device not available');
      this.update(slot, { state: 'disconnected', error: { code: e.code, message: e.message } });
      this.scheduleReconnect(slot);
      return;
    }
    slot.driver = driver;
    slot.attempt = 0;
    const onGone = (): void => {
      if (slot.driver !== driver) return;
      slot.driver = undefined;
      clearTimeout(slot.poll);
      if (!this.running) return;
      this.logger.warn({ device: c.kind, id: c.id }, 'device disconnected');
      this.update(slot, { state: 'disconnected', error: { code: 'disconnected', message: `${c.kind} '${c.id}' was disconnected` }, warnings: [] });
      this.scheduleReconnect(slot);
    };
    if (driver instanceof HidReader) {
      driver.on('close', onGone);
      driver.on('scan', (text: string) => this.emit('scan', { id: c.id, text }));
    } else {
      driver.transport.on('close', onGone);
    }
    this.update(slot, { state: 'connected', reconnectAttempt: 0 });
    if (c.kind === 'printer' && c.statusPollMs > 0 && driver instanceof ReceiptPrinter) this.schedulePoll(slot, driver, c.statusPollMs);
  }

  private async open(c: DeviceConfig): Promise<Driver> {
    const timeoutMs = this.deps.timeoutMs;
    if (c.kind === 'hid') return HidReader.open(c, this.deps.hidOpener);
    const address = c.kind === 'printer' ? c.url : c.port;
    const transport: Transport = await openTransport(address, { baudRate: c.baudRate, serialFactory: this.deps.serialFactory });
    switch (c.kind) {
      case 'idcard': return new IdCardReader(transport, { logger: this.logger, timeoutMs });
      case 'fingerprint': return new FingerprintSensor(transport, { logger: this.logger, password: c.password, address: c.address, matchThreshold: c.matchThreshold, timeoutMs });
      case 'printer': return new ReceiptPrinter(transport, { logger: this.logger, timeoutMs });
    }
  }

  /** First exchange after open: proves the right device answers, and sets the initial health. */
  private async handshake(slot: Slot, driver: Driver): Promise<void> {
    if (driver instanceof IdCardReader) {
      try {
        await driver.samStatus();
        this.update(slot, { error: undefined });
      } catch (err) {
        if (err instanceof TimeoutError) throw err;
        const e = err as DeviceError;
        this.update(slot, { error: { code: e.code, message: e.message } });
      }
    } else if (driver instanceof FingerprintSensor) {
      await driver.handshake();
      this.update(slot, { error: undefined });
    } else if (driver instanceof ReceiptPrinter) {
      await this.refreshPrinter(slot, driver);
    } else {
      this.update(slot, { error: undefined });
    }
  }

  private async refreshPrinter(slot: Slot, printer: ReceiptPrinter): Promise<void> {
    const status = await printer.status();
    if (!status) return this.update(slot, { error: undefined, warnings: [] });
    const problem = blockingProblem(status);
    this.update(slot, { error: problem, warnings: statusWarnings(status) });
  }

  /** Re-reads printer status now (after a job, or when staff ask) and updates health. */
  async refresh(id: string): Promise<DeviceHealth | undefined> {
    const slot = this.slots.get(id);
    if (slot?.driver instanceof ReceiptPrinter) await this.refreshPrinter(slot, slot.driver).catch(() => undefined);
    return slot ? structuredClone(slot.health) : undefined;
  }

  private schedulePoll(slot: Slot, printer: ReceiptPrinter, everyMs: number): void {
    slot.poll = setTimeout(async () => {
      if (!this.running || slot.driver !== printer) return;
      try {
        await this.refreshPrinter(slot, printer);
      } catch (err) {
        this.logger.warn({ device: 'printer', id: slot.config.id, code: (err as DeviceError).code }, 'status poll failed');
      }
      if (this.running && slot.driver === printer) this.schedulePoll(slot, printer, everyMs);
    }, everyMs);
  }

  private scheduleReconnect(slot: Slot): void {
    if (!this.running) return;
    const delay = backoffDelay(slot.attempt, this.config.reconnect, this.deps.random);
    slot.attempt++;
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => void this.connect(slot), delay);
  }
}
