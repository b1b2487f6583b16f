// The Electron transport of the kiosk API, main side: one ipcMain.handle channel whose calls are
// accepted only from the kiosk window's main frame showing our app:// page, then dispatched
// exactly like bridge calls (same schemas, same dispatcher). Events go to that window only.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { WireResult } from '../../contracts/kiosk-api.ts';
import type { Dispatcher } from '../../core/api/dispatcher.ts';
import type { KioskEventBus } from '../../core/api/events.ts';
import type { Logger } from '../../core/log/logger.ts';
import { IPC_CALL, IPC_EVENT, isAppUrl } from '../common/channels.ts';

export type SenderCheck = (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) => boolean;

/** Trusted: sent by the kiosk window's own webContents, from its main frame, on an app:// page. */
export function trustedSender(kioskContents: () => WebContents | undefined): SenderCheck {
  return (event) => {
    const wc = kioskContents();
    const frame = event.senderFrame;
    return !!wc && !wc.isDestroyed() && event.sender === wc && !!frame && frame === wc.mainFrame && isAppUrl(frame.url);
  };
}

export function registerKioskIpc(options: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatcher: Dispatcher;
  events: KioskEventBus;
  isTrusted: SenderCheck;
  target: () => WebContents | undefined;
  logger?: Logger;
}): () => void {
  const { ipcMain, dispatcher, events, isTrusted, logger } = options;
  ipcMain.handle(IPC_CALL, async (event, method: unknown, args: unknown): Promise<WireResult> => {
    if (!isTrusted(event)) {
      logger?.warn({ url: event.senderFrame?.url?.slice(0, 100) }, 'kiosk IPC call from an untrusted frame refused');
      return { ok: false, error: { code: 'unauthorized', message: 'calls are accepted from the kiosk page only' } };
    }
    return dispatcher.call(method, args);
  });
  const unsubscribe = events.subscribe((event, payload) => {
    const wc = options.target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT, event, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}
