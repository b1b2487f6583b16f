// Real parts for driver tests: socat pty pairs, simulators on one end, the real serialport on the
// other. Everything started is registered and torn down in afterEach, socat included.
import { afterEach } from 'vitest';
import { createPtyPair, type PtyPair } from '../../native/simulators/pty-pair.ts';
import { SerialHost, type SerialHostOptions } from '../../native/simulators/host.ts';
import type { SimulatorEngine } from '../../native/simulators/engine.ts';
import { SerialTransport } from '../../native/transports/serial.ts';

const cleanups: (() => Promise<unknown>)[] = [];

export function onCleanup(fn: () => Promise<unknown>): void {
  cleanups.push(fn);
}

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

export async function ptyPair(options?: Parameters<typeof createPtyPair>[0]): Promise<PtyPair> {
  const pair = await createPtyPair(options);
  onCleanup(() => pair.close('SIGKILL'));
  return pair;
}

export async function simulatorOnPty(engine: SimulatorEngine, options: Omit<SerialHostOptions, 'path'> = {}): Promise<{ pair: PtyPair; host: SerialHost }> {
  const pair = await ptyPair();
  const host = await SerialHost.start(engine, { ...options, path: pair.b });
  onCleanup(() => host.close());
  return { pair, host };
}

export async function openSerial(path: string, baud: number): Promise<SerialTransport> {
  const t = await SerialTransport.open(path, baud);
  onCleanup(() => t.close());
  return t;
}

export async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
