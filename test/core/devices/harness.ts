// Kiosk cores with real devices for these tests: the simulators on socat pty pairs
// (test/e2e/devices.ts), a kiosk core on a real SQLite file reading KIOSK_DEVICES_CONFIG, and the
// events it sends to the renderer. Everything is torn down after each test.
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { KioskEvent, KioskMethod } from '../../../contracts/kiosk-api.ts';
import { openKioskCore, type KioskCore, type KioskCoreOptions } from '../../../core/kiosk-core.ts';
import { startSimulatedDevices, type TestDevices } from '../../e2e/devices.ts';
import { tempDir } from '../../helpers/tmp.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});
export const onCleanup = (fn: () => Promise<unknown>): void => void cleanups.push(fn);

export async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function simulatedDevices(options: { card?: string } = {}): Promise<TestDevices> {
  const devices = await startSimulatedDevices(join(tempDir(), 'devices'), options);
  onCleanup(() => devices.stop());
  return devices;
}

export interface TestKiosk {
  core: KioskCore;
  dir: string;
  events: Array<{ event: KioskEvent; payload: unknown }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are checked by the dispatcher; tests read fields freely
  call(method: KioskMethod, args?: unknown): Promise<any>;
  /** Like call, but resolves with the error code (or 'ok'). */
  code(method: KioskMethod, args?: unknown): Promise<string>;
}

export function startKiosk(env: Record<string, string>, options: Partial<KioskCoreOptions> = {}): TestKiosk {
  const dir = tempDir();
  const core = openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: join(dir, 'logs'), autoSync: false, env: { KIOSK_STAFF_PIN: '135790', ...env }, ...options });
  onCleanup(() => core.close());
  const events: TestKiosk['events'] = [];
  core.service.events.subscribe((event, payload) => events.push({ event, payload }));
  const call = async (method: KioskMethod, args: unknown = {}) => {
    const r = await core.service.dispatcher.call(method, args);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value;
  };
  return {
    core,
    dir,
    events,
    call,
    code: async (method, args = {}) => {
      const r = await core.service.dispatcher.call(method, args);
      return r.ok ? 'ok' : r.error.code;
    },
  };
}

/** Waits until devices.status shows every device connected and without error. */
export async function allConnected(k: TestKiosk, count = 3): Promise<void> {
  const ok = () => {
    const h = k.core.devices!.health();
    return h.length === count && h.every((d) => d.state === 'connected' && !d.error);
  };
  await until(ok, 15_000);
}
