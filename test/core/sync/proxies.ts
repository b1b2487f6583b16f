// Loopback proxies between a kiosk and a real hub, for fault tests:
//   · TamperProxy — an HTTP proxy that rewrites the hub's answers (bad pages, bad blobs);
//   · CuttingProxy — a TCP proxy that cuts connections after a random number of bytes.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type Tamper = (req: { url: string; headers: IncomingMessage['headers'] }, res: { status: number; headers: Record<string, string>; body: Buffer }) => { status: number; headers: Record<string, string>; body: Buffer } | 'hang';

export class TamperProxy {
  tamper: Tamper | null = null;
  /** Decides before forwarding: answer 500 without touching the hub, never answer, or forward. */
  before: ((url: string) => 'fail' | 'hang' | null) | null = null;
  requests: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<TamperProxy> {
    const holder: { self?: TamperProxy } = {};
    const server = createHttpServer((req, res) => void holder.self!.handle(target, req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    holder.self = new TamperProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.self;
  }

  private async handle(target: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const early = this.before?.(req.url!) ?? null;
    if (early === 'hang') return;
    if (early === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"internal","message":"injected failure"}}');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'accept-encoding', 'content-length'].includes(k)) headers[k] = v;
    try {
      const upstream = await fetch(new URL(req.url!, target), {
        method: req.method!,
        headers: { ...headers, 'accept-encoding': 'identity' },
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      let answer: ReturnType<Tamper> = {
        status: upstream.status,
        headers: Object.fromEntries([...upstream.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k))),
        body: Buffer.from(await upstream.arrayBuffer()),
      };
      if (this.tamper) answer = this.tamper({ url: req.url!, headers: req.headers }, answer);
      if (answer === 'hang') return; // the kiosk's timeout must fire
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    } catch {
      res.destroy();
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export class CuttingProxy {
  cuts = 0;
  connections = 0;
  rangeRequests = 0;
  /** Chance that a connection is cut at all, and the byte range (of the answer) where. */
  cutChance = 0.6;
  cutRange: [number, number] = [100, 60_000];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: ReturnType<typeof createTcpServer>,
    readonly url: string,
  ) {}

  static async start(targetPort: number, random: () => number = Math.random): Promise<CuttingProxy> {
    const holder: { self?: CuttingProxy } = {};
    const server = createTcpServer((client) => {
      const self = holder.self!;
      self.connections++;
      const upstream = connect(targetPort, '127.0.0.1');
      self.sockets.add(client).add(upstream);
      const cutAt = random() < self.cutChance ? self.cutRange[0] + Math.floor(random() * (self.cutRange[1] - self.cutRange[0])) : Infinity;
      let sent = 0;
      client.on('data', (d: Buffer) => {
        self.rangeRequests += (d.toString('latin1').match(/\r\nrange: bytes=\d+-/gi) ?? []).length;
        upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (sent + d.length >= cutAt) {
          client.write(d.subarray(0, Math.max(0, cutAt - sent)));
          self.cuts++;
          client.destroy();
          upstream.destroy();
          return;
        }
        sent += d.length;
        client.write(d);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        self.sockets.delete(client);
        self.sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    holder.self = new CuttingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.self;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}
