// Password hashing: argon2id (@node-rs/argon2, a maintained Rust binding with prebuilt binaries, no
// node-gyp) at OWASP's recommended m=19 MiB, t=2, p=1 — about 20 ms a hash on one core here, and
// memory-hard, which scrypt is too but argon2id is the current recommendation (RFC 9106).
import { hash, verify } from '@node-rs/argon2';

// algorithm 2 = Algorithm.Argon2id: the package exports a const enum, which isolated modules cannot read.
const PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, PARAMS);

/** False for a wrong password or a malformed stored hash (never throws on either). */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/**
 * Verifies against a fixed hash: a login for an unknown or SSO-only name costs the same time as one
 * for a real account, so response times do not tell which names exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('lobby-kiosk-dummy-password');
  await verifyPassword(await dummy, password);
}
