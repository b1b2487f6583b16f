// Browser mode's transport: the loopback WebSocket bridge. The launch secret comes in the page
// URL's fragment (#k=…), which is never sent to a server. Calls made while the socket is
// (re)connecting wait for it; a call in flight when the socket drops fails with `disconnected`.
import { BRIDGE_PATH, isKioskEvent, type BridgeMessage, type KioskEvent, type KioskMethod, type WireResult } from '../../../contracts/kiosk-api.ts';
import type { KioskTransport } from '../../../contracts/kiosk-api-client.ts';

export interface WsTransportOptions {
  url: string;
  /** Reconnect delays grow to this (ms). */
  maxDelayMs?: number;
  onState?: (connected: boolean) => void;
}

export function bridgeUrlFromLocation(loc: Location): string {
  const secret = new URLSearchParams(loc.hash.replace(/^#/, '')).get('k') ?? '';
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${BRIDGE_PATH}?k=${encodeURIComponent(secret)}`;
}

export function createWsTransport(options: WsTransportOptions): KioskTransport & { close(): void } {
  const pending = new Map<number, (r: WireResult) => void>();
  const listeners = new Map<KioskEvent, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let ws: WebSocket | undefined;
  let open: Promise<WebSocket> | undefined;
  let attempt = 0;
  let closed = false;

  const connect = (): Promise<WebSocket> => {
    if (open) return open;
    open = new Promise<WebSocket>((resolve) => {
      const socket = new WebSocket(options.url);
      socket.onopen = () => {
        attempt = 0;
        ws = socket;
        options.onState?.(true);
        resolve(socket);
      };
      socket.onmessage = (e: MessageEvent<string>) => {
        let m: BridgeMessage;
        try {
          m = JSON.parse(e.data) as BridgeMessage;
        } catch {
          return;
        }
        if (m.t === 'result') {
          pending.get(m.id)?.(m.result);
          pending.delete(m.id);
        } else if (m.t === 'event' && isKioskEvent(m.event)) {
          for (const l of listeners.get(m.event) ?? []) l(m.payload);
        }
      };
      socket.onclose = () => {
        ws = undefined;
        open = undefined;
        options.onState?.(false);
        for (const [id, settle] of pending) {
          settle({ ok: false, error: { code: 'disconnected', message: 'the connection to the kiosk core was lost' } });
          pending.delete(id);
        }
        if (closed) return;
        const delay = Math.min(options.maxDelayMs ?? 5000, 200 * 2 ** attempt++);
        setTimeout(() => void connect().then(resolve), delay);
      };
    });
    return open;
  };

  return {
    async call(method: KioskMethod, args: unknown): Promise<WireResult> {
      const socket = ws ?? (await connect());
      const id = nextId++;
      return new Promise<WireResult>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ t: 'call', id, method, args }));
      });
    },
    on(event, listener) {
      void connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {
      closed = true;
      ws?.close();
    },
  };
}
