// The compact device-health summary a kiosk sends with each sync poll (KIOSK_HEADERS.deviceHealth)
// for the fleet view: `kind:state[:code…]` per device, comma-separated, e.g.
// `printer:connected:paper-near-end,idcard:disconnected`; `none` when the kiosk has no devices.
// Codes only (kinds, states, error and warning codes): device ids, messages and anything a person
// typed never go in, so the header cannot carry personal data. Both ends bound it: the kiosk never
// sends more than MAX_BYTES, the hub ignores (never fails on) anything that does not parse.
import { z } from 'zod';

export const DEVICE_HEALTH_LIMITS = { maxBytes: 512, maxDevices: 16, maxCodes: 4 } as const;

const KINDS = ['idcard', 'fingerprint', 'printer', 'hid'] as const;
const STATES = ['stopped', 'connecting', 'connected', 'disconnected'] as const;
const Code = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/);

export const DeviceHealthEntry = z.strictObject({
  kind: z.enum(KINDS),
  state: z.enum(STATES),
  /** The error code first (when the device is unusable), then warnings. */
  codes: z.array(Code).max(DEVICE_HEALTH_LIMITS.maxCodes),
});
export type DeviceHealthEntry = z.infer<typeof DeviceHealthEntry>;

const NONE = 'none';

/** The header value for the kiosk's devices (bounded: entries past the limit are dropped). */
export function encodeDeviceHealth(devices: ReadonlyArray<{ kind: string; state: string; warnings: readonly string[]; error?: { code: string } }>): string {
  const parts: string[] = [];
  let bytes = 0;
  for (const d of devices.slice(0, DEVICE_HEALTH_LIMITS.maxDevices)) {
    // A code that is not a plain code (a driver bug, say) is left out rather than sent.
    const codes = [...(d.error ? [d.error.code] : []), ...d.warnings].filter((c) => Code.safeParse(c).success).slice(0, DEVICE_HEALTH_LIMITS.maxCodes);
    const entry = DeviceHealthEntry.safeParse({ kind: d.kind, state: d.state, codes });
    if (!entry.success) continue;
    const text = [d.kind, d.state, ...codes].join(':');
    if (bytes + text.length + 1 > DEVICE_HEALTH_LIMITS.maxBytes) break;
    bytes += text.length + 1;
    parts.push(text);
  }
  return parts.length ? parts.join(',') : NONE;
}

/** The header as the kiosk sent it → entries; null when it is absent or malformed (ignore it). */
export function parseDeviceHealth(value: unknown): DeviceHealthEntry[] | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > DEVICE_HEALTH_LIMITS.maxBytes) return null;
  if (value === NONE) return [];
  const items = value.split(',');
  if (items.length > DEVICE_HEALTH_LIMITS.maxDevices) return null;
  const out: DeviceHealthEntry[] = [];
  for (const item of items) {
    const [kind, state, ...codes] = item.split(':');
    const entry = DeviceHealthEntry.safeParse({ kind, state, codes });
    if (!entry.success) return null;
    out.push(entry.data);
  }
  return out;
}

/** The canonical text of parsed entries (what the hub stores). */
export const formatDeviceHealth = (entries: readonly DeviceHealthEntry[]): string => (entries.length ? entries.map((e) => [e.kind, e.state, ...e.codes].join(':')).join(',') : NONE);
