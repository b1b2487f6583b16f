// Device health as the hub keeps it: the header of a kiosk's poll (contracts/device-health.ts)
// parsed and re-written in canonical form, so only kinds, states and plain codes ever reach the
// database. Anything else — too long, odd characters, an unknown state, a repeated header — is
// ignored: the poll itself never fails because of it, and the last good report stays.
import { formatDeviceHealth, parseDeviceHealth, type DeviceHealthEntry } from '../../contracts/device-health.ts';

/** The value to store for a header, or null to keep what is stored. */
export function deviceHealthFromHeader(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string') return null; // absent, or sent twice (Node joins only some headers)
  const entries = parseDeviceHealth(value);
  return entries ? formatDeviceHealth(entries) : null;
}

/** The stored text → entries for the fleet API (null when never reported). */
export function deviceHealthOf(stored: string | null): DeviceHealthEntry[] | null {
  return stored === null ? null : parseDeviceHealth(stored);
}

/** One line for the CLI table: `printer:connected:paper-near-end,idcard:disconnected`, `none`, or `-`. */
export const deviceHealthText = (entries: readonly DeviceHealthEntry[] | null): string => (entries ? formatDeviceHealth(entries) : '-');
