// DevicePorts (device-ports.ts) over the device manager (native/manager): the kiosk API
// sees "read a card", "print this receipt", never serial ports. Drivers are fetched from the
// manager on every use, so a port keeps working across an unplug/replug (new driver instance).
// Device failures become KioskApiErrors the UI can act on ('timeout', 'device'); a printer that
// cannot print answers {printed:false} instead of throwing, so the UI can show the QR on screen.
import type { DeviceConfig, DeviceHealth, DevicesConfig } from '../../contracts/device-config.ts';
import type { ReceiptData } from '../../contracts/device-receipt.ts';
import { KioskApiError, type DevicePrompt } from '../../contracts/kiosk-api.ts';
import { SamError } from '../../native/codecs/idcard/index.ts';
import { delay } from '../../native/drivers/channel.ts';
import type { FingerprintSensor } from '../../native/drivers/fingerprint.ts';
import type { IdCard, IdCardReader } from '../../native/drivers/idcard.ts';
import type { ReceiptPrinter } from '../../native/drivers/printer.ts';
import { renderReceiptTemplate } from '../../native/drivers/receipts.ts';
import { AbortedError, DeviceError } from '../../native/errors.ts';
import { silentLogger, type DeviceLogger } from '../../native/log.ts';
import { DeviceManager, type DeviceManagerDeps } from '../../native/manager/device-manager.ts';
import type { CardRead, CardReaderPort, DevicePorts, FingerprintPort, PrinterPort, PrintOutcome, PromptListener } from './device-ports.ts';
import { fingerprintPort } from './fingerprint-port.ts';

export interface KioskDevicesOptions {
  logger?: DeviceLogger;
  /** Every health change, with the health of all devices (→ 'devices.health' event). */
  onHealth?: (health: DeviceHealth[]) => void;
  /** Every prompt of every port (→ 'device.prompt' event), besides the caller's own onPrompt. */
  onPrompt?: PromptListener;
  /** How long a port waits for its device to (re)connect before answering 'device'. */
  connectWaitMs?: number;
  /** Passed to the device manager (tests shorten driver timeouts). */
  manager?: Omit<DeviceManagerDeps, 'logger'>;
}

export interface KioskDevices extends DevicePorts {
  readonly manager: DeviceManager;
  close(): Promise<void>;
}

/** Card-answer codes that mean "the card moved during the read": wait for it again. */
const TRANSIENT_SW3 = new Set([0x41, 0x31, 0x32]);

function first<K extends DeviceConfig['kind']>(config: DevicesConfig, kind: K): Extract<DeviceConfig, { kind: K }> | undefined {
  return config.devices.find((d): d is Extract<DeviceConfig, { kind: K }> => d.kind === kind);
}

