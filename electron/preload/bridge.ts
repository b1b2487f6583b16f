// The preload's narrow API for the renderer: `call` and `on`, methods and events checked against
// the contract before anything reaches IPC, the IpcRendererEvent never handed to page code, and
// no ipcRenderer, channel name or Node object exposed.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { KIOSK_API_VERSION, isKioskEvent, isKioskMethod, type KioskEvent, type WireResult } from '../../contracts/kiosk-api.ts';
import type { KioskPreloadBridge } from '../../contracts/kiosk-api-client.ts';
import { IPC_CALL, IPC_EVENT } from '../common/channels.ts';

export function createPreloadBridge(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on'>): KioskPreloadBridge {
  const listeners = new Map<KioskEvent, Set<(payload: unknown) => void>>();
  ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (!isKioskEvent(name)) return;
    for (const l of listeners.get(name) ?? []) l(payload);
  });
  const bridge: KioskPreloadBridge = {
    apiVersion: KIOSK_API_VERSION,
    async call(method: string, args: unknown): Promise<WireResult> {
      if (!isKioskMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `unknown kiosk API method '${String(method).slice(0, 64)}'` } };
      try {
        return (await ipcRenderer.invoke(IPC_CALL, method, args)) as WireResult;
      } catch {
        // Arguments that cannot be cloned (functions, DOM nodes) or a main process going away.
        return { ok: false, error: { code: 'invalid_argument', message: `${method}: arguments could not be sent` } };
      }
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!isKioskEvent(event)) throw new Error(`unknown kiosk API event '${String(event).slice(0, 64)}'`);
      if (typeof listener !== 'function') throw new Error('listener must be a function');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
  return Object.freeze(bridge);
}
