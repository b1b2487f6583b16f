// A kiosk core on a real SQLite file (seeded with the starter KB), reachable through either
// transport: the browser-mode WebSocket bridge over loopback, or Electron IPC (main's handler and
// the preload bridge over the faithful fake of ipcMain/ipcRenderer/contextBridge).
import { join } from 'node:path';
import WebSocket from 'ws';
import type { KioskEvent, KioskMethod, WireResult } from '../../../contracts/kiosk-api.ts';
import { createKioskClient, type KioskClient, type KioskTransport } from '../../../contracts/kiosk-api-client.ts';
import { openKioskCore, type KioskCore } from '../../../core/kiosk-core.ts';
import type { HostActions } from '../../../core/shell/host-actions.ts';
import { startBridgeServer } from '../../../core/bridge/server.ts';
import { APP_ENTRY } from '../../../electron/common/channels.ts';
import { registerKioskIpc, trustedSender } from '../../../electron/main/ipc.ts';
import { createPreloadBridge } from '../../../electron/preload/bridge.ts';
import { FakeContextBridge, FakeIpcMain, FakeWebContents } from '../../electron/fake-electron.ts';
import type { WebContents } from 'electron';

export const STAFF_PIN = '246810';

export interface Connected {
  core: KioskCore;
  client: KioskClient;
  /** The transport without the client's own validation: what a hostile page could send. */
  raw: (method: string, args: unknown) => Promise<WireResult>;
  host: HostActions & { restarts: number };
  close(): Promise<void>;
}

export function makeCore(dir: string, env: NodeJS.ProcessEnv = { KIOSK_STAFF_PIN: STAFF_PIN }) {
  const host = {
    restarts: 0,
    restartApp() {
      host.restarts++;
    },
  };
  const core = openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: join(dir, 'logs'), env, host });
  return { core, host };
}

/** A minimal Node client for the bridge (what the renderer's ws-transport does, in Node). */
export async function wsTransport(url: string, origin: string): Promise<KioskTransport & { raw: (method: string, args: unknown) => Promise<WireResult>; close(): void; socket: WebSocket }> {
  const socket = new WebSocket(url, { origin });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let id = 1;
  const pending = new Map<number, (r: WireResult) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  socket.on('message', (data) => {
    const m = JSON.parse(String(data)) as { t: string; id: number; result: WireResult; event: string; payload: unknown };
    if (m.t === 'result') pending.get(m.id)?.(m.result);
    if (m.t === 'event') for (const l of listeners.get(m.event) ?? []) l(m.payload);
  });
  const raw = (method: string, args: unknown) =>
    new Promise<WireResult>((resolve) => {
      const n = id++;
      pending.set(n, resolve);
      socket.send(JSON.stringify({ t: 'call', id: n, method, args }));
    });
  return {
    socket,
    raw,
    call: (m: KioskMethod, a: unknown) => raw(m, a),
    on(event: KioskEvent, l: (p: unknown) => void) {
      let s = listeners.get(event);
      if (!s) listeners.set(event, (s = new Set()));
      s.add(l);
      return () => s.delete(l);
    },
    close: () => socket.close(),
  };
}

export async function connectViaBridge(dir: string): Promise<Connected> {
  const { core, host } = makeCore(dir);
  const bridge = await startBridgeServer({ dispatcher: core.service.dispatcher, events: core.service.events });
  const t = await wsTransport(`ws://127.0.0.1:${bridge.port}/bridge?k=${bridge.secret}`, bridge.origin);
  return {
    core,
    host,
    client: createKioskClient(t),
    raw: t.raw,
    async close() {
      t.close();
      await bridge.close();
      await core.close();
    },
  };
}

export async function connectViaIpc(dir: string): Promise<Connected & { contents: FakeWebContents; ipcMain: FakeIpcMain }> {
  const { core, host } = makeCore(dir);
  const ipcMain = new FakeIpcMain();
  const contents = new FakeWebContents(ipcMain, APP_ENTRY);
  const asWc = () => contents as unknown as WebContents;
  const unregister = registerKioskIpc({
    ipcMain: ipcMain as never,
    dispatcher: core.service.dispatcher,
    events: core.service.events,
    isTrusted: trustedSender(asWc) as never,
    target: asWc,
  });
  const contextBridge = new FakeContextBridge();
  contextBridge.exposeInMainWorld('kioskBridge', createPreloadBridge(contents.renderer as never));
  const bridge = contextBridge.exposed.get('kioskBridge') as ReturnType<typeof createPreloadBridge>;
  return {
    core,
    host,
    contents,
    ipcMain,
    client: createKioskClient({ call: (m, a) => bridge.call(m, a), on: (e, l) => bridge.on(e, l) }),
    // Straight into ipcRenderer.invoke: skips the preload's own checks too.
    raw: (method, args) => contents.renderer.invoke('kiosk:call', method, args) as Promise<WireResult>,
    async close() {
      unregister();
      await core.close();
    },
  };
}

/** Calls the core's dispatcher as a transport would; a refusal throws an Error carrying its code. */
export async function callCore<T = Record<string, unknown> & Array<Record<string, unknown>>>(core: KioskCore, method: KioskMethod, args: unknown = {}): Promise<T> {
  const r = await core.service.dispatcher.call(method, args);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}