export function openKioskDevices(config: DevicesConfig, options: KioskDevicesOptions = {}): KioskDevices {
  const logger = options.logger ?? silentLogger;
  const manager = new DeviceManager(config, { ...options.manager, logger });
  const connectWaitMs = options.connectWaitMs ?? 5000;
  const onHealth = (): void => options.onHealth?.(manager.health());
  manager.on('health', onHealth);
  manager.start();

  const prompter = (device: DevicePrompt['device'], own?: PromptListener) => (step: DevicePrompt['step']): void => {
    const p: DevicePrompt = { device, step };
    own?.(p);
    options.onPrompt?.(p);
  };

  /** The connected driver, waiting a little for a device that is (re)connecting. */
  const driver = async <T extends IdCardReader | FingerprintSensor | ReceiptPrinter>(id: string, what: string, waitMs: number): Promise<T> => {
    // unplugged (between reconnect attempts): answer now rather than keep a customer waiting
    const state = manager.health().find((h) => h.id === id)?.state;
    if (state === 'disconnected' && !manager.get(id)) throw new KioskApiError('device', `the ${what} is not connected`);
    try {
      return await manager.waitFor<T>(id, Math.min(waitMs, connectWaitMs));
    } catch {
      throw new KioskApiError('device', `the ${what} is not connected`);
    }
  };

  const idcard = first(config, 'idcard');
  const card: CardReaderPort | undefined = idcard && {
    async read({ timeoutMs, signal, onPrompt }): Promise<CardRead> {
      const prompt = prompter('idcard', onPrompt);
      const deadline = AbortSignal.timeout(timeoutMs);
      const until = signal ? AbortSignal.any([signal, deadline]) : deadline;
      const reader = await driver<IdCardReader>(idcard.id, 'ID card reader', timeoutMs);
      prompt('place-card');
      let read: IdCard | undefined;
      try {
        while (!read) {
          try {
            // find, then select either way: a card left on the reader answers only "select"
            await reader.findCard(until);
            if (await reader.selectCard(until)) {
              prompt('working');
              read = await reader.readCard({ signal: until });
            }
          } catch (err) {
            if (!(err instanceof SamError && TRANSIENT_SW3.has(err.sw3))) throw err;
          }
          if (!read) await delay(idcard.pollMs, until, 'idcard');
        }
      } catch (err) {
        if (err instanceof AbortedError) throw new KioskApiError('timeout', 'no ID card was placed on the reader in time');
        logger.warn({ device: 'idcard', code: (err as DeviceError).code ?? 'error' }, 'card read failed');
        throw new KioskApiError('device', 'the ID card could not be read; please place it on the reader again');
      }
      prompt('done');
      // Only the two fields identification needs leave this function; the IdCard object is dropped.
      return { idNumber: read.text.idNumber, name: read.text.name };
    },
  };

  const fp = first(config, 'fingerprint');
  const fingerprint: FingerprintPort | undefined = fp && {
    async verify(template, opts) {
      const sensor = await driver<FingerprintSensor>(fp.id, 'fingerprint sensor', opts.timeoutMs);
      return fingerprintPort(sensor, { threshold: fp.matchThreshold }).verify(template, { ...opts, onPrompt: (p) => prompter('fingerprint', opts.onPrompt)(p.step) });
    },
    async enrol(opts) {
      const sensor = await driver<FingerprintSensor>(fp.id, 'fingerprint sensor', opts.timeoutMs);
      return fingerprintPort(sensor, { threshold: fp.matchThreshold }).enrol({ ...opts, onPrompt: (p) => prompter('fingerprint', opts.onPrompt)(p.step) });
    },
  };

  const pc = first(config, 'printer');
  const printer: PrinterPort | undefined = pc && {
    async print(templateId: string, data: ReceiptData): Promise<PrintOutcome> {
      // A template/data mismatch is a bug in the caller, not a printer state: it throws.
      const ops = await renderReceiptTemplate(templateId, data, { width: pc.width });
      const prompt = prompter('printer');
      let p: ReceiptPrinter;
      try {
        p = await driver<ReceiptPrinter>(pc.id, 'printer', connectWaitMs);
      } catch {
        const h = manager.health().find((x) => x.id === pc.id);
        return { printed: false, code: h?.error?.code ?? 'disconnected', problem: 'the printer is not connected' };
      }
      prompt('working');
      try {
        await p.print(ops);
        prompt('done');
        return { printed: true };
      } catch (err) {
        if (!(err instanceof DeviceError)) throw err;
        logger.warn({ device: 'printer', code: err.code, template: templateId }, 'receipt not printed');
        return { printed: false, code: err.code, problem: err.message };
      } finally {
        // health follows the printer now (paper out shows in the staff panel without waiting for a poll)
        await manager.refresh(pc.id);
      }
    },
  };

  return {
    manager,
    health: () => manager.health(),
    ...(card ? { card } : {}),
    ...(fingerprint ? { fingerprint } : {}),
    ...(printer ? { printer } : {}),
    async close() {
      manager.off('health', onHealth);
      await manager.stop();
    },
  };
}
