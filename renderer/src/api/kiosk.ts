// The one kiosk client of the renderer: Electron's preload bridge when present, else the browser
// mode WebSocket bridge. Stores call `kiosk().call('kb.search', …)`; nothing else talks to the core.
// Before the client and its schemas: zod must not probe eval under the CSP. main.ts imports it first
// too, but with screens split into chunks the bundler may run this module's chunk before main's code.
import '../zod-config.ts';
import { ref } from 'vue';
import { PRELOAD_GLOBAL, createKioskClient, type KioskClient } from '../../../contracts/kiosk-api-client.ts';
import { bridgeUrlFromLocation, createWsTransport } from './ws-transport.ts';

let client: KioskClient | undefined;
/** false while the bridge to the core is down (browser mode); the UI shows a banner. */
export const coreConnected = ref(true);

export function kiosk(): KioskClient {
  if (client) return client;
  const preload = window[PRELOAD_GLOBAL];
  client = createKioskClient(
    preload
      ? { call: (m, a) => preload.call(m, a), on: (e, l) => preload.on(e, l) }
      : createWsTransport({ url: bridgeUrlFromLocation(window.location), onState: (up) => (coreConnected.value = up) }),
  );
  return client;
}

/** Tests inject a client over a fake transport. */
export function setKioskClient(c: KioskClient | undefined): void {
  client = c;
}
