// A faithful fake of the few Electron APIs the shell uses, for plain-Node tests:
//  - ipcMain.handle / ipcRenderer.invoke: one handler per channel (a second registration throws, as
//    in Electron), arguments and results pass through structuredClone (Electron's IPC uses the
//    structured clone algorithm: functions and DOM nodes fail to send), a throwing handler rejects
//    the invoke with "Error invoking remote method '<channel>': <error>".
//  - webContents.send / ipcRenderer.on: cloned payloads, an IpcRendererEvent-like first argument.
//  - contextBridge.exposeInMainWorld: records what the page would see.
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';

export interface FakeFrame {
  url: string;
}

type Handler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export interface FakeInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeFrame | null;
}

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly mainFrame: FakeFrame;
  destroyed = false;
  /** What the renderer side of this webContents receives. */
  readonly renderer: FakeIpcRenderer;

  constructor(
    readonly ipcMain: FakeIpcMain,
    url: string,
  ) {
    super();
    this.mainFrame = { url };
    this.renderer = new FakeIpcRenderer(this);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    queueMicrotask(() => this.renderer.deliver(channel, cloned));
  }
}

export class FakeIpcRenderer {
  private readonly listeners = new Map<string, Set<(event: object, ...args: unknown[]) => void>>();
  /** Which frame of the webContents invokes (tests switch it to a sub-frame). */
  frame: FakeFrame | null;

  constructor(private readonly contents: FakeWebContents) {
    this.frame = contents.mainFrame;
  }

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.contents.ipcMain.handlers.get(channel);
    const cloned = structuredClone(args);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return structuredClone(await handler({ sender: this.contents, senderFrame: this.frame }, ...cloned));
    } catch (err) {
      throw new Error(`Error invoking remote method '${channel}': ${String(err)}`, { cause: err });
    }
  }

  on(channel: string, listener: (event: object, ...args: unknown[]) => void): this {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeListener(channel: string, listener: (event: object, ...args: unknown[]) => void): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  deliver(channel: string, args: unknown[]): void {
    const event = { sender: this, senderId: 0, ports: [] };
    for (const l of this.listeners.get(channel) ?? []) l(event, ...args);
  }
}

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();

  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    this.exposed.set(key, api);
  }
}

// ---- the rest of the main-process surface the shell touches --------------------------------

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** webContents with the event and handler surface the shell uses. */
export class FakeKioskContents extends FakeWebContents {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  zoomLimits: [number, number] | undefined;
  reloads = 0;
  insertedCss: string[] = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.zoomLimits = [min, max];
    return Promise.resolve();
  }
  reload(): void {
    this.reloads++;
  }
  insertCSS(css: string): Promise<string> {
    this.insertedCss.push(css);
    return Promise.resolve('key');
  }
  /** Emits like Electron: returns the event so tests can see whether it was prevented. */
  fire(name: string, ...args: unknown[]): FakeEvent {
    const event = args[0] instanceof FakeEvent ? (args.shift() as FakeEvent) : new FakeEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

export class FakeSession extends EventEmitter {
  permissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details: unknown) => void) | undefined;
  permissionCheck: ((...args: unknown[]) => boolean) | undefined;
  devicePermission: ((...args: unknown[]) => boolean) | undefined;
  displayMedia: ((request: unknown, cb: (streams: object) => void) => void) | undefined;
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      if (this.protocolHandlers.has(scheme)) throw new Error(`scheme ${scheme} already handled`);
      this.protocolHandlers.set(scheme, handler);
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequest']): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']): void {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermission']): void {
    this.devicePermission = h;
  }
  setDisplayMediaRequestHandler(h: FakeSession['displayMedia']): void {
    this.displayMedia = h;
  }
}

export function createFakeElectron(options: { version?: string; userData: string; otherInstanceRunning?: boolean }) {
  const calls: string[] = [];
  const ipcMain = new FakeIpcMain();
  const windows: FakeBrowserWindow[] = [];
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents: FakeKioskContents;
    shown = false;
    kiosk: boolean;
    fullScreen: boolean;
    loaded: string[] = [];
    destroyed = false;
    focused = 0;
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      calls.push('BrowserWindow');
      this.kiosk = !!options.kiosk;
      this.fullScreen = !!options.fullscreen;
      this.webContents = new FakeKioskContents(ipcMain, 'about:blank');
      windows.push(this);
    }
    async loadURL(url: string): Promise<void> {
      calls.push(`loadURL ${url}`);
      this.loaded.push(url);
      (this.webContents.mainFrame as { url: string }).url = url;
      queueMicrotask(() => this.emit('ready-to-show'));
    }
    show(): void {
      this.shown = true;
    }
    setKiosk(v: boolean): void {
      this.kiosk = v;
    }
    setFullScreen(v: boolean): void {
      this.fullScreen = v;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {
      this.focused++;
    }
  }

  const app = Object.assign(new EventEmitter(), {
    relaunches: 0,
    exits: [] as number[],
    quits: 0,
    sandboxed: false,
    enableSandbox() {
      calls.push('enableSandbox');
      app.sandboxed = true;
    },
    requestSingleInstanceLock() {
      calls.push('requestSingleInstanceLock');
      return !options.otherInstanceRunning;
    },
    quit() {
      app.quits++;
    },
    whenReady() {
      return readyPromise;
    },
    getVersion() {
      return options.version ?? '1.0.0';
    },
    getPath(name: string) {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return options.userData;
    },
    relaunch() {
      app.relaunches++;
    },
    exit(code = 0) {
      app.exits.push(code);
    },
  });

  const session = { defaultSession: new FakeSession() };
  const electron = {
    app,
    ipcMain,
    BrowserWindow: FakeBrowserWindow,
    session,
    protocol: {
      privileged: [] as Electron.CustomScheme[],
      registerSchemesAsPrivileged(schemes: Electron.CustomScheme[]) {
        calls.push('registerSchemesAsPrivileged');
        electron.protocol.privileged.push(...schemes);
      },
    },
    powerSaveBlocker: {
      started: [] as string[],
      start(type: string) {
        electron.powerSaveBlocker.started.push(type);
        return 1;
      },
    },
    Menu: {
      menu: 'default' as unknown,
      setApplicationMenu(menu: unknown) {
        electron.Menu.menu = menu;
      },
    },
  };
  return { electron, calls, windows, ready: () => ready(), ipcMain };
}
