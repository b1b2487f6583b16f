// E2E helper: the three simulated devices on real socat pty pairs (core/devices/simulated.ts) for a
// kiosk started with `env` (KIOSK_DEVICES_CONFIG), e.g. `startBrowserMode({ ...devices.env })`.
// The engines are returned so a test can insert a card (`idcard.insert('zhang')`), run the printer
// out of paper (`printer.control('paper out')`), pull a cable (`unplug('printer')`) or read what
// was printed (`printedText()`). Call stop() in afterAll; whatever a test file leaves running is
// stopped after the file anyway, so no socat outlives its test file.
import { afterAll } from 'vitest';
import { startSimulatedDevices as startSimulators, type SimulatedDevices } from '../../core/devices/simulated.ts';

const running = new Set<SimulatedDevices>();
afterAll(async () => {
  for (const d of running) await d.stop().catch(() => undefined);
  running.clear();
});

export interface TestDevices extends SimulatedDevices {
  env: { KIOSK_DEVICES_CONFIG: string };
  /** Every job the printer simulator printed so far, as text (transcripts joined). */
  printedText(): string;
}

export async function startSimulatedDevices(dir: string, options: { card?: string } = {}): Promise<TestDevices> {
  const devices = await startSimulators(dir, options);
  running.add(devices);
  return Object.assign(devices, {
    env: { KIOSK_DEVICES_CONFIG: devices.configPath },
    printedText: () => devices.printer.jobs.map((j) => j.transcript).join('\n'),
  });
}
