// The outbox key wrapped by the OS key store (Electron's safeStorage in the shell). A stand-in
// wrapper with a real cipher plays safeStorage: no Electron binary exists here.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxKeyError, WrappedKeyProvider, type KeyWrapper } from '../../../core/outbox/crypto.ts';
import { openOutbox } from '../../../core/outbox/open.ts';
import { openKbStore } from '../../../core/kiosk-db.ts';
import { tempDir } from '../../helpers/tmp.ts';

function osKeyStore(available = true): KeyWrapper {
  const master = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', master, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(sealed) {
      const d = createDecipheriv('aes-256-gcm', master, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('WrappedKeyProvider', () => {
  it('creates a wrapped 256-bit key once (0600), returns the same key after a restart', () => {
    const dir = tempDir();
    const wrapper = osKeyStore();
    const path = join(dir, 'outbox-key.sealed');
    const key = new WrappedKeyProvider(path, wrapper).key();
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The file holds the wrapped key only, never the key itself.
    expect(readFileSync(path).includes(key.toString('base64'))).toBe(false);
    expect(new WrappedKeyProvider(path, wrapper).key().equals(key)).toBe(true);
  });

  it('refuses clearly when the OS key store is unavailable or the file was tampered with', () => {
    const dir = tempDir();
    expect(() => new WrappedKeyProvider(join(dir, 'k'), osKeyStore(false)).key()).toThrow(OutboxKeyError);
    const wrapper = osKeyStore();
    const path = join(dir, 'k2');
    new WrappedKeyProvider(path, wrapper).key();
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    expect(() => new WrappedKeyProvider(path, wrapper).key()).toThrow(/cannot be unwrapped/);
  });

  it('seals outbox items with the wrapped key; another machine (another OS key) cannot open them', () => {
    const dir = tempDir();
    const store = openKbStore(join(dir, 'kiosk.db'));
    const wrapper = osKeyStore();
    const path = join(dir, 'outbox-key.sealed');
    const outbox = openOutbox(store.db, { keyProvider: new WrappedKeyProvider(path, wrapper) });
    outbox.enqueue('ticket', { category: 'help', text: '请回电 13800001111', locale: 'zh-CN' });
    const raw = JSON.stringify(store.db.prepare('SELECT * FROM outbox').all());
    expect(raw).not.toContain('13800001111');
    expect(() => new WrappedKeyProvider(path, osKeyStore()).key()).toThrow(OutboxKeyError);
    store.close();
  });
});
