// Device manager over real transports: printer health from status polling, fingerprint handshake,
// open failures with backoff, config validation, HID scans via an injected device.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DevicesConfig, type DeviceHealth } from '../../../contracts/device-config.ts';
import { DeviceManager } from '../../../native/manager/device-manager.ts';
import type { FingerprintSensor } from '../../../native/drivers/fingerprint.ts';
import type { ReceiptPrinter } from '../../../native/drivers/printer.ts';
import { TcpHost } from '../../../native/simulators/host.ts';
import { PrinterSimulator } from '../../../native/simulators/printer.ts';
import { FingerprintSimulator } from '../../../native/simulators/fingerprint.ts';
import { onCleanup, simulatorOnPty, until } from '../fixtures.ts';

const policy = { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 };

function manage(devices: unknown[], deps: ConstructorParameters<typeof DeviceManager>[1] = {}) {
  const m = new DeviceManager(DevicesConfig.parse({ devices, reconnect: policy }), { timeoutMs: 200, ...deps });
  onCleanup(() => m.stop());
  const events: DeviceHealth[] = [];
  m.on('health', (h: DeviceHealth) => events.push(h));
  m.start();
  return { m, events };
}

describe('config', () => {
  it('validates and applies defaults; rejects duplicates and bad entries clearly', () => {
    const c = DevicesConfig.parse({ devices: [{ id: 'reader', kind: 'idcard', port: '/dev/ttyUSB0' }, { id: 'scan', kind: 'hid', vendorId: '0x0c2e', productId: '0b61' }] });
    expect(c.devices[0]).toMatchObject({ baudRate: 115200, pollMs: 300 });
    expect(c.devices[1]).toMatchObject({ vendorId: 0x0c2e, productId: 0x0b61, format: 'boot-keyboard' });
    expect(c.reconnect.initialMs).toBe(500);
    expect(DevicesConfig.safeParse({ devices: [{ id: 'a', kind: 'printer', url: 'tcp://x:1' }, { id: 'a', kind: 'printer', url: 'tcp://y:1' }] }).success).toBe(false);
    expect(DevicesConfig.safeParse({ devices: [{ id: 'a', kind: 'scanner', port: 'x' }] }).success).toBe(false);
  });
});

describe('device manager', () => {
  it('printer: connected, then paper-near-end warning and paper-out error from status polling', async () => {
    const sim = new PrinterSimulator();
    const host = await TcpHost.start(sim, 0);
    onCleanup(() => host.close());
    const { m } = manage([{ id: 'printer', kind: 'printer', url: `tcp://127.0.0.1:${host.port}`, statusPollMs: 30 }]);
    const printer = await m.waitFor<ReceiptPrinter>('printer');
    expect(printer).toBeDefined();
    sim.control('paper low');
    await until(() => m.health()[0]!.warnings.includes('paper-near-end'));
    sim.control('paper out');
    await until(() => m.health()[0]!.error?.code === 'paper-out');
    expect(m.health()[0]!.state).toBe('connected');
    sim.control('paper in');
    await until(() => m.health()[0]!.error === undefined && m.health()[0]!.warnings.length === 0);
  });

  it('printer that is not there: open-failed, retried with growing attempts, connects when it appears', async () => {
    const probe = await TcpHost.start(new PrinterSimulator(), 0);
    const port = probe.port;
    await probe.close();
    const { m } = manage([{ id: 'printer', kind: 'printer', url: `tcp://127.0.0.1:${port}`, statusPollMs: 0 }]);
    await until(() => m.health()[0]!.reconnectAttempt >= 2);
    expect(m.health()[0]).toMatchObject({ state: expect.stringMatching(/disconnected|connecting/u) });
    expect(m.get('printer')).toBeUndefined();
    const host = await TcpHost.start(new PrinterSimulator(), port);
    onCleanup(() => host.close());
    await m.waitFor('printer', 10_000);
  });

  it('fingerprint: handshake on connect; a wrong password keeps it disconnected with that error', async () => {
    const ok = new FingerprintSimulator();
    const bad = new FingerprintSimulator({ password: 99 });
    const a = await simulatorOnPty(ok, { baudRate: 57600 });
    const b = await simulatorOnPty(bad, { baudRate: 57600 });
    const { m } = manage([
      { id: 'finger', kind: 'fingerprint', port: a.pair.a },
      { id: 'locked', kind: 'fingerprint', port: b.pair.a, password: 1 },
    ]);
    const sensor = await m.waitFor<FingerprintSensor>('finger');
    expect(sensor.sysParams?.capacity).toBe(1000);
    await until(() => m.health().find((h) => h.id === 'locked')!.error?.code === 'wrong-password');
    expect(m.get('locked')).toBeUndefined();
  });

  it('HID reader: scans are emitted; an unplug error disconnects and it reopens', async () => {
    const devices: EventEmitter[] = [];
    const opener = async () => {
      const d = Object.assign(new EventEmitter(), { close: () => undefined });
      devices.push(d);
      return d;
    };
    const { m } = manage([{ id: 'scanner', kind: 'hid', vendorId: 0x1234, productId: 0x5678 }], { hidOpener: opener });
    await m.waitFor('scanner');
    const scans: { id: string; text: string }[] = [];
    m.on('scan', (s: { id: string; text: string }) => scans.push(s));
    const press = (mod: number, key: number) => devices.at(-1)!.emit('data', Buffer.from([mod, 0, key, 0, 0, 0, 0, 0]));
    for (const [mod, key] of [[2, 0x04], [0, 0], [0, 0x1e], [0, 0], [0, 0x27], [0, 0], [0, 0x28], [0, 0]] as const) press(mod, key);
    expect(scans).toEqual([{ id: 'scanner', text: 'A10' }]);
    devices.at(-1)!.emit('error', new Error('device unplugged'));
    await until(() => devices.length === 2 && m.health()[0]!.state === 'connected');
  });
});
