// Shared helpers for the device tests.
import type { DeviceLogger } from '../../native/log.ts';

export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/gu, ''), 'hex');
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/gu, '$1 ');

/** Fuzz budget: ≥10 000 cases per decoder normally, ≥100 000 under `npm run soak`. */
export const FUZZ_RUNS = process.env.SOAK ? 100_000 : 10_000;

/** Every way of cutting `buf` into two pieces, plus byte-by-byte. */
export function* awkwardSplits(buf: Buffer): Generator<Buffer[]> {
  for (let i = 0; i <= buf.length; i++) yield [buf.subarray(0, i), buf.subarray(i)];
  yield [...buf].map((b) => Buffer.from([b]));
}

/** A logger that keeps every line as JSON text (for the privacy test). */
export function captureLogger(): { logger: DeviceLogger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push(JSON.stringify({ level, ...obj, msg }));
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}
