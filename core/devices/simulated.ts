// Simulated devices for development, the README demo and E2E: the three simulators of
// native/simulators on socat pty pairs (real ttys, opened by the real serialport on both ends),
// plus the devices config file that points the kiosk at them. The engines stay in this process,
// so a caller can insert a card, run the printer out of paper or read what was printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevicesConfig } from '../../contracts/device-config.ts';
import type { SimulatorEngine } from '../../native/simulators/engine.ts';
import { FingerprintSimulator } from '../../native/simulators/fingerprint.ts';
import { SerialHost } from '../../native/simulators/host.ts';
import { IdCardSimulator } from '../../native/simulators/idcard.ts';
import { PrinterSimulator } from '../../native/simulators/printer.ts';
import { createPtyPair, type PtyPair } from '../../native/simulators/pty-pair.ts';

export type SimulatedKind = 'idcard' | 'fingerprint' | 'printer';
export const SIMULATED_KINDS: readonly SimulatedKind[] = ['idcard', 'fingerprint', 'printer'];

const BAUD: Record<SimulatedKind, number> = { idcard: 115200, fingerprint: 57600, printer: 9600 };

export class SimulatedDevicesError extends Error {
  override name = 'SimulatedDevicesError';
}

interface Wire {
  pair: PtyPair;
  host: SerialHost;
}

export interface SimulatedDevices {
  /** The devices config file written for the kiosk (KIOSK_DEVICES_CONFIG / --devices). */
  configPath: string;
  config: DevicesConfig;
  idcard: IdCardSimulator;
  fingerprint: FingerprintSimulator;
  printer: PrinterSimulator;
  /** Pulls the device's cable: socat dies, both pty ends vanish. */
  unplug(kind: SimulatedKind): Promise<void>;
  /** Puts it back on the same paths (the kiosk's device manager reconnects on its own). */
  replug(kind: SimulatedKind): Promise<void>;
  /** "<device> <command>" (e.g. "idcard insert zhang", "printer paper out") → the answer line. */
  control(line: string): string;
  /** What `control` accepts, for the operator's console. */
  help(): string[];
  stop(): Promise<void>;
}

/** Starts the three simulators on pty pairs in `dir` and writes `dir/devices.json`. */
export async function startSimulatedDevices(dir: string, options: { card?: string } = {}): Promise<SimulatedDevices> {
  mkdirSync(dir, { recursive: true });
  const engines = { idcard: new IdCardSimulator(options.card), fingerprint: new FingerprintSimulator(), printer: new PrinterSimulator() };
  const wires = new Map<SimulatedKind, Wire>();
  const names = (kind: SimulatedKind): [string, string] => [`${kind}-kiosk`, `${kind}-device`];

  const plug = async (kind: SimulatedKind): Promise<void> => {
    let pair: PtyPair;
    try {
      pair = await createPtyPair({ dir, names: names(kind) });
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new SimulatedDevicesError(code === 'socat-missing'
        ? 'simulated devices need socat (apt-get install socat): it was not found'
        : `could not create a pty pair for the ${kind} simulator: ${(err as Error).message}`);
    }
    // persistent: after an unplug the simulator side reopens its path when it comes back
    const host = await SerialHost.start(engines[kind] as SimulatorEngine, { path: pair.b, baudRate: BAUD[kind], persistent: true }).catch(async (err: Error) => {
      await pair.close();
      throw new SimulatedDevicesError(`could not open the ${kind} simulator's pty: ${err.message}`);
    });
    wires.set(kind, { pair, host });
  };

  const stop = async (): Promise<void> => {
    for (const w of wires.values()) {
      await w.host.close().catch(() => undefined);
      await w.pair.close().catch(() => undefined);
    }
    wires.clear();
  };

  try {
    for (const kind of SIMULATED_KINDS) await plug(kind);
  } catch (err) {
    await stop();
    throw err;
  }

  const path = (kind: SimulatedKind): string => join(dir, names(kind)[0]);
  const config: DevicesConfig = {
    devices: [
      { id: 'card-reader', kind: 'idcard', port: path('idcard'), baudRate: BAUD.idcard, pollMs: 100 },
      { id: 'fingerprint', kind: 'fingerprint', port: path('fingerprint'), baudRate: BAUD.fingerprint, password: 0, address: 0xffffffff, matchThreshold: 50 },
      { id: 'printer', kind: 'printer', url: path('printer'), baudRate: BAUD.printer, width: 32, statusPollMs: 2000 },
    ],
    // fast reconnects: a demo or test replug should show "connected" again within a second or two
    reconnect: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
  };
  const configPath = join(dir, 'devices.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');

  const control = (line: string): string => {
    const m = /^\s*(\S+)\s*(.*)$/u.exec(line);
    const kind = m?.[1]?.toLowerCase();
    if (!m || !kind || !(SIMULATED_KINDS as readonly string[]).includes(kind)) return `error start with the device: ${SIMULATED_KINDS.join(', ')} (try: help)`;
    if (!m[2]) return `error what should the ${kind} do? (try: help)`;
    return engines[kind as SimulatedKind].control(m[2]);
  };

  return {
    configPath,
    config,
    ...engines,
    async unplug(kind) {
      const w = wires.get(kind);
      if (!w) return;
      wires.delete(kind);
      await w.pair.close('SIGKILL');
      await w.host.close().catch(() => undefined);
    },
    async replug(kind) {
      if (wires.has(kind)) return;
      await plug(kind);
    },
    control,
    help: () => SIMULATED_KINDS.flatMap((k) => engines[k].help().map((h) => `${k} ${h}`)),
    stop,
  };
}
