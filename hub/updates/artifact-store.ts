// Release artifacts on disk, named by their sha512: streamed in (never held whole in memory),
// hashed and counted on the way, checked against the yml (size, sha512) and against what a Linux
// package starts with (a .deb is an ar archive opening with debian-binary; an AppImage is an ELF
// file with the AppImage type-2 magic), written to a temporary file, fsynced and renamed into
// place — a file in the store is always whole and verified. Several hubs can share the folder.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hubDataDir } from '../data-dir.ts';
import { isPostgresUrl } from '../db/open.ts';
import { UpdateError } from './errors.ts';

const MAGIC = {
  deb: (head: Buffer) => head.subarray(0, 8).toString('latin1') === '!<arch>\n' && head.subarray(8, 21).toString('latin1') === 'debian-binary',
  appimage: (head: Buffer) => head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) && head.subarray(8, 11).equals(Buffer.from([0x41, 0x49, 0x02])),
};
const HEAD_BYTES = 21;

/** $HUB_UPDATES_DIR, else `updates/` beside an SQLite database, else the hub's data folder. */
export function defaultUpdatesDir(dbSpec: string, env: NodeJS.ProcessEnv): string {
  if (env.HUB_UPDATES_DIR) return resolve(env.HUB_UPDATES_DIR);
  return join(isPostgresUrl(dbSpec) ? hubDataDir(env) : dirname(resolve(dbSpec)), 'updates');
}

export const artifactKind = (name: string): keyof typeof MAGIC => (name.endsWith('.deb') ? 'deb' : 'appimage');
const hexOf = (sha512Base64: string) => Buffer.from(sha512Base64, 'base64').toString('hex');

export interface ExpectedArtifact {
  name: string;
  size: number;
  /** base64, as in the yml */
  sha512: string;
}

export class ArtifactStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  pathOf(sha512Base64: string): string {
    const hex = hexOf(sha512Base64);
    return join(this.dir, hex.slice(0, 2), hex);
  }

  has(sha512Base64: string): boolean {
    return existsSync(this.pathOf(sha512Base64));
  }

  /** Streams `source` into the store if it is exactly `expected`; otherwise refuses and keeps nothing. */
  async receive(source: Readable, expected: ExpectedArtifact): Promise<{ path: string; stored: boolean }> {
    if (expected.size > this.maxBytes) throw new UpdateError(`${expected.name} is ${expected.size} bytes; this hub accepts artifacts up to ${this.maxBytes} bytes (hub serve --max-artifact-mb)`, 'too_large');
    const kind = artifactKind(expected.name);
    const tmpDir = join(this.dir, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha512');
    let size = 0;
    let head = Buffer.alloc(0);
    const check = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > expected.size) return done(new UpdateError(`${expected.name}: more bytes than the ${expected.size} the yml gives`, 'bad_request'));
        if (head.length < HEAD_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
          if (head.length >= HEAD_BYTES && !MAGIC[kind](head)) {
            return done(new UpdateError(`${expected.name} is not ${kind === 'deb' ? 'a Debian package (.deb)' : 'an AppImage'}: its first bytes say otherwise`, 'unsupported_media_type'));
          }
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // The source is piped rather than part of the pipeline: on a refusal it is drained, not
    // destroyed, so an HTTP upload still gets its 4xx answer instead of a reset connection.
    const written = pipeline(check, createWriteStream(tmp, { mode: 0o644 }));
    const cut = () => check.destroy(new UpdateError(`${expected.name}: the upload ended early`, 'bad_request'));
    // an HTTP request closed before its whole body arrived (a file stream has no `complete`)
    const onClose = () => void ((source as Readable & { complete?: boolean }).complete === false && cut());
    source.on('error', cut);
    source.on('close', onClose);
    check.on('error', () => {
      source.unpipe(check);
      source.resume();
    });
    source.pipe(check);
    try {
      await written;
      if (size !== expected.size) throw new UpdateError(`${expected.name}: received ${size} bytes, the yml gives ${expected.size} (upload cut short?)`, 'bad_request');
      if (!MAGIC[kind](head)) throw new UpdateError(`${expected.name} is too short to be a Linux package`, 'unsupported_media_type');
      const got = hash.digest('base64');
      if (got !== expected.sha512) throw new UpdateError(`${expected.name}: sha512 does not match the yml (got ${got.slice(0, 16)}…, the yml says ${expected.sha512.slice(0, 16)}…)`, 'bad_request');
      const fh = await open(tmp, 'r');
      await fh.sync();
      await fh.close();
      const final = this.pathOf(expected.sha512);
      mkdirSync(join(final, '..'), { recursive: true });
      const stored = !existsSync(final);
      await rename(tmp, final);
      return { path: final, stored };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    } finally {
      source.off('error', cut);
      source.off('close', onClose);
    }
  }

  remove(sha512Base64: string): void {
    rmSync(this.pathOf(sha512Base64), { force: true });
  }
}
