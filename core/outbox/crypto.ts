// Encryption at rest for the personal fields of outbox items: AES-256-GCM, a fresh 96-bit IV per
// item, the item's idempotency key and kind as associated data (a sealed blob cannot be moved to
// another item). Layout: 0x01 | key id (4 bytes, from the key's sha256) | IV (12) | tag (16) | data.
// The key comes from a KeyProvider: Electron's safeStorage in the app shell, or a 0600 key file
// (CLI, browser mode) created on first use.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KeyProvider {
  /** 32 bytes. */
  key(): Buffer;
}

const VERSION = 1;

export class OutboxKeyError extends Error {
  override name = 'OutboxKeyError';
}

export const keyId = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, 4);

/** A key file holding 32 random bytes (base64), mode 0600; refuses a file others can read. */
export class FileKeyProvider implements KeyProvider {
  private cached: Buffer | null = null;
  constructor(readonly path: string) {}

  key(): Buffer {
    if (this.cached) return this.cached;
    if (!existsSync(this.path)) {
      mkdirSync(dirname(this.path), { recursive: true });
      try {
        const fd = openSync(this.path, 'wx', 0o600);
        writeSync(fd, randomBytes(32).toString('base64') + '\n');
        closeSync(fd);
        chmodSync(this.path, 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
      }
    }
    const mode = statSync(this.path).mode;
    if ((mode & 0o077) !== 0) throw new OutboxKeyError(`outbox key file ${this.path} is accessible to other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
    const key = Buffer.from(readFileSync(this.path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new OutboxKeyError(`outbox key file ${this.path} does not hold a 256-bit key`);
    this.cached = key;
    return key;
  }
}

/** What Electron's safeStorage offers (OS keychain / DPAPI / libsecret); injected, core never imports electron. */
export interface KeyWrapper {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/**
 * The outbox key wrapped by the OS (Electron's safeStorage): the file holds only the wrapped key,
 * so a copied disk image does not give the key away. Created on first use, 0600 like the key file.
 */
export class WrappedKeyProvider implements KeyProvider {
  private cached: Buffer | null = null;
  constructor(
    readonly path: string,
    private readonly wrapper: KeyWrapper,
  ) {}

  key(): Buffer {
    if (this.cached) return this.cached;
    if (!this.wrapper.isEncryptionAvailable()) throw new OutboxKeyError('the OS key store (safeStorage) is not available: cannot open the outbox key');
    if (!existsSync(this.path)) {
      mkdirSync(dirname(this.path), { recursive: true });
      try {
        const fd = openSync(this.path, 'wx', 0o600);
        writeSync(fd, this.wrapper.encryptString(randomBytes(32).toString('base64')));
        closeSync(fd);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    let key: Buffer;
    try {
      key = Buffer.from(this.wrapper.decryptString(readFileSync(this.path)), 'base64');
    } catch (err) {
      throw new OutboxKeyError(`the wrapped outbox key ${this.path} cannot be unwrapped: ${(err as Error).message}`);
    }
    if (key.length !== 32) throw new OutboxKeyError(`the wrapped outbox key ${this.path} does not hold a 256-bit key`);
    this.cached = key;
    return key;
  }
}

export function seal(key: Buffer, plaintext: string, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), keyId(key), iv, cipher.getAuthTag(), data]);
}

export function unseal(key: Buffer, sealed: Buffer, aad: string): string {
  if (sealed.length < 33 || sealed[0] !== VERSION) throw new OutboxKeyError('sealed outbox data has an unknown format');
  if (!sealed.subarray(1, 5).equals(keyId(key))) throw new OutboxKeyError('sealed outbox data was encrypted with another key (key file replaced?)');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(5, 17));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(17, 33));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(33)), decipher.final()]).toString('utf8');
  } catch {
    throw new OutboxKeyError('sealed outbox data failed authentication (tampered or corrupt)');
  }
}
