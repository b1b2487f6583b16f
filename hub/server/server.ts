// The hub's HTTP server: kiosk endpoints (sync pages, blobs, outbox) behind device tokens, the admin
// API behind the admin token, every error as { error: { code, message } }. Logs carry method, path
// and status — never bodies, tokens or query text beyond the sync cursors.
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyHttpsOptions, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type https from 'node:https';
import { readFileSync } from 'node:fs';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { CreateCommandRequest, CreateKioskRequest, GcRequest, ListQuery, SetConfigRequest } from '../../contracts/hub-api.ts';
import { OUTBOX_KINDS, OutboxBatch, OUTBOX_LIMITS, type OutboxKind } from '../../contracts/outbox.ts';
import { FleetCommandId, FleetCommandResult, KIOSK_HEADERS, Sha256Hex, SyncQuery } from '../../contracts/sync-protocol.ts';
import { nowIso, type HubDb } from '../db/open.ts';
import { setConfig } from '../fleet/config.ts';
import { addKiosk, FleetError, listKiosks, revokeKiosk, tokenHash, uptimeFromHeader } from '../fleet/kiosks.ts';
import { createCommand, listCommands, openCommandsFor, reportCommand } from '../fleet/commands.ts';
import { deviceHealthFromHeader } from '../fleet/device-health.ts';
import { acceptBatch, listInbox, searchStats } from '../inbox/inbox.ts';
import { compact } from '../sync/gc.ts';
import { HeadWatcher } from '../sync/head.ts';
import { kioskScopes, readPage, resolvePageRequest, SyncRequestError } from '../sync/pages.ts';
import { buildOpenApi } from './openapi.ts';
import { CUSTOMER_SESSION_HEADER, IdCardIdentifyRequest, OrderChangeRequest, RefundRequest, SmsRequest, SmsVerifyRequest } from '../../contracts/identity.ts';
import { DomainError, IdentityService, LogSmsSender, type IdentityOptions } from '../identity/identity.ts';
import { ChallengeIdParam, FingerprintChallengeRequest, FingerprintEnrolRequest, FingerprintResultRequest } from '../../contracts/fingerprint.ts';
import { FingerprintService, type FingerprintLimits } from '../identity/fingerprint.ts';
import { BuiltinOrderStore, type OrderSystem } from '../orders/orders.ts';
import { applyQueuedOrderRequests } from '../orders/queued.ts';
import { QueueCallRequest, QueueTakeRequest } from '../../contracts/queue.ts';
import { QueueNumbers, type QueueOptions } from '../queue/queue.ts';

const gzipAsync = promisify(gzip);

export interface HubServerOptions {
  /** Requests per minute per device token (or per IP without one). */
  rateLimitPerMinute?: number;
  /** pino logger options, or false (tests). */
  logger?: boolean | object;
  /** HTTPS: PEM files. */
  tls?: { cert: string; key: string } | undefined;
  /** How long an authenticated token stays cached (revocation takes effect within this). */
  authCacheMs?: number;
  /** Customer identification: SMS sender, limits, clock (default: codes go to the hub log, masked). */
  identity?: IdentityOptions;
  /** Fingerprint challenge limits (clock and secret come from `identity`). */
  fingerprint?: Partial<FingerprintLimits>;
  /** The order system adapter (default: the built-in store in the hub database). */
  orders?: OrderSystem;
  /** Queue numbers: the time zone whose day they restart in (default Asia/Shanghai), clock. */
  queue?: QueueOptions;
}

interface Principal {
  type: 'kiosk' | 'admin';
  id: string;
  branch: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    tokenHash: string | null;
  }
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = details[0]!;
  throw new HttpError(400, 'bad_request', `${what}: ${first.path ? `field '${first.path}': ` : ''}${first.message}`, details);
}

export interface HubServer {
  app: FastifyInstance;
  head: HeadWatcher;
  /** Writes buffered kiosk status (last seen, cursor) now. */
  flushStatus(): Promise<void>;
  close(): Promise<void>;
}

