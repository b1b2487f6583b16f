// Browser mode's window into the core: one HTTP server on 127.0.0.1 that serves the built renderer
// (with the kiosk CSP) and carries the kiosk API over a WebSocket at /bridge.
// Who may connect: the Host header must name this loopback origin (no DNS rebinding), the Origin
// must be exactly this server's (no other page or site), and the per-launch random secret must be
// in the query. Frames are size-limited and every request goes through the same dispatcher (and
// schemas) as Electron IPC.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_MAX_REQUEST_BYTES, BRIDGE_PATH, BridgeRequest, describeIssues, type BridgeMessage } from '../../contracts/kiosk-api.ts';
import type { Dispatcher } from '../api/dispatcher.ts';
import type { KioskEventBus } from '../api/events.ts';
import type { Logger } from '../log/logger.ts';
import { kioskCsp, securityHeaders } from './csp.ts';
import { resolveStaticPath } from './static-files.ts';

export interface BridgeServerOptions {
  dispatcher: Dispatcher;
  events: KioskEventBus;
  /** The built renderer (index.html + assets); none: the bridge only. */
  staticRoot?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** Default: 32 random bytes, new every launch. */
  secret?: string;
  logger?: Logger;
}

export interface BridgeServer {
  /** The page to open: origin + `#k=<secret>` (the fragment never reaches a server or a log). */
  pageUrl: string;
  origin: string;
  port: number;
  secret: string;
  clients(): number;
  close(): Promise<void>;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const secret = options.secret ?? randomBytes(32).toString('hex');
  const log = options.logger;
  let origin = '';
  let hosts = new Set<string>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_REQUEST_BYTES });

  const server: Server = createServer((req, res) => {
    if (!hosts.has(String(req.headers.host))) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!options.staticRoot) {
      res.writeHead(404).end();
      return;
    }
    const r = resolveStaticPath(options.staticRoot, req.url ?? '/');
    const headers = securityHeaders(kioskCsp({ connectSrc: [origin.replace(/^http/, 'ws')] }));
    if (!r.ok) {
      res.writeHead(r.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(r.status === 404 ? 'not found' : 'bad request');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': r.mediaType,
      'Cache-Control': r.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(r.file).pipe(res);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== BRIDGE_PATH) return reject(socket, 404, 'Not Found');
    if (!hosts.has(String(req.headers.host))) return reject(socket, 421, 'Misdirected Request');
    if (req.headers.origin !== origin) {
      log?.warn({ origin: String(req.headers.origin ?? '').slice(0, 100) }, 'bridge: connection from another origin refused');
      return reject(socket, 403, 'Forbidden');
    }
    if (!sameSecret(url.searchParams.get('k') ?? '', secret)) {
      log?.warn('bridge: connection without the launch secret refused');
      return reject(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (m: BridgeMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const unsubscribe = options.events.subscribe((event, payload) => send({ t: 'event', event, payload }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send({ t: 'error', error: { code: 'invalid_argument', message: 'bridge frames are JSON text' } });
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return send({ t: 'error', error: { code: 'invalid_argument', message: 'bridge frame is not valid JSON' } });
      }
      const req = BridgeRequest.safeParse(frame);
      if (!req.success) {
        const id = (frame as { id?: unknown } | null)?.id;
        const error = { code: 'invalid_argument' as const, message: 'malformed bridge request', issues: describeIssues(req.error) };
        return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? send({ t: 'result', id, result: { ok: false, error } }) : send({ t: 'error', error });
      }
      void options.dispatcher.call(req.data.method, req.data.args).then((result) => send({ t: 'result', id: req.data.id, result }));
    });
    ws.on('close', unsubscribe);
    ws.on('error', (err) => log?.warn({ err: err.message }, 'bridge socket error'));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  log?.info({ port }, 'browser-mode bridge listening on loopback');

  return {
    pageUrl: `${origin}/#k=${secret}`,
    origin,
    port,
    secret,
    clients: () => wss.clients.size,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
