// A printer device file (/dev/usb/lp0): write-only here, so no status can be read.
import { open, type FileHandle } from 'node:fs/promises';
import { TransportError } from '../errors.ts';
import { Transport } from './transport.ts';

export class FileTransport extends Transport {
  readonly readable = false;
  readonly description: string;

  private constructor(private readonly fh: FileHandle, path: string) {
    super();
    this.description = `file:${path}`;
  }

  static async open(path: string): Promise<FileTransport> {
    try {
      return new FileTransport(await open(path, 'a'), path);
    } catch (err) {
      throw new TransportError('open-failed', `cannot open ${path}: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) throw new TransportError('disconnected', `${this.description} is closed`);
    try {
      await this.fh.write(data);
    } catch (err) {
      this.markClosed(new TransportError('disconnected', `${this.description} went away`));
      throw new TransportError('write-failed', `write to ${this.description} failed: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  protected async doClose(): Promise<void> {
    await this.fh.close();
  }
}