export async function buildHubServer(hub: HubDb, options: HubServerOptions = {}): Promise<HubServer> {
  const base = {
    logger:
      options.logger === undefined || options.logger === false
        ? false
        : {
            level: 'info',
            redact: ['req.headers.authorization'],
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    bodyLimit: OUTBOX_LIMITS.maxBatchBytes,
  };
  // HTTPS when given PEM files; the instance type is the same for our purposes.
  const app = (
    options.tls
      ? Fastify({ ...base, https: { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) } } as FastifyHttpsOptions<https.Server>)
      : Fastify(base as FastifyServerOptions)
  ) as unknown as FastifyInstance;
  const head = new HeadWatcher(hub);
  await head.start();
  const pageCache = new PageCache(64 * 1024 * 1024);

  // ---- authentication ---------------------------------------------------------------------
  const authCacheMs = options.authCacheMs ?? 10_000;
  const authCache = new Map<string, { principal: Principal | null; until: number }>();
  const failures = new Map<string, { n: number; until: number }>();
  const statusBuffer = new Map<string, { at: string; cursor: number; appVersion: string | null; backlog: number | null; updateState: string | null; deviceHealth: string | null; uptime: number | null }>();

  app.decorateRequest('principal', null);
  app.decorateRequest('tokenHash', null);
  app.addHook('onRequest', async (req) => {
    const h = req.headers.authorization;
    if (h && h.startsWith('Bearer ') && h.length < 300) req.tokenHash = tokenHash(h.slice(7).trim());
  });

  await app.register(rateLimit, {
    global: true,
    max: options.rateLimitPerMinute ?? 1200,
    timeWindow: 60_000,
    cache: 20_000,
    keyGenerator: (req) => (req.tokenHash ? `t:${req.tokenHash}` : `ip:${req.ip}`),
    allowList: (req) => req.url === '/v1/health',
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: ctx.statusCode,
      error: { code: 'rate_limited', message: `too many requests; retry after ${ctx.after}` },
    }),
  });

  async function lookup(hash: string): Promise<Principal | null> {
    const now = Date.now();
    const hit = authCache.get(hash);
    if (hit && hit.until > now) return hit.principal;
    let principal: Principal | null = null;
    const kiosk = await hub.db.selectFrom('kiosks').select(['id', 'branch', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst();
    if (kiosk && !kiosk.revoked_at) principal = { type: 'kiosk', id: kiosk.id, branch: kiosk.branch };
    if (!kiosk) {
      const admin = await hub.db.selectFrom('meta').select('value').where('key', '=', 'admin_token_hash').executeTakeFirst();
      if (admin && admin.value === hash) principal = { type: 'admin', id: 'admin', branch: null };
    }
    if (authCache.size > 50_000) authCache.clear();
    authCache.set(hash, { principal, until: now + (principal ? authCacheMs : Math.min(authCacheMs, 2000)) });
    return principal;
  }

  function requireAuth(type: Principal['type']) {
    return async (req: FastifyRequest) => {
      const now = Date.now();
      const f = failures.get(req.ip);
      if (f && f.until > now && f.n >= 30) throw new HttpError(429, 'rate_limited', 'too many failed authentications; retry later');
      const principal = req.tokenHash ? await lookup(req.tokenHash) : null;
      if (!principal || principal.type !== type) {
        const next = f && f.until > now ? { n: f.n + 1, until: f.until } : { n: 1, until: now + 60_000 };
        if (failures.size > 10_000) failures.clear();
        failures.set(req.ip, next);
        if (!req.tokenHash) throw new HttpError(401, 'unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
        if (principal) throw new HttpError(403, 'forbidden', `this endpoint needs a${type === 'admin' ? 'n admin' : ' kiosk'} token`);
        throw new HttpError(401, 'unauthorized', 'unknown or revoked token');
      }
      req.principal = principal;
    };
  }
  const kioskAuth = requireAuth('kiosk');
  const adminAuth = requireAuth('admin');

  function noteStatus(req: FastifyRequest, cursor: number): void {
    const p = req.principal!;
    const appVersion = req.headers[KIOSK_HEADERS.appVersion];
    const backlog = Number(req.headers[KIOSK_HEADERS.outboxBacklog]);
    const updateState = req.headers[KIOSK_HEADERS.updateState];
    statusBuffer.set(p.id, {
      at: nowIso(),
      cursor,
      appVersion: typeof appVersion === 'string' ? appVersion.slice(0, 64) : null,
      backlog: Number.isInteger(backlog) && backlog >= 0 ? backlog : null,
      updateState: typeof updateState === 'string' && /^[a-z-]{1,32}$/.test(updateState) ? updateState : null,
      // a malformed report is ignored (hub/fleet/device-health.ts); a good one buffered earlier stays
      deviceHealth: deviceHealthFromHeader(req.headers[KIOSK_HEADERS.deviceHealth]) ?? statusBuffer.get(p.id)?.deviceHealth ?? null,
      // hostile or absent: ignored (null), the stored value and its report time stay
      uptime: uptimeFromHeader(req.headers[KIOSK_HEADERS.uptime]),
    });
  }

  async function flushStatus(): Promise<void> {
    if (statusBuffer.size === 0) return;
    const batch = [...statusBuffer];
    statusBuffer.clear();
    await hub.write(async (trx) => {
      for (const [id, s] of batch) {
        await trx
          .updateTable('kiosks')
          .set({ last_seen_at: s.at, last_cursor: s.cursor, ...(s.appVersion ? { app_version: s.appVersion } : {}), ...(s.backlog !== null ? { outbox_backlog: s.backlog } : {}), ...(s.updateState ? { update_state: s.updateState } : {}), ...(s.deviceHealth ? { device_health: s.deviceHealth } : {}), ...(s.uptime !== null ? { uptime_seconds: s.uptime, uptime_at: s.at } : {}) })
          .where('id', '=', id)
          .execute();
      }
    });
  }
  const flushTimer = setInterval(() => void flushStatus().catch((err: Error) => app.log.warn({ err: err.message }, 'kiosk status flush failed')), 5000);
  flushTimer.unref();

  // ---- errors --------------------------------------------------------------------------------
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` } });
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (err instanceof SyncRequestError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.horizon !== undefined ? { horizon: err.horizon } : {}) } });
    }
    if (err instanceof DomainError) {
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.retryAfterSec !== undefined ? { retryAfterSec: err.retryAfterSec } : {}) } });
    }
    if (err instanceof FleetError) {
      const status = err.code === 'not_found' ? 404 : err.code === 'conflict' ? 409 : 400;
      return reply.code(status).send({ error: { code: err.code, message: err.message } });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: err.message } });
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'too_large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
              ? 'malformed_json'
              : 'bad_request';
      return reply.code(status).send({ error: { code, message: err.message } });
    }
    req.log.error({ err: { message: err.message, code: err.code } }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error; see the hub log' } });
  });

  // ---- kiosk endpoints -------------------------------------------------------------------------
  app.get('/v1/health', async () => {
    const s = await head.current();
    return { ok: true, hubId: s.hubId, head: s.head, db: hub.dialect };
  });

  app.get('/v1/openapi.json', async () => buildOpenApi());

  app.get('/v1/sync/changes', { onRequest: kioskAuth }, async (req, reply) => {
    const q = parseOr400(SyncQuery, req.query, 'bad sync query');
    const state = head.peek() ?? (await head.current());
    noteStatus(req, q.since);
    const etag = `"${state.hubId}:${state.head}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    // The poll a fleet makes every few minutes: answered from memory.
    if (q.after === undefined && q.to === undefined && req.headers['if-none-match'] === etag) return reply.code(304).send();
    const r = resolvePageRequest(state, q, kioskScopes(req.principal!));
    reply.header('content-type', 'application/json; charset=utf-8');
    const gzipped = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    // A page of snapshot `to` never changes until compaction moves a horizon (part of the key):
    // a fleet asking for the same delta is served from memory.
    const cacheKey = `${state.hubId}|${state.snapshotHorizon}|${state.tombstoneHorizon}|${r.scopes.join(',')}|${r.since}|${r.after}|${r.to}|${r.limit}|${gzipped}`;
    let body = pageCache.get(cacheKey);
    if (!body) {
      const page = await readPage(hub.db, state, r);
      body = gzipped && page.body.length > 1024 ? await gzipAsync(page.body) : Buffer.from(page.body);
      if (gzipped && page.body.length > 1024) (body as Buffer & { gzip?: boolean }).gzip = true;
      pageCache.set(cacheKey, body);
    }
    if ((body as Buffer & { gzip?: boolean }).gzip) reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
    return reply.send(body);
  });

  app.get<{ Params: { sha256: string } }>('/v1/blobs/:sha256', { onRequest: kioskAuth }, async (req, reply) => {
    const sha = parseOr400(Sha256Hex, req.params.sha256, 'bad blob digest');
    const blob = await hub.db.selectFrom('blobs').select(['media_type', 'size', 'data']).where('sha256', '=', sha).executeTakeFirst();
    if (!blob) throw new HttpError(404, 'not_found', `no blob ${sha}`);
    const data = Buffer.from(blob.data);
    reply.header('etag', `"${sha}"`).header('cache-control', 'private, max-age=31536000, immutable').header('accept-ranges', 'bytes');
    const range = req.headers.range;
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      let start = m?.[1] ? Number(m[1]) : NaN;
      let end = m?.[2] ? Number(m[2]) : data.length - 1;
      if (m && !m[1] && m[2]) {
        start = Math.max(0, data.length - Number(m[2]));
        end = data.length - 1;
      }
      if (!m || !Number.isFinite(start) || start > end || start >= data.length) {
        return reply.code(416).header('content-range', `bytes */${data.length}`).send({ error: { code: 'range_not_satisfiable', message: `range ${range.slice(0, 50)} is outside 0-${data.length - 1}` } });
      }
      end = Math.min(end, data.length - 1);
      return reply.code(206).header('content-type', blob.media_type).header('content-range', `bytes ${start}-${end}/${data.length}`).send(data.subarray(start, end + 1));
    }
    return reply.header('content-type', blob.media_type).send(data);
  });

  app.post('/v1/outbox', { onRequest: kioskAuth }, async (req) => {
    const batch = parseOr400(OutboxBatch, req.body, 'bad outbox batch');
    const results = await acceptBatch(hub, req.principal!.id, batch);
    // Order requests queued while the hub was unreachable take effect now (idempotent by item key).
    for (const o of await applyQueuedOrderRequests(hub, orders, req.principal!.id, batch, results)) {
      if (!o.applied) req.log.warn({ key: o.key, reason: o.reason }, 'queued order request not applied; it stays in the inbox for staff');
    }
    return { results };
  });

  // ---- hub commands (hub/fleet/commands.ts; docs/sync-protocol.md "Hub commands") -----------------
  app.get('/v1/fleet/commands', { onRequest: kioskAuth }, async (req) => ({ commands: await openCommandsFor(hub, req.principal!.id) }));
  app.post<{ Params: { id: string } }>('/v1/fleet/commands/:id/result', { onRequest: kioskAuth }, async (req) => {
    const id = parseOr400(FleetCommandId, req.params.id, 'bad command id');
    const body = parseOr400(FleetCommandResult, req.body, 'bad command result');
    return reportCommand(hub, req.principal!.id, id, body);
  });

  // ---- customer identification and orders (kiosk token + customer session) ------------------
  const identity = new IdentityService(hub, options.identity?.sms ?? new LogSmsSender((l) => app.log.info(l)), options.identity);
  const orders = options.orders ?? new BuiltinOrderStore(hub);
  const customerOf = (req: FastifyRequest) => {
    const h = req.headers[CUSTOMER_SESSION_HEADER];
    return identity.customerOf(req.principal!.id, typeof h === 'string' ? h : undefined);
  };
  app.post('/v1/identity/idcard', { onRequest: kioskAuth }, async (req) => {
    const body = parseOr400(IdCardIdentifyRequest, req.body, 'bad identification');
    return identity.identifyByIdNumber(req.principal!.id, body.idNumber);
  });
  app.post('/v1/identity/sms/request', { onRequest: kioskAuth }, async (req) => {
    const body = parseOr400(SmsRequest, req.body, 'bad SMS request');
    return identity.requestSms(req.principal!.id, body.phone);
  });
  app.post('/v1/identity/sms/verify', { onRequest: kioskAuth }, async (req) => {
    const body = parseOr400(SmsVerifyRequest, req.body, 'bad SMS verification');
    return identity.verifySms(req.principal!.id, body.challengeId, body.code);
  });
  // Fingerprint 1:1: staff enrolment, then challenge → release → result (hub/identity/fingerprint.ts).
  const fingerprint = new FingerprintService(hub, { limits: options.fingerprint, now: options.identity?.now, secret: options.identity?.secret });
  app.post('/v1/identity/fingerprint/templates', { onRequest: kioskAuth }, async (req) => {
    const body = parseOr400(FingerprintEnrolRequest, req.body, 'bad fingerprint enrolment');
    const r = await fingerprint.enrol(req.principal!.id, body.customerRef, body.template);
    req.log.info({ kiosk: req.principal!.id, replaced: r.replaced }, 'fingerprint template enrolled');
    return r;
  });
  app.post('/v1/identity/fingerprint/challenges', { onRequest: kioskAuth }, async (req) => {
    const body = parseOr400(FingerprintChallengeRequest, req.body, 'bad fingerprint challenge');
    return fingerprint.challenge(req.principal!.id, body.phone);
  });
  app.post<{ Params: { id: string } }>('/v1/identity/fingerprint/challenges/:id/template', { onRequest: kioskAuth }, async (req) => {
    return fingerprint.release(req.principal!.id, parseOr400(ChallengeIdParam, req.params.id, 'bad challenge id'));
  });
  app.post<{ Params: { id: string } }>('/v1/identity/fingerprint/challenges/:id/result', { onRequest: kioskAuth }, async (req) => {
    const id = parseOr400(ChallengeIdParam, req.params.id, 'bad challenge id');
    const body = parseOr400(FingerprintResultRequest, req.body, 'bad fingerprint result');
    return fingerprint.result(req.principal!.id, id, body.matched);
  });
  app.post<{ Params: { id: string } }>('/v1/customer/sessions/:id/revoke', { onRequest: kioskAuth }, async (req) => {
    await identity.revoke(req.principal!.id, req.params.id.slice(0, 64));
    return { ok: true };
  });
  app.get('/v1/customer/orders', { onRequest: kioskAuth }, async (req) => ({ orders: await orders.list(await customerOf(req)) }));
  app.get<{ Params: { id: string } }>('/v1/customer/orders/:id', { onRequest: kioskAuth }, async (req) => orders.get(await customerOf(req), req.params.id.slice(0, 128)));
  app.post<{ Params: { id: string } }>('/v1/customer/orders/:id/changes', { onRequest: kioskAuth }, async (req) => {
    const customer = await customerOf(req);
    const body = parseOr400(OrderChangeRequest, req.body, 'bad order change');
    return orders.change(req.principal!.id, customer, req.params.id.slice(0, 128), body);
  });
  app.post<{ Params: { id: string } }>('/v1/customer/orders/:id/refunds', { onRequest: kioskAuth }, async (req) => {
    const customer = await customerOf(req);
    const body = parseOr400(RefundRequest, req.body, 'bad refund request');
    return orders.requestRefund(req.principal!.id, customer, req.params.id.slice(0, 128), body);
  });

  // ---- queue numbers (kiosk token; a counter calls the next with the admin token) -------------
  const queue = new QueueNumbers(hub, options.queue);
  app.post('/v1/queue/take', { onRequest: kioskAuth }, async (req) => {
    const body = parseOr400(QueueTakeRequest, req.body, 'bad queue request');
    return queue.take(req.principal!.id, req.principal!.branch, body.service);
  });
  app.post('/v1/admin/queue/call', { onRequest: adminAuth }, async (req) => {
    const body = parseOr400(QueueCallRequest, req.body, 'bad queue call');
    return queue.callNext(body.branch, body.service);
  });

  // ---- admin API -----------------------------------------------------------------------------
  app.get('/v1/admin/kiosks', { onRequest: adminAuth }, async () => ({ kiosks: await listKiosks(hub.db) }));
  app.post('/v1/admin/kiosks', { onRequest: adminAuth }, async (req, reply) => {
    const body = parseOr400(CreateKioskRequest, req.body, 'bad kiosk');
    return reply.code(201).send(await addKiosk(hub, body.name, body.branch ?? null));
  });
  app.delete<{ Params: { name: string } }>('/v1/admin/kiosks/:name', { onRequest: adminAuth }, async (req) => {
    const kiosk = await revokeKiosk(hub, req.params.name);
    authCache.clear();
    return { kiosk };
  });
  app.post<{ Params: { name: string } }>('/v1/admin/kiosks/:name/commands', { onRequest: adminAuth }, async (req, reply) => {
    const body = parseOr400(CreateCommandRequest, req.body, 'bad command');
    return reply.code(201).send({ command: await createCommand(hub, req.params.name.slice(0, 64), body.type) });
  });
  app.get<{ Params: { name: string } }>('/v1/admin/kiosks/:name/commands', { onRequest: adminAuth }, async (req) => {
    const q = parseOr400(ListQuery, req.query, 'bad query');
    return { commands: await listCommands(hub.db, req.params.name.slice(0, 64), q.limit ?? 100) };
  });
  app.put('/v1/admin/config', { onRequest: adminAuth }, async (req) => {
    const body = parseOr400(SetConfigRequest, req.body, 'bad configuration');
    const result = await setConfig(hub, body.target, body.config);
    head.invalidate();
    return result;
  });
  app.get<{ Params: { kind: string } }>('/v1/admin/inbox/:kind', { onRequest: adminAuth }, async (req) => {
    if (!OUTBOX_KINDS.includes(req.params.kind as OutboxKind)) throw new HttpError(404, 'not_found', `no item kind '${req.params.kind.slice(0, 64)}'`);
    const q = parseOr400(ListQuery, req.query, 'bad query');
    return { items: await listInbox(hub.db, req.params.kind as OutboxKind, q.limit ?? 100) };
  });
  app.get('/v1/admin/analytics/searches', { onRequest: adminAuth }, async (req) => {
    const q = parseOr400(ListQuery, req.query, 'bad query');
    return { searches: await searchStats(hub.db, { noResults: q.noResults === 'true' || q.noResults === '1', limit: q.limit ?? 50, locale: q.locale }) };
  });
  app.post('/v1/admin/gc', { onRequest: adminAuth }, async (req) => {
    const body = parseOr400(GcRequest, req.body ?? {}, 'bad gc request');
    const result = await compact(hub, { olderThanMs: body.olderThanDays * 86_400_000 });
    head.invalidate();
    return result;
  });

  return {
    app,
    head,
    flushStatus,
    async close() {
      clearInterval(flushTimer);
      await app.close();
      await flushStatus().catch(() => {});
      await head.close();
    },
  };
}

/** Bytes-bounded LRU of page bodies. */
class PageCache {
  private readonly map = new Map<string, Buffer>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: Buffer): void {
    if (value.length > this.maxBytes / 16) return;
    this.map.set(key, value);
    this.bytes += value.length;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.length;
    }
  }
}
