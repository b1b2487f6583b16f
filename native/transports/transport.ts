// A byte pipe to a device. Drivers see only this, so the same driver runs over a serial port, a TCP
// socket, a device file, or an in-memory pair in unit tests (node-serialport's "injected binding").
import { EventEmitter } from 'node:events';
import type { TransportError } from '../errors.ts';

export interface TransportEvents {
  data: [Buffer];
  /** The transport is gone for good; `error` says why when it was not a requested close. */
  close: [TransportError | undefined];
}

export abstract class Transport extends EventEmitter<TransportEvents> {
  abstract readonly description: string;
  /** False for write-only device files: no status can be read back. */
  abstract readonly readable: boolean;
  private closed = false;

  get isOpen(): boolean {
    return !this.closed;
  }

  abstract write(data: Uint8Array): Promise<void>;

  async close(): Promise<void> {
    if (this.closed) return;
    await this.doClose();
    this.markClosed(undefined);
  }

  protected abstract doClose(): Promise<void>;

  /** Subclasses call this once when the underlying port goes away. */
  protected markClosed(error: TransportError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', error);
  }
}
