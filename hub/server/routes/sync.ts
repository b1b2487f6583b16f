// Sync pages and blobs (docs/sync-protocol.md). The no-change poll is the fleet's hot path: it is
// answered from memory (the head watcher's state and an ETag), and pages from a byte-bounded cache.
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { SYNC_ROUTES } from '../../../contracts/hub-routes/sync.ts';
import { kioskScopes, readPage, resolvePageRequest } from '../../sync/pages.ts';
import { areaPlugin } from '../area-plugin.ts';
import { parseByteRange, rangeError } from '../byte-range.ts';
import { HttpError } from '../errors.ts';

const gzipAsync = promisify(gzip);
type Page = Buffer & { gzip?: boolean };

export default areaPlugin(SYNC_ROUTES, ({ hub, head, pages, status }) => ({
  'sync.changes': async ({ query: q, principal, req, reply }) => {
    const state = head.peek() ?? (await head.current());
    status.note(principal.id, req.headers, q.since);
    const etag = `"${state.hubId}:${state.head}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    // The poll a fleet makes every few minutes: answered from memory.
    if (q.after === undefined && q.to === undefined && req.headers['if-none-match'] === etag) return reply.code(304).send();
    const r = resolvePageRequest(state, q, kioskScopes(principal));
    reply.header('content-type', 'application/json; charset=utf-8');
    const gzipped = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    // A page of snapshot `to` never changes until compaction moves a horizon (part of the key).
    const cacheKey = `${state.hubId}|${state.snapshotHorizon}|${state.tombstoneHorizon}|${r.scopes.join(',')}|${r.since}|${r.after}|${r.to}|${r.limit}|${gzipped}`;
    let body: Page | undefined = pages.get(cacheKey);
    if (!body) {
      const page = await readPage(hub.db, state, r);
      body = gzipped && page.body.length > 1024 ? await gzipAsync(page.body) : Buffer.from(page.body);
      if (gzipped && page.body.length > 1024) body.gzip = true;
      pages.set(cacheKey, body);
    }
    if (body.gzip) reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
    return reply.send(body);
  },

  'sync.blob': async ({ params: { sha256: sha }, req, reply }) => {
    const blob = await hub.db.selectFrom('blobs').select(['media_type', 'size', 'data']).where('sha256', '=', sha).executeTakeFirst();
    if (!blob) throw new HttpError(404, 'not_found', `no blob ${sha}`);
    const data = Buffer.from(blob.data);
    reply.header('etag', `"${sha}"`).header('cache-control', 'private, max-age=31536000, immutable').header('accept-ranges', 'bytes');
    const range = parseByteRange(req.headers.range, data.length);
    if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${data.length}`).send(rangeError(req.headers.range, data.length));
    if (range) return reply.code(206).header('content-type', blob.media_type).header('content-range', `bytes ${range.start}-${range.end}/${data.length}`).send(data.subarray(range.start, range.end + 1));
    return reply.header('content-type', blob.media_type).send(data);
  },
}));
