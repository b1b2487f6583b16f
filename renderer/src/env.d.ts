/// <reference types="vite/client" />
import type { KioskPreloadBridge } from '../../contracts/kiosk-api-client.ts';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Present in Electron only (preload, contextBridge). */
    kioskBridge?: KioskPreloadBridge;
  }
}
