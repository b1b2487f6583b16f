// Unplug and replug: socat is killed mid-transfer (the serial "cable" goes away), the driver reports
// a disconnection (not a timeout), and the device manager reconnects when the port comes back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevicesConfig, type DeviceHealth } from '../../../contracts/device-config.ts';
import { IdCardReader } from '../../../native/drivers/idcard.ts';
import { TransportError } from '../../../native/errors.ts';
import { DeviceManager } from '../../../native/manager/device-manager.ts';
import { SerialHost } from '../../../native/simulators/host.ts';
import { IdCardSimulator } from '../../../native/simulators/idcard.ts';
import { captureLogger } from '../helpers.ts';
import { onCleanup, openSerial, ptyPair, until } from '../fixtures.ts';

describe('unplug / replug over real ptys', () => {
  it('a read in flight fails with a disconnected TransportError when socat dies mid-reply', async () => {
    const sim = new IdCardSimulator('zhang');
    const pair = await ptyPair();
    // pace=true: the 1295-byte reply takes ~112 ms to "cross the wire", so the kill lands mid-reply
    const host = await SerialHost.start(sim, { path: pair.b, baudRate: 115200, pace: true });
    onCleanup(() => host.close());
    const reader = new IdCardReader(await openSerial(pair.a, 115200), { readTimeoutMs: 5000 });
    expect(await reader.findCard()).toBe(true);
    expect(await reader.selectCard()).toBe(true);
    const chunks: number[] = [];
    reader.transport.on('data', (d) => chunks.push(d.length));
    const outcome = reader.readCard().then(() => undefined, (e: unknown) => e);
    await until(() => chunks.length > 0);
    await pair.close('SIGKILL');
    const err = await outcome;
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('disconnected');
    // it really was mid-transfer: some but not all of the 1295 bytes arrived
    const got = chunks.reduce((a, b) => a + b, 0);
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(1295);
    await expect(reader.findCard()).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('the device manager reports disconnected, backs off, and reconnects when the port returns', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiosk-replug-'));
    const names: [string, string] = ['kiosk', 'device'];
    const pair = await ptyPair({ dir, names });
    const sim = new IdCardSimulator('li');
    const host = await SerialHost.start(sim, { path: pair.b, persistent: true });
    onCleanup(() => host.close());
    const { logger, lines } = captureLogger();
    const manager = new DeviceManager(
      DevicesConfig.parse({ devices: [{ id: 'reader', kind: 'idcard', port: pair.a }], reconnect: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 } }),
      { logger, timeoutMs: 200 },
    );
    onCleanup(() => manager.stop());
    const events: DeviceHealth[] = [];
    manager.on('health', (h: DeviceHealth) => events.push(h));
    manager.start();
    if (process.env.DEBUG_UNPLUG) manager.on('health', (h: DeviceHealth) => console.log(JSON.stringify(h)));
    const first = await manager.waitFor<IdCardReader>('reader');
    expect((await first.waitForCard({ pollMs: 10 })).text.name).toBe('李四');

    await pair.close('SIGKILL');
    await until(() => manager.health()[0]!.state === 'disconnected');
    expect(manager.get('reader')).toBeUndefined();
    expect(manager.health()[0]!.error?.code).toBe('disconnected');
    // while unplugged, attempts fail and the attempt counter grows (backoff)
    await until(() => manager.health()[0]!.reconnectAttempt >= 2);

    await ptyPair({ dir, names }); // the same paths come back: "replugged"
    const again = await manager.waitFor<IdCardReader>('reader', 15_000);
    expect(again).not.toBe(first);
    sim.remove();
    sim.insert('li');
    expect((await again.waitForCard({ pollMs: 10 })).text.gender).toBe('female');
    const states = events.map((e) => e.state);
    expect(states.slice(0, 2)).toEqual(['connecting', 'connected']);
    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('connected');
    expect(manager.health()[0]).toMatchObject({ state: 'connected', reconnectAttempt: 0 });
    expect(manager.health()[0]!.error).toBeUndefined();
    expect(lines.some((l) => l.includes('"state":"disconnected"'))).toBe(true);
  });
});
