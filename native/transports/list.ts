// Serial port discovery. serialport's list() needs udevadm on Linux; kiosks built from minimal
// images (and containers) often lack it, so we fall back to /dev/serial/by-id and /sys/class/tty.
import { readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SerialPort } from 'serialport';

export interface SerialPortInfo {
  path: string;
  /** Stable alias (/dev/serial/by-id/…) when there is one. */
  alias?: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  source: 'serialport' | 'sysfs';
}

export async function listSerialPorts(): Promise<{ ports: SerialPortInfo[]; note?: string }> {
  try {
    const ports = await SerialPort.list();
    return {
      ports: ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId, source: 'serialport' as const })),
    };
  } catch (err) {
    const ports = await listFromSysfs();
    return { ports, note: `serialport could not list ports (${(err as Error).message}); listed from /sys instead` };
  }
}

async function listFromSysfs(): Promise<SerialPortInfo[]> {
  const aliases = new Map<string, string>();
  for (const name of await readdir('/dev/serial/by-id').catch(() => [] as string[])) {
    const full = path.join('/dev/serial/by-id', name);
    const target = await realpath(full).catch(() => undefined);
    if (target) aliases.set(target, full);
  }
  const out: SerialPortInfo[] = [];
  for (const name of await readdir('/sys/class/tty').catch(() => [] as string[])) {
    // Only ttys backed by a device (USB adapters, UARTs); skips virtual consoles and ptys.
    const driver = await readlink(`/sys/class/tty/${name}/device/driver`).catch(() => undefined);
    if (!driver) continue;
    // Legacy 8250 ports exist on most PCs whether or not anything is wired: keep only ttyS0–3.
    if (/serial8250/u.test(driver) && !/^ttyS[0-3]$/u.test(name)) continue;
    const devPath = `/dev/${name}`;
    out.push({ path: devPath, alias: aliases.get(devPath), source: 'sysfs' });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
