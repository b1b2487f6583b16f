// Puts a simulator engine on a real port: a serial device path (opened with the real serialport,
// e.g. one end of a socat pty pair) or a TCP listener (printers, port 9100 style). Control commands
// come from a line stream (stdin) or a loopback control port.
import net from 'node:net';
import readline from 'node:readline';
import { EventEmitter } from 'node:events';
import { SerialTransport, type SerialPortFactory } from '../transports/serial.ts';
import type { SimulatorEngine, SimulatorSession } from './engine.ts';

export interface SerialHostOptions {
  path: string;
  baudRate?: number;
  /** Write replies at the pace of the baud rate (10 bits a byte), like a real UART. */
  pace?: boolean;
  /** Keep reopening the path after it disappears (unplug/replug tests, socat restarts). */
  persistent?: boolean;
  serialFactory?: SerialPortFactory;
}

/** Events: 'open', 'disconnected'. */
export class SerialHost extends EventEmitter {
  private transport: SerialTransport | undefined;
  private session: SimulatorSession | undefined;
  private stopped = false;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly engine: SimulatorEngine, private readonly options: SerialHostOptions) {
    super();
  }

  static async start(engine: SimulatorEngine, options: SerialHostOptions): Promise<SerialHost> {
    const host = new SerialHost(engine, options);
    await host.open();
    return host;
  }

  get description(): string {
    return `serial:${this.options.path}`;
  }

  private async open(): Promise<void> {
    const baud = this.options.baudRate ?? 115200;
    const t = await SerialTransport.open(this.options.path, baud, this.options.serialFactory);
    if (this.stopped) {
      await t.close();
      return;
    }
    this.transport = t;
    const session = this.engine.openSession((bytes) => this.send(t, bytes, baud));
    this.session = session;
    t.on('data', (d) => session.receive(d));
    t.on('close', () => {
      session.end();
      if (this.stopped) return;
      this.emit('disconnected');
      if (this.options.persistent) void this.reopen();
    });
    this.emit('open');
  }

  private async reopen(): Promise<void> {
    while (!this.stopped) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        await this.open();
        return;
      } catch {
        // the port is not back yet
      }
    }
  }

  private send(t: SerialTransport, bytes: Buffer, baud: number): void {
    if (!this.options.pace) {
      t.write(bytes).catch(() => undefined);
      return;
    }
    // 64-byte slices, each after the time its bits take on the wire.
    this.writing = this.writing.then(async () => {
      for (let off = 0; off < bytes.length && t.isOpen; off += 64) {
        const slice = bytes.subarray(off, off + 64);
        await t.write(slice).catch(() => undefined);
        await new Promise((r) => setTimeout(r, (slice.length * 10 * 1000) / baud));
      }
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.session?.end();
    await this.transport?.close();
  }
}

export class TcpHost {
  private readonly sockets = new Set<net.Socket>();
  private constructor(private readonly server: net.Server, readonly port: number, readonly host: string) {}

  static start(engine: SimulatorEngine, port: number, host = '127.0.0.1'): Promise<TcpHost> {
    const server = net.createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.removeListener('error', reject);
        const addr = server.address() as net.AddressInfo;
        const h = new TcpHost(server, addr.port, host);
        server.on('connection', (socket) => {
          h.sockets.add(socket);
          socket.setNoDelay(true);
          const session = engine.openSession((bytes) => {
            if (!socket.destroyed) socket.write(bytes);
          });
          socket.on('data', (d) => session.receive(d));
          socket.on('error', () => undefined);
          socket.on('close', () => {
            h.sockets.delete(socket);
            session.end();
          });
        });
        resolve(h);
      });
    });
  }

  get description(): string {
    return `tcp://${this.host}:${this.port}`;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Reads control commands line by line; 'help' lists them; answers go to `output`. */
export function attachControl(engine: SimulatorEngine, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, onQuit?: () => void): () => void {
  const rl = readline.createInterface({ input, terminal: false });
  rl.on('line', (line) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    if (t === 'help') output.write(['help', 'quit', ...engine.help()].map((l) => `  ${l}`).join('\n') + '\n');
    else if (t === 'quit' || t === 'exit') {
      output.write('ok bye\n');
      onQuit?.();
    } else output.write(engine.control(t) + '\n');
  });
  return () => rl.close();
}

/** A loopback TCP control port: one command a line, one answer a line. */
export function serveControl(engine: SimulatorEngine, port: number, onQuit?: () => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    attachControl(engine, socket, socket, onQuit);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}

/** Sends one control line to a control port and returns the answer (tests, scripts). */
export function sendControl(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    socket.on('error', reject);
    socket.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        socket.end();
        resolve(buf.slice(0, nl));
      }
    });
    socket.on('connect', () => socket.write(line + '\n'));
  });
}
