// Fingerprint driver ↔ sensor simulator over a real pty pair at 57600 baud.
import { describe, expect, it } from 'vitest';
import { FingerprintSensor } from '../../../native/drivers/fingerprint.ts';
import { FingerprintSimulator, fingerTemplate } from '../../../native/simulators/fingerprint.ts';
import { openSerial, simulatorOnPty } from '../fixtures.ts';

async function rig(options: ConstructorParameters<typeof FingerprintSimulator>[0] = {}, password = 0) {
  const sim = new FingerprintSimulator(options);
  const { pair } = await simulatorOnPty(sim, { baudRate: 57600 });
  const sensor = new FingerprintSensor(await openSerial(pair.a, 57600), { password, timeoutMs: 500 });
  return { sim, sensor };
}

/** Plays a person at the sensor: each step after the previous one, `gap` ms apart. */
function script(sim: FingerprintSimulator, steps: (() => void)[], gap = 60): void {
  steps.forEach((s, i) => setTimeout(s, gap * (i + 1)));
}

describe('fingerprint sensor over a pty', () => {
  it('handshakes (VfyPwd + ReadSysPara)', async () => {
    const { sensor } = await rig();
    expect(await sensor.handshake()).toMatchObject({ capacity: 1000, packetSize: 128, baudRate: 57600, securityLevel: 3 });
    expect(await sensor.templateCount()).toBe(0);
  });

  it('rejects a wrong password with a typed error', async () => {
    const { sensor } = await rig({ password: 1234 }, 4321);
    await expect(sensor.handshake()).rejects.toMatchObject({ name: 'FingerprintError', code: 'wrong-password' });
  });

  it('enrols from two captures and uploads the template to the host', async () => {
    const { sim, sensor } = await rig();
    await sensor.handshake();
    const steps: string[] = [];
    script(sim, [() => sim.place(7), () => sim.lift(), () => sim.place(7)]);
    const template = await sensor.enroll({ pollMs: 15, onStep: (s) => steps.push(s) });
    expect(template).toEqual(fingerTemplate(7));
    expect(steps).toEqual(['place', 'lift', 'place-again', 'done']);
  });

  it('enrolment of two different fingers fails with enrol-mismatch', async () => {
    const { sim, sensor } = await rig();
    await sensor.handshake();
    script(sim, [() => sim.place(1), () => sim.lift(), () => sim.place(2)]);
    await expect(sensor.enroll({ pollMs: 15 })).rejects.toMatchObject({ code: 'enrol-mismatch' });
  });

  it('verifies 1:1 against a template from elsewhere (DownChar → capture → Match), threshold configurable', async () => {
    const { sim, sensor } = await rig();
    await sensor.handshake();
    sim.place(3);
    expect(await sensor.verify(fingerTemplate(3), { pollMs: 15 })).toEqual({ matched: true, score: 300, threshold: 50 });
    const other = await sensor.verify(fingerTemplate(4), { pollMs: 15 });
    expect(other.matched).toBe(false);
    expect(other.score).toBeLessThan(50);
    expect((await sensor.verify(fingerTemplate(3), { pollMs: 15, threshold: 301 })).matched).toBe(false);
  });

  it('moves templates in 32-byte data packets when the sensor says so', async () => {
    const { sim, sensor } = await rig({ packetSize: 32 });
    expect((await sensor.handshake()).packetSize).toBe(32);
    sim.place(9);
    await sensor.waitForFinger();
    await sensor.extract(1);
    expect(await sensor.upChar(1)).toEqual(fingerTemplate(9));
    expect((await sensor.verify(fingerTemplate(9))).matched).toBe(true);
  });

  it('reports a poor image as too-few-features, and no finger as false', async () => {
    const { sim, sensor } = await rig();
    await sensor.handshake();
    expect(await sensor.captureImage()).toBe(false);
    sim.control('place 2 poor');
    expect(await sensor.captureImage()).toBe(true);
    await expect(sensor.extract(1)).rejects.toMatchObject({ code: 'too-few-features' });
  });

  it('a late answer to a timed-out command is not taken as the next command\'s answer', async () => {
    const { sim, sensor } = await rig();
    await sensor.handshake();
    // GenImg's "no finger" comes 700 ms late (timeout 500, no retry left to absorb it) …
    const lone = new FingerprintSensor(sensor.transport, { timeoutMs: 500, retries: 0 });
    sim.control('lag 700 1');
    await expect(lone.captureImage()).rejects.toMatchObject({ code: 'timeout' });
    // … and the next command, whose own answer takes 400 ms, must get that answer, not the late
    // "no finger" arriving in between.
    sim.control('place 1');
    sim.control('lag 400 1');
    expect(await lone.captureImage()).toBe(true);
    await lone.extract(1);
  });
});
