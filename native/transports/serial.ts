// Serial transport over the real `serialport` package. The port class is injectable (pass
// SerialPortMock in unit tests, as node-serialport does with its MockBinding).
import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { TransportError } from '../errors.ts';
import { Transport } from './transport.ts';

/** What we use of a SerialPort: a Duplex with open/close callbacks. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  on(event: 'data', cb: (d: Buffer) => void): this;
  on(event: 'close', cb: (err?: Error & { disconnected?: boolean }) => void): this;
  on(event: 'error', cb: (err: Error) => void): this;
  write(data: Buffer, cb: (err?: Error | null) => void): boolean;
  drain(cb: (err?: Error | null) => void): void;
  close(cb: (err?: Error | null) => void): void;
}

export type SerialPortFactory = (options: { path: string; baudRate: number }, onOpen: (err: Error | null) => void) => SerialPortLike;

export const defaultSerialFactory: SerialPortFactory = (options, onOpen) =>
  new SerialPort({ path: options.path, baudRate: options.baudRate, dataBits: 8, parity: 'none', stopBits: 1 }, (err) => onOpen(err ?? null));

export class SerialTransport extends Transport {
  readonly readable = true;
  readonly description: string;

  private watch: NodeJS.Timeout | undefined;

  private constructor(private readonly port: SerialPortLike, readonly path: string, baudRate: number) {
    super();
    this.description = `serial:${path}@${baudRate}`;
    port.on('data', (d) => this.emit('data', d));
    port.on('close', (err) => {
      clearInterval(this.watch);
      this.markClosed(err ? new TransportError('disconnected', `${this.description} was disconnected`, undefined, { cause: err }) : undefined);
    });
    // After open, a port error means the device is gone: a pty whose other side died reads EIO,
    // which serialport reports as a plain 'error' (not a disconnect) and then stops reading. Treat
    // every such error as an unplug, so the manager can reconnect.
    port.on('error', (err) => {
      this.markClosed(new TransportError('disconnected', `${this.description} failed: ${err.message}`, undefined, { cause: err }));
      if (port.isOpen) port.close(() => undefined);
    });
  }

  /**
   * Device-node watchdog. When the far side of a pty dies, Linux reads return 0 bytes and
   * serialport's reader retries forever without reporting a disconnect (seen with serialport 13 on
   * socat ptys); a USB adapter unplugged mid-read can leave the port similarly silent. So every
   * `everyMs` we check that the path still names the device we opened (same rdev); if not, the
   * port is closed and reported as disconnected.
   */
  private async startWatch(everyMs: number): Promise<void> {
    let rdev: number;
    try {
      rdev = (await stat(this.path)).rdev;
    } catch {
      return; // not a file path (e.g. COM3): rely on serialport's own detection
    }
    if (!this.isOpen) return;
    this.watch = setInterval(() => {
      stat(this.path).then(
        (s) => s.rdev !== rdev && this.lost('the device node changed'),
        () => this.lost('the device node is gone'),
      );
    }, everyMs);
    this.watch.unref();
  }

  private lost(why: string): void {
    clearInterval(this.watch);
    this.markClosed(new TransportError('disconnected', `${this.description} was disconnected (${why})`));
    if (this.port.isOpen) this.port.close(() => undefined);
  }

  static open(path: string, baudRate: number, factory: SerialPortFactory = defaultSerialFactory, options: { watchMs?: number } = {}): Promise<SerialTransport> {
    return SerialTransport.openPort(path, baudRate, factory).then(async (t) => {
      if ((options.watchMs ?? 250) > 0) await t.startWatch(options.watchMs ?? 250);
      return t;
    });
  }

  private static openPort(path: string, baudRate: number, factory: SerialPortFactory): Promise<SerialTransport> {
    return new Promise((resolve, reject) => {
      let port: SerialPortLike | undefined = undefined;
      try {
        port = factory({ path, baudRate }, (err) => {
          if (err) reject(new TransportError('open-failed', `cannot open serial port ${path}: ${err.message}`, undefined, { cause: err }));
          else resolve(new SerialTransport(port!, path, baudRate));
        });
      } catch (err) {
        reject(new TransportError('open-failed', `cannot open serial port ${path}: ${(err as Error).message}`, undefined, { cause: err }));
      }
    });
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new TransportError('disconnected', `${this.description} is closed`));
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(data), (err) => {
        if (err) return reject(new TransportError('write-failed', `write to ${this.description} failed: ${err.message}`, undefined, { cause: err }));
        this.port.drain((e) => (e ? reject(new TransportError('write-failed', `write to ${this.description} failed: ${e.message}`)) : resolve()));
      });
    });
  }

  protected doClose(): Promise<void> {
    clearInterval(this.watch);
    return new Promise((resolve) => {
      if (!this.port.isOpen) return resolve();
      this.port.close(() => resolve());
    });
  }
}
