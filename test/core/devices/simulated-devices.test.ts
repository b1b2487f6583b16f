// The E2E devices helper (test/e2e/devices.ts): a kiosk started with its env sees the three
// simulated devices connected over real ptys, the UI learns about health changes by event, and an
// unplugged cable shows as disconnected, then connected again when it is back.
import { describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../../../contracts/device-config.ts';
import { allConnected, simulatedDevices, startKiosk, until } from './harness.ts';

describe('simulated devices in the running kiosk', () => {
  it('a kiosk started with the helper env reports the three devices connected', async () => {
    const devices = await simulatedDevices();
    const k = startKiosk(devices.env);
    await allConnected(k);
    const status = (await k.call('devices.status')) as DeviceHealth[];
    expect(status.map((d) => [d.kind, d.state])).toEqual([
      ['idcard', 'connected'],
      ['fingerprint', 'connected'],
      ['printer', 'connected'],
    ]);
    const info = await k.call('app.info');
    expect(info.features).toMatchObject({ devices: true, print: true });
    // the renderer heard about it: devices.health events carry every device's health
    const last = k.events.filter((e) => e.event === 'devices.health').at(-1)?.payload as DeviceHealth[];
    expect(last.every((d) => d.state === 'connected')).toBe(true);
  });

  it('without a devices config the kiosk has no devices and says so', async () => {
    const k = startKiosk({});
    expect(k.core.devices).toBeUndefined();
    expect(await k.code('devices.status')).toBe('not_available');
    expect((await k.call('app.info')).features).toMatchObject({ devices: false, print: false });
  });

  it('unplug (pty closed) → health disconnected, with an event; replug → connected again', async () => {
    const devices = await simulatedDevices();
    const k = startKiosk(devices.env);
    await allConnected(k);
    const printer = () => (k.core.devices!.health().find((d) => d.kind === 'printer'))!;
    const seen = k.events.length;

    await devices.unplug('printer');
    await until(() => printer().state === 'disconnected');
    expect(printer().error?.code).toBe('disconnected');
    const disconnectedEvent = k.events.slice(seen).find((e) => e.event === 'devices.health' && (e.payload as DeviceHealth[]).some((d) => d.kind === 'printer' && d.state === 'disconnected'));
    expect(disconnectedEvent).toBeDefined();
    // the other devices are not affected
    expect(k.core.devices!.health().filter((d) => d.kind !== 'printer').every((d) => d.state === 'connected')).toBe(true);
    // a receipt printed meanwhile is not printed (and says why) instead of failing
    k.core.service.session.start();
    k.core.service.receipts.add('T-UNPLUG', { template: 'ticket', qr: 'T-UNPLUG', data: { branchName: 'B', reference: 'T-UNPLUG', category: 'c', submittedAt: 'now' } });
    const res = await k.call('print.receipt', { reference: 'T-UNPLUG' });
    expect(res).toMatchObject({ printed: false, qr: 'T-UNPLUG' });

    await devices.replug('printer');
    await until(() => printer().state === 'connected', 15_000);
    expect(printer().error).toBeUndefined();
    expect(await k.call('print.receipt', { reference: 'T-UNPLUG' })).toEqual({ printed: true });
    expect(devices.printedText()).toContain('T-UNPLUG');
  });

  it('simulator control lines are routed by device name', async () => {
    const devices = await simulatedDevices();
    expect(devices.control('idcard insert li')).toMatch(/^ok/u);
    expect(devices.idcard.inserted).toBe('li');
    expect(devices.control('printer paper out')).toMatch(/^ok paper=out/u);
    expect(devices.control('scanner beep')).toMatch(/^error/u);
    expect(devices.control('printer')).toMatch(/^error/u);
  });
});
