// Staff PINs are stored as scrypt hashes: `scrypt$N$r$p$<salt b64>$<hash b64>`. Verification is
// constant-time. A short PIN is weak on its own; the lockout (staff-auth.ts) is what protects it.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const PIN = /^\d{4,12}$/;
const DEFAULTS = { N: 1 << 15, r: 8, p: 1 };
const KEY_LEN = 32;

export function hashPin(pin: string, params: { N: number; r: number; p: number } = DEFAULTS): string {
  if (!PIN.test(pin)) throw new Error('a staff PIN is 4 to 12 digits');
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEY_LEN, { ...params, maxmem: 256 * params.N * params.r });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function parsePinHash(stored: string): { N: number; r: number; p: number; salt: Buffer; hash: Buffer } {
  const parts = stored.split('$');
  const [kind, n, r, p, salt, hash] = parts;
  const N = Number(n);
  if (parts.length !== 6 || kind !== 'scrypt' || !salt || !hash || !Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) {
    throw new Error('not a staff PIN hash (expected scrypt$N$r$p$salt$hash)');
  }
  return { N, r: Number(r), p: Number(p), salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export function verifyPin(pin: string, stored: string): boolean {
  const h = parsePinHash(stored);
  if (!PIN.test(pin)) return false;
  const got = scryptSync(pin, h.salt, h.hash.length, { N: h.N, r: h.r, p: h.p, maxmem: 256 * h.N * h.r });
  return got.length === h.hash.length && timingSafeEqual(got, h.hash);
}

/**
 * The staff PIN hash: KIOSK_STAFF_PIN_HASH (scrypt$…, from the kiosk configuration), or for
 * development and tests KIOSK_STAFF_PIN (digits, hashed at start and never kept in clear).
 */
export function staffPinHash(env: NodeJS.ProcessEnv): string | undefined {
  if (env.KIOSK_STAFF_PIN_HASH) {
    parsePinHash(env.KIOSK_STAFF_PIN_HASH);
    return env.KIOSK_STAFF_PIN_HASH;
  }
  if (env.KIOSK_STAFF_PIN) return hashPin(env.KIOSK_STAFF_PIN, { N: 1 << 14, r: 8, p: 1 });
  return undefined;
}
