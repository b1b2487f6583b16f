// The real thing as E2E tests start it: `kiosk browser --no-launch` as a child process with the
// devices helper's env (test/e2e/util.ts startBrowserMode), asked over its loopback bridge like the
// renderer asks: the three simulated devices are connected, and a card read by staff comes back
// masked.
import { describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../../../contracts/device-config.ts';
import { wsTransport } from '../api/harness.ts';
import { startBrowserMode, STAFF_PIN } from '../../e2e/util.ts';
import { onCleanup, simulatedDevices } from './harness.ts';

describe('kiosk browser with KIOSK_DEVICES_CONFIG (child process)', () => {
  it('reports the three simulated devices connected over the bridge', async () => {
    const devices = await simulatedDevices({ card: 'li' });
    const mode = await startBrowserMode(devices.env);
    onCleanup(() => mode.stop());
    const page = new URL(mode.url);
    const secret = page.hash.replace(/^#k=/u, '');
    const t = await wsTransport(`ws://${page.host}/bridge?k=${secret}`, page.origin);
    onCleanup(async () => t.close());

    let health: DeviceHealth[] = [];
    for (let i = 0; i < 300 && !(health.length === 3 && health.every((d) => d.state === 'connected')); i++) {
      const r = await t.call('devices.status', {});
      if (r.ok) health = r.value as DeviceHealth[];
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(health.map((d) => `${d.kind}:${d.state}`)).toEqual(['idcard:connected', 'fingerprint:connected', 'printer:connected']);

    expect(await t.call('staff.unlock', { pin: STAFF_PIN })).toMatchObject({ ok: true });
    expect(await t.call('staff.testCardRead', {})).toEqual({ ok: true, value: { displayName: '李*', maskedId: '3101**********4562', method: 'idcard' } });
  });
});
