// Browser mode: the kiosk core + the loopback bridge + a static server for the built renderer,
// then Chromium --kiosk --app=… (unless --no-launch). Chromium exiting is a crash: it is relaunched
// by the same recovery policy Electron uses, and a crash loop stops the relaunching.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openKioskCore, type KioskCore } from '../kiosk-core.ts';
import { FileRelaunchHistory, RecoveryPolicy } from '../shell/recovery.ts';
import type { HostActions } from '../shell/host-actions.ts';
import { startBridgeServer, type BridgeServer } from '../bridge/server.ts';
import { loadDevicesConfig } from '../devices/config.ts';
import { startSimulatedDevices, type SimulatedDevices } from '../devices/simulated.ts';
import { dataDir } from '../db/paths.ts';
import { rebootArgv, rebootCommand } from '../staff/reboot.ts';
import { RENDERER_OUT, ensureRendererBuilt } from './build.ts';
import { chromiumKioskArgs, findChromium, launchChromium } from './chromium.ts';

export interface BrowserModeOptions {
  port?: number;
  dbPath?: string;
  launch?: boolean;
  rebuild?: boolean;
  chromium?: string;
  /** false: a normal window instead of --kiosk (development). */
  kiosk?: boolean;
  env?: NodeJS.ProcessEnv;
  staticRoot?: string;
  log?: (line: string) => void;
  /** What "restart the app" does; default: exit with code 75 so the service manager restarts us. */
  onRestart?: () => void;
  /** Devices config file (default: $KIOSK_DEVICES_CONFIG). */
  devicesConfig?: string;
  /** Start the three device simulators on socat pty pairs and use them (development, demos). */
  simulateDevices?: boolean;
}

export interface BrowserMode {
  core: KioskCore;
  bridge: BridgeServer;
  url: string;
  /** The simulators, with --simulate-devices. */
  simulated: SimulatedDevices | undefined;
  stop(): Promise<void>;
}

export async function startBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  const env = options.env ?? process.env;
  const say = options.log ?? (() => {});
  const staticRoot = options.staticRoot ?? RENDERER_OUT;
  // Devices before the (slow) renderer build: a bad devices file or a missing socat fails at once.
  let devicesConfig = options.devicesConfig;
  let simulated: SimulatedDevices | undefined;
  if (options.simulateDevices) {
    if (devicesConfig) throw new Error('use either a devices config file or simulated devices, not both');
    const dir = join(dataDir(env), 'simulated-devices');
    rmSync(dir, { recursive: true, force: true }); // pty links left by a killed run
    simulated = await startSimulatedDevices(dir);
    devicesConfig = simulated.configPath;
  } else if (devicesConfig) loadDevicesConfig(devicesConfig);

  let chromium: ChildProcess | undefined;
  let stopping = false;
  const host: HostActions = {
    restartApp: () => setTimeout(() => (options.onRestart ?? (() => process.exit(75)))(), 200).unref(),
    reboot: rebootCommand(rebootArgv(env)),
  };
  let core: KioskCore;
  try {
    if (!options.staticRoot) await ensureRendererBuilt({ force: options.rebuild, onBuild: () => say('building the renderer (first start or sources changed)…') });
    core = openKioskCore({ mode: 'browser', dbPath: options.dbPath, env, host, ...(devicesConfig ? { devicesConfig } : {}) });
  } catch (err) {
    await simulated?.stop(); // no socat left behind
    throw err;
  }
  const bridge = await startBridgeServer({ dispatcher: core.service.dispatcher, events: core.service.events, staticRoot, port: options.port, logger: core.log.logger });

  const recovery = new RecoveryPolicy({}, new FileRelaunchHistory(join(dataDir(env), 'browser-relaunches.json')));
  const launch = () => {
    const exe = findChromium(env, options.chromium);
    if (!exe) {
      say('no Chromium found (set KIOSK_CHROMIUM or use --no-launch); open the URL above yourself');
      return;
    }
    chromium = launchChromium(exe, chromiumKioskArgs(bridge.pageUrl, { userDataDir: join(dataDir(env), 'chromium-profile'), kiosk: options.kiosk }));
    chromium.on('exit', (code, signal) => {
      chromium = undefined;
      if (stopping) return;
      core.service.session.end('restart');
      const decision = recovery.onFailure('child-exit');
      core.log.logger.warn({ code, signal, decision: decision.action }, 'chromium exited');
      if (decision.action === 'give-up') say(`chromium keeps exiting (${decision.reason}); not relaunching`);
      else setTimeout(launch, decision.action === 'reload' ? decision.delayMs : 0).unref();
    });
  };
  if (options.launch !== false) launch();

  return {
    core,
    bridge,
    url: bridge.pageUrl,
    simulated,
    async stop() {
      stopping = true;
      chromium?.kill('SIGTERM');
      await bridge.close();
      await core.close();
      await simulated?.stop();
    },
  };
}
