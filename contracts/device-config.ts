// Which devices a kiosk has and where they are (set on the hub per kiosk, synced like the KB).
// One entry per device; the device manager opens each, reconnects after unplug, reports health.
import { z } from 'zod';

const Id = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);
/** A serial device path (/dev/ttyUSB0, COM3, a pty link). */
const SerialPath = z.string().min(1).max(256);
const Hex16 = z.union([z.number().int().min(0).max(0xffff), z.string().regex(/^(0x)?[0-9a-fA-F]{1,4}$/).transform((s) => parseInt(s, 16))]);

export const IdCardDeviceConfig = z.object({
  id: Id,
  kind: z.literal('idcard'),
  port: SerialPath,
  baudRate: z.number().int().positive().default(115200),
  /** How often to look for a card while waiting (ms). */
  pollMs: z.number().int().min(50).max(5000).default(300),
});

export const FingerprintDeviceConfig = z.object({
  id: Id,
  kind: z.literal('fingerprint'),
  port: SerialPath,
  baudRate: z.number().int().positive().default(57600),
  password: z.number().int().min(0).max(0xffffffff).default(0),
  address: z.number().int().min(0).max(0xffffffff).default(0xffffffff),
  /** Minimum Match score for a 1:1 verification to pass. */
  matchThreshold: z.number().int().min(1).max(1000).default(50),
});

export const PrinterDeviceConfig = z.object({
  id: Id,
  kind: z.literal('printer'),
  /** tcp://host:9100, a serial path, or file:///dev/usb/lp0 (write-only: no status). */
  url: z.string().min(1).max(256),
  baudRate: z.number().int().positive().default(9600),
  /** Characters per line (32 on 58 mm paper, 48 on 80 mm). */
  width: z.number().int().min(16).max(64).default(32),
  /** How often to poll status while idle (ms); 0 = only around jobs. */
  statusPollMs: z.number().int().min(0).max(600_000).default(30_000),
});

export const HidDeviceConfig = z.object({
  id: Id,
  kind: z.literal('hid'),
  vendorId: Hex16,
  productId: Hex16,
  /** How reports carry data: boot-keyboard usages, or raw ASCII bytes after `offset`. */
  format: z.enum(['boot-keyboard', 'ascii']).default('boot-keyboard'),
  offset: z.number().int().min(0).max(63).default(0),
});

export const DeviceConfig = z.discriminatedUnion('kind', [IdCardDeviceConfig, FingerprintDeviceConfig, PrinterDeviceConfig, HidDeviceConfig]);
export type DeviceConfig = z.infer<typeof DeviceConfig>;
export type IdCardDeviceConfig = z.infer<typeof IdCardDeviceConfig>;
export type FingerprintDeviceConfig = z.infer<typeof FingerprintDeviceConfig>;
export type PrinterDeviceConfig = z.infer<typeof PrinterDeviceConfig>;
export type HidDeviceConfig = z.infer<typeof HidDeviceConfig>;

export const ReconnectPolicy = z.object({
  initialMs: z.number().int().min(10).max(60_000).default(500),
  maxMs: z.number().int().min(10).max(600_000).default(30_000),
  factor: z.number().min(1).max(10).default(2),
  /** 0..1: each delay is scaled by a random factor in [1 - jitter, 1]. */
  jitter: z.number().min(0).max(1).default(0.2),
});
export type ReconnectPolicy = z.infer<typeof ReconnectPolicy>;

export const DevicesConfig = z
  .object({
    devices: z.array(DeviceConfig).max(16),
    reconnect: ReconnectPolicy.default({ initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 }),
  })
  .refine((c) => new Set(c.devices.map((d) => d.id)).size === c.devices.length, { message: 'device ids must be unique' });
export type DevicesConfig = z.infer<typeof DevicesConfig>;

/** Health as the UI and the staff panel see it. No personal data, ever. */
export const DeviceHealth = z.object({
  id: z.string(),
  kind: z.enum(['idcard', 'fingerprint', 'printer', 'hid']),
  state: z.enum(['stopped', 'connecting', 'connected', 'disconnected']),
  /** Warnings that do not stop the device: paper-near-end … */
  warnings: z.array(z.string()),
  /** Problem that makes the device unusable now: paper-out, cover-open, offline, open-failed … */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  since: z.string(),
  reconnectAttempt: z.number().int().min(0),
});
export type DeviceHealth = z.infer<typeof DeviceHealth>;
