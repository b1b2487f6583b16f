// A demo-seeded hub process for customer flows (identify, orders, queue): one kiosk token, the demo
// customers and their orders, and the request log kept so a test can read the demo SMS codes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli, startHubProcess } from '../hub/harness.ts';
import { startSimulatedDevices, type TestDevices } from './devices.ts';
import { tempDirKept } from './util.ts';

export interface DemoHub {
  url: string;
  token: string;
  db: string;
  /** The last SMS code the demo sender logged for a masked phone (138****8003). */
  smsCode(maskedPhone: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startDemoHub(dir: string, kioskId = 'lobby-1'): Promise<DemoHub> {
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'hub.db');
  const add = await runCli('hub', ['kiosk', 'add', kioskId, '--db', db]);
  if (add.code !== 0) throw new Error(`hub kiosk add: ${add.stderr}`);
  const seed = await runCli('hub', ['demo', 'seed', '--db', db]);
  if (seed.code !== 0) throw new Error(`hub demo seed: ${seed.stderr}`);
  const hub = await startHubProcess(['--db', db], { quiet: false });
  return {
    url: hub.url,
    token: add.stdout.trim(),
    db,
    smsCode: async (masked) => (await hub.waitForOutput(new RegExp(`sms code (\\d{4,8}) for ${masked.replace(/\*/g, '\\*')}`), 'SMS code'))[1]!,
    stop: hub.stop,
  };
}

/**
 * The real parts a customer-flow E2E file needs, for the whole file: a demo hub process and the
 * three device simulators on pty pairs. Call BEFORE kioskForTests(rig.env), so the kiosk starts with
 * both known (hooks run in the order they were registered).
 */
export function customerRig(): { env: Record<string, string>; readonly hub: DemoHub; readonly devices: TestDevices } {
  const dir = tempDirKept();
  const env: Record<string, string> = {};
  let hub: DemoHub | undefined;
  let devices: TestDevices | undefined;
  beforeAll(async () => {
    hub = await startDemoHub(join(dir, 'hub'));
    devices = await startSimulatedDevices(join(dir, 'devices'));
    Object.assign(env, { KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: hub.token, ...devices.env });
  });
  afterAll(async () => {
    await devices?.stop();
    await hub?.stop();
  });
  return {
    env,
    get hub() {
      if (!hub) throw new Error('the demo hub is not started (use it inside tests)');
      return hub;
    },
    get devices() {
      if (!devices) throw new Error('the device simulators are not started (use them inside tests)');
      return devices;
    },
  };
}
