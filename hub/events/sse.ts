// GET /v1/events: server-sent events to consoles. Each connection subscribes to the bus with the
// caller's visibility (contracts/hub-events.ts eventVisibleTo: a branch manager hears only their
// branch), writes each frame serialised once per event (100 consoles cost one JSON.stringify),
// sends a heartbeat comment so proxies keep it open, re-checks the caller's authentication (a
// logged-out or disabled user's stream ends), and resumes from Last-Event-ID when the bus still
// has the events. A console that stops reading is disconnected once the bytes queued for it pass
// a bound, so a slow reader never grows the hub's memory; its EventSource reconnects and resumes.
import type { ServerResponse } from 'node:http';
import { eventVisibleTo, type HubEvent, type HubEventType } from '../../contracts/hub-events.ts';
import type { EventBus, EventSubscription } from './bus.ts';

export interface SseOptions {
  heartbeatMs?: number;
  /** Bytes queued on one connection beyond which it is closed (default 1 MiB). */
  maxBufferedBytes?: number;
  maxConnections?: number;
  maxConnectionsPerUser?: number;
  /** How often the caller's authentication is checked again (default 60 s). */
  reauthMs?: number;
  /** The reconnection delay suggested to EventSource. */
  retryMs?: number;
}

export interface SsePrincipal {
  id: string;
  role: string;
  branch: string | null;
}

export interface SseStats {
  connections: number;
  opened: number;
  /** Connections closed because their reader fell behind. */
  droppedSlow: number;
  /** Frames written (events and heartbeats). */
  frames: number;
  /** The most bytes ever queued on one connection (bounded by maxBufferedBytes + one frame). */
  peakQueuedBytes: number;
}

const frames = new WeakMap<HubEvent, string>();
export function eventFrame(e: HubEvent): string {
  let f = frames.get(e);
  if (f === undefined) {
    f = `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
    frames.set(e, f);
  }
  return f;
}

export class SseRefused extends Error {
  constructor(
    readonly statusCode: 429 | 503,
    message: string,
  ) {
    super(message);
  }
}

export class SseHub {
  private readonly conns = new Set<{ close(): void; principal: SsePrincipal }>();
  readonly stats: SseStats = { connections: 0, opened: 0, droppedSlow: 0, frames: 0, peakQueuedBytes: 0 };
  private readonly o: Required<SseOptions>;

  constructor(
    private readonly bus: EventBus,
    options: SseOptions = {},
  ) {
    this.o = {
      heartbeatMs: options.heartbeatMs ?? 15_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
      maxConnections: options.maxConnections ?? 1000,
      maxConnectionsPerUser: options.maxConnectionsPerUser ?? 20,
      reauthMs: options.reauthMs ?? 60_000,
      retryMs: options.retryMs ?? 3000,
    };
  }

  /** Throws SseRefused before anything is written when the limits are reached. */
  checkCapacity(principal: SsePrincipal): void {
    if (this.conns.size >= this.o.maxConnections) throw new SseRefused(503, 'too many live-event connections on this hub; retry later');
    let mine = 0;
    for (const c of this.conns) if (c.principal.id === principal.id) mine++;
    if (mine >= this.o.maxConnectionsPerUser) throw new SseRefused(429, `at most ${this.o.maxConnectionsPerUser} live-event connections per user`);
  }

  /** Takes over `res` (the handler must not answer it) and streams events until either side ends. */
  open(res: ServerResponse, principal: SsePrincipal, options: { types?: readonly HubEventType[]; lastEventId?: string; reauth?: () => Promise<boolean> }): void {
    this.checkCapacity(principal);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx: do not buffer the stream
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    let closed = false;
    let corked = false;
    let subscription: EventSubscription | null = null;
    const timers: NodeJS.Timeout[] = [];
    const conn = {
      principal,
      close: () => {
        if (closed) return;
        closed = true;
        for (const t of timers) clearInterval(t);
        subscription?.close();
        this.conns.delete(conn);
        this.stats.connections = this.conns.size;
        if (!res.writableEnded) res.end();
      },
    };
    const write = (text: string): void => {
      if (closed) return;
      // Node queues what the socket cannot take yet; past the bound this reader is too slow.
      if (res.writableLength > this.o.maxBufferedBytes) {
        this.stats.droppedSlow++;
        conn.close();
        res.destroy();
        return;
      }
      this.stats.frames++;
      // events published in one go (a flush's kiosk.status per branch) leave in one write
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(() => {
          corked = false;
          res.uncork();
        });
      }
      res.write(text);
      if (res.writableLength > this.stats.peakQueuedBytes) this.stats.peakQueuedBytes = res.writableLength;
    };
    res.on('close', conn.close);
    res.on('error', conn.close);
    this.conns.add(conn);
    this.stats.connections = this.conns.size;
    this.stats.opened++;

    write(`retry: ${this.o.retryMs}\n: connected\n\n`);
    const types = options.types ? new Set<string>(options.types) : null;
    const filter = (e: HubEvent) => (types === null || types.has(e.type)) && eventVisibleTo(e, principal);
    const sub = this.bus.subscribe({ filter, ...(options.lastEventId ? { after: options.lastEventId } : {}) }, (e) => write(eventFrame(e)));
    subscription = sub;
    if (closed) sub.close();
    if (!sub.resumed) {
      const reset: Omit<HubEvent, 'id'> = { type: 'reset', at: new Date().toISOString(), branch: null, data: { reason: 'the events since Last-Event-ID are no longer available' } };
      write(`event: reset\ndata: ${JSON.stringify({ id: '', ...reset })}\n\n`);
    }
    timers.push(setInterval(() => write(': hb\n\n'), this.o.heartbeatMs));
    if (options.reauth) {
      const reauth = options.reauth;
      timers.push(
        setInterval(() => {
          reauth().then(
            (ok) => void (ok || conn.close()),
            () => conn.close(),
          );
        }, this.o.reauthMs),
      );
    }
    for (const t of timers) t.unref();
  }

  /** Ends every stream (the hub is shutting down). */
  closeAll(): void {
    for (const c of [...this.conns]) c.close();
  }
}
