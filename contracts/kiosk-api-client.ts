// The renderer's end of the kiosk API: a typed client over any transport that can carry
// `call(method, args) → WireResult` and events. The Electron preload and the browser-mode WebSocket
// bridge are two such transports; the client validates arguments before sending (a clear error in
// the renderer, without a round trip) — the core validates them again, because it trusts no one.
import {
  KIOSK_METHODS,
  KioskApiError,
  describeIssues,
  isKioskEvent,
  isKioskMethod,
  type KioskArgs,
  type KioskEvent,
  type KioskEventPayload,
  type KioskMethod,
  type KioskResult,
  type WireResult,
} from './kiosk-api.ts';

export interface KioskTransport {
  call(method: KioskMethod, args: unknown): Promise<WireResult>;
  /** Subscribes to one event; returns the unsubscribe function. */
  on(event: KioskEvent, listener: (payload: unknown) => void): () => void;
}

export interface KioskClient {
  call<M extends KioskMethod>(method: M, ...args: Record<never, never> extends KioskArgs<M> ? [args?: KioskArgs<M>] : [args: KioskArgs<M>]): Promise<KioskResult<M>>;
  on<E extends KioskEvent>(event: E, listener: (payload: KioskEventPayload<E>) => void): () => void;
}

export function createKioskClient(transport: KioskTransport): KioskClient {
  const client = {
    async call(method: KioskMethod, ...rest: unknown[]): Promise<unknown> {
      const args = rest[0] ?? {};
      if (!isKioskMethod(method)) throw new KioskApiError('unknown_method', `unknown kiosk API method '${String(method)}'`);
      const parsed = KIOSK_METHODS[method].args.safeParse(args);
      if (!parsed.success) {
        throw new KioskApiError('invalid_argument', `${method}: invalid arguments`, { issues: describeIssues(parsed.error) });
      }
      const result = await transport.call(method, args);
      if (result.ok) return result.value;
      throw new KioskApiError(result.error.code, result.error.message, { issues: result.error.issues, until: result.error.until });
    },
    on(event: KioskEvent, listener: (payload: never) => void): () => void {
      if (!isKioskEvent(event)) throw new KioskApiError('unknown_method', `unknown kiosk API event '${String(event)}'`);
      return transport.on(event, listener as (payload: unknown) => void);
    },
  };
  return client as KioskClient;
}

/** What the Electron preload puts on `window.kioskBridge` (contextBridge): nothing else. */
export interface KioskPreloadBridge {
  readonly apiVersion: number;
  call(method: string, args: unknown): Promise<WireResult>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export const PRELOAD_GLOBAL = 'kioskBridge';
