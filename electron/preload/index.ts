// Preload (sandboxed): exposes window.kioskBridge and nothing else.
import './zod-config.ts';
import { contextBridge, ipcRenderer } from 'electron';
import { PRELOAD_GLOBAL } from '../../contracts/kiosk-api-client.ts';
import { createPreloadBridge } from './bridge.ts';

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, createPreloadBridge(ipcRenderer));
