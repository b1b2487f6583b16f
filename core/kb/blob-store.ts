// Content-addressed files (article images now, sync blobs later): <dir>/<aa>/<sha256>.
// Written to a temp file, fsynced, then renamed: a crash leaves either nothing or the whole file.
// Files are written before the DB transaction that references them; unreferenced files are
// harmless and removed by gc().
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

export const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export class BlobStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256 digest: ${JSON.stringify(sha256.slice(0, 80))}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Stores `data`, returns its digest. */
  put(data: Uint8Array): string {
    const digest = sha256Hex(data);
    const target = this.pathOf(digest);
    if (existsSync(target)) return digest;
    mkdirSync(join(this.dir, digest.slice(0, 2)), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
    return digest;
  }

  get(sha256: string): Buffer | null {
    const p = this.pathOf(sha256);
    return existsSync(p) ? readFileSync(p) : null;
  }

  /** Removes every file whose digest is not in `keep`; returns how many went. */
  gc(keep: ReadonlySet<string>): number {
    if (!existsSync(this.dir)) return 0;
    let removed = 0;
    for (const sub of readdirSync(this.dir)) {
      for (const name of readdirSync(join(this.dir, sub))) {
        if (SHA256.test(name) && keep.has(name)) continue;
        rmSync(join(this.dir, sub, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
