// What only the shell can do (Electron main, or the browser-mode launcher), handed to the core: the
// staff panel's restart, reboot and exit, central IT's restart command, and the renderer's heartbeat.
export interface HostActions {
  restartApp(): void;
  /** Runs the configured reboot argv; absent when none is configured. */
  reboot?: () => Promise<void>;
  exitKiosk?: () => void;
  /** The renderer's watchdog heartbeat (Electron main checks it; browser mode ignores it). */
  heartbeat?: (at: number) => void;
}
