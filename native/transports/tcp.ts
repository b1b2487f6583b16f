// Raw TCP (port 9100 "JetDirect" printers). Network printers answer DLE EOT on the same socket.
import net from 'node:net';
import { TransportError } from '../errors.ts';
import { Transport } from './transport.ts';

export class TcpTransport extends Transport {
  readonly readable = true;
  readonly description: string;

  private constructor(private readonly socket: net.Socket, host: string, port: number) {
    super();
    this.description = `tcp://${host}:${port}`;
    socket.setNoDelay(true);
    socket.on('data', (d) => this.emit('data', d));
    socket.on('error', () => {});
    socket.on('close', () => this.markClosed(new TransportError('disconnected', `${this.description} closed the connection`)));
  }

  static open(host: string, port: number, timeoutMs = 5000): Promise<TcpTransport> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransportError('open-failed', `cannot connect to tcp://${host}:${port}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new TransportError('open-failed', `cannot connect to tcp://${host}:${port}: ${err.message}`, undefined, { cause: err }));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new TcpTransport(socket, host, port));
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new TransportError('disconnected', `${this.description} is closed`));
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => (err ? reject(new TransportError('write-failed', `write to ${this.description} failed: ${err.message}`)) : resolve()));
    });
  }

  protected doClose(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.removeAllListeners('close');
      this.socket.end(() => resolve());
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 1000).unref();
    });
  }
}
