// HID readers in data mode via node-hid (not keyboard mode: see keyboard-wedge.ts). The device opener
// is injectable; the default loads node-hid lazily so nothing native loads until a HID device is used.
import { EventEmitter } from 'node:events';
import { TransportError } from '../errors.ts';
import { HidLineDecoder } from './boot-keyboard.ts';

export interface HidDeviceLike {
  on(event: 'data', cb: (report: Buffer) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  close(): unknown;
}

export type HidOpener = (vendorId: number, productId: number) => Promise<HidDeviceLike>;

export const defaultHidOpener: HidOpener = async (vendorId, productId) => {
  const HID = await import('node-hid');
  return HID.HIDAsync.open(vendorId, productId);
};

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  product?: string;
  manufacturer?: string;
  usagePage?: number;
  usage?: number;
}

export async function listHidDevices(): Promise<HidDeviceInfo[]> {
  const HID = await import('node-hid');
  return (await HID.devicesAsync()).map((d) => ({
    vendorId: d.vendorId, productId: d.productId, path: d.path, product: d.product, manufacturer: d.manufacturer, usagePage: d.usagePage, usage: d.usage,
  }));
}

/** Events: 'scan' (text: string) for every completed line; 'close' (error?) when the device goes. */
export class HidReader extends EventEmitter {
  private closed = false;

  private constructor(private readonly device: HidDeviceLike, decoder: HidLineDecoder, readonly description: string) {
    super();
    device.on('data', (report) => {
      for (const line of decoder.push(report)) this.emit('scan', line);
    });
    device.on('error', (err) => this.finish(new TransportError('disconnected', `${description} was disconnected: ${err.message}`, 'hid')));
  }

  static async open(
    options: { vendorId: number; productId: number; format?: 'boot-keyboard' | 'ascii'; offset?: number },
    opener: HidOpener = defaultHidOpener,
  ): Promise<HidReader> {
    const description = `hid:${hex4(options.vendorId)}:${hex4(options.productId)}`;
    let device: HidDeviceLike;
    try {
      device = await opener(options.vendorId, options.productId);
    } catch (err) {
      throw new TransportError('open-failed', `cannot open ${description}: ${(err as Error).message}`, 'hid', { cause: err });
    }
    return new HidReader(device, new HidLineDecoder(options.format, options.offset), description);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private finish(err?: TransportError): void {
    if (this.closed) return;
    this.closed = true;
    try {
      void this.device.close();
    } catch {
      // already gone
    }
    this.emit('close', err);
  }

  async close(): Promise<void> {
    this.finish();
  }
}

export const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
