// Fetching a blob by digest: streamed to <db>.blobs.partial/<sha256>, resumed with an HTTP Range
// request after an interruption, fsynced, digest- and size-checked, then renamed into the blob
// store. A file with the wrong digest is deleted and the sync fails: nothing is applied.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, fsyncSync, mkdirSync, openSync, closeSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SYNC_LIMITS, type BlobRef } from '../../contracts/sync-protocol.ts';
import type { BlobStore } from '../kb/blob-store.ts';
import { SyncError } from '../hub-client/errors.ts';
import { bodyChunks, failure, hubFetch, type HubEndpoint } from '../hub-client/http.ts';
import { hubPath } from '../hub-client/client.ts';

async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export function partialDir(blobs: BlobStore): string {
  return `${blobs.dir}.partial`;
}

/** Ensures `ref` is in the blob store; returns the bytes transferred. */
export async function fetchBlob(ep: HubEndpoint, blobs: BlobStore, ref: BlobRef): Promise<number> {
  if (blobs.has(ref.sha256)) return 0;
  if (ref.size > SYNC_LIMITS.maxBlobBytes) throw new SyncError('too_large', `blob ${ref.sha256.slice(0, 12)}… is ${ref.size} bytes, more than ${SYNC_LIMITS.maxBlobBytes}`);
  const dir = partialDir(blobs);
  mkdirSync(dir, { recursive: true });
  const part = join(dir, ref.sha256);
  let have = existsSync(part) ? statSync(part).size : 0;
  if (have > ref.size) {
    rmSync(part, { force: true });
    have = 0;
  }
  let transferred = 0;
  if (have < ref.size) {
    const res = await hubFetch(ep, hubPath('sync.blob', { sha256: ref.sha256 }), { headers: have > 0 ? { range: `bytes=${have}-` } : {} });
    if (res.status === 416) {
      // Our partial file is no prefix of the blob: start again.
      rmSync(part, { force: true });
      await res.body?.cancel().catch(() => {});
      return fetchBlob(ep, blobs, ref);
    }
    if (res.status !== 200 && res.status !== 206) throw await failure(res, `blob ${ref.sha256.slice(0, 12)}…`);
    const append = res.status === 206;
    if (append && !new RegExp(`^bytes ${have}-`).test(res.headers.get('content-range') ?? '')) {
      await res.body?.cancel().catch(() => {});
      throw new SyncError('protocol', `blob ${ref.sha256.slice(0, 12)}…: the hub answered a different range than asked (${res.headers.get('content-range')})`);
    }
    const fd = openSync(part, append ? 'a' : 'w', 0o644);
    let size = append ? have : 0;
    try {
      for await (const value of bodyChunks(res, (err) => `blob ${ref.sha256.slice(0, 12)}… cut off after ${size} bytes: ${err.message}`)) {
        size += value.byteLength;
        transferred += value.byteLength;
        if (size > ref.size) {
          rmSync(part, { force: true });
          throw new SyncError('digest', `blob ${ref.sha256.slice(0, 12)}… is longer than its declared ${ref.size} bytes`);
        }
        writeSync(fd, value);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (size < ref.size) throw new SyncError('network', `blob ${ref.sha256.slice(0, 12)}… ended after ${size} of ${ref.size} bytes`);
  }
  const digest = await fileDigest(part);
  if (digest !== ref.sha256) {
    rmSync(part, { force: true });
    throw new SyncError('digest', `blob ${ref.sha256.slice(0, 12)}… arrived with digest ${digest.slice(0, 12)}…; discarded, nothing applied`);
  }
  const target = blobs.pathOf(ref.sha256);
  mkdirSync(dirname(target), { recursive: true });
  renameSync(part, target);
  return transferred;
}

/** Runs `fn` over `items` with at most `n` in flight; the first failure rejects (others finish). */
export async function inParallel<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (failed === null && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failed !== null) throw failed;
}
