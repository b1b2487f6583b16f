// The hub's HTTP server: a Fastify instance with the error shape (errors.ts), per-route auth
// (auth.ts), the rate limit, and one plugin per area of the route table (routes/<area>.ts, each
// registered from contracts/hub-routes/ through area-plugin.ts). Logs carry method, path and
// status — never bodies, tokens or query text beyond the sync cursors.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyHttpsOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type https from 'node:https';
import { readFileSync } from 'node:fs';
import { OUTBOX_LIMITS } from '../../contracts/outbox.ts';
import { metaSecret, type HubDb } from '../db/open.ts';
import { legacyAdminToken, personalTokenAuthenticator, sessionAuthenticator } from '../auth/authenticators.ts';
import { ConsoleAuth, type ConsoleAuthOptions } from '../auth/console-auth.ts';
import { FingerprintService, type FingerprintLimits } from '../identity/fingerprint.ts';
import { IdentityService, LogSmsSender, type IdentityOptions } from '../identity/identity.ts';
import { BuiltinOrderStore, type OrderSystem } from '../orders/orders.ts';
import { QueueNumbers, type QueueOptions } from '../queue/queue.ts';
import { HeadWatcher } from '../sync/head.ts';
import { hashBearerToken, type AuthDeps, type UserAuthenticator } from './auth.ts';
import { AuthFailures } from './auth-failures.ts';
import type { HubContext } from './context.ts';
import { HttpError, installErrorHandlers } from './errors.ts';
import { PageCache } from './page-cache.ts';
import { installResponseCheck } from './response-check.ts';
import admin from './routes/admin.ts';
import audit from './routes/audit.ts';
import authRoutes from './routes/auth.ts';
import fleet from './routes/fleet.ts';
import identity from './routes/identity.ts';
import inbox from './routes/inbox.ts';
import meta from './routes/meta.ts';
import orders from './routes/orders.ts';
import queue from './routes/queue.ts';
import sync from './routes/sync.ts';
import tokensRoutes from './routes/tokens.ts';
import users from './routes/users.ts';
import { KioskStatusBuffer } from './status-buffer.ts';
import { MemoryEventBus, type EventBus } from '../events/bus.ts';
import { SseHub, type SseOptions } from '../events/sse.ts';
import { FleetLive, type FleetLiveOptions } from '../fleet/live.ts';
import { ArtifactStore, defaultUpdatesDir } from '../updates/artifact-store.ts';
import { UPDATE_LIMITS } from '../../contracts/updates.ts';
import config from './routes/config.ts';
import events from './routes/events.ts';
import kiosks from './routes/kiosks.ts';
import updates from './routes/updates.ts';
import { adminTokenAuthenticator, TokenLookup } from './tokens.ts';

export { HttpError } from './errors.ts';
export type { KioskPrincipal, RequestPrincipal, UserAuthenticator, UserPrincipal } from './auth.ts';

/** One plugin per area of HUB_AREAS (contracts/hub-routes/index.ts). */
const AREA_PLUGINS = [meta, sync, fleet, inbox, identity, orders, queue, admin, kiosks, config, updates, events, authRoutes, users, tokensRoutes, audit];

export interface HubServerOptions {
  /** Requests per minute per device token (or per IP without one). */
  rateLimitPerMinute?: number;
  /** pino logger options, or false (tests). */
  logger?: boolean | object;
  /** HTTPS: PEM files. */
  tls?: { cert: string; key: string } | undefined;
  /** How long an authenticated token stays cached (revocation takes effect within this). */
  authCacheMs?: number;
  /** Further ways to find people, tried after personal tokens, the shared admin token and console sessions. */
  userAuthenticators?: UserAuthenticator[];
  /** Console sign-in: session lifetimes, cookie Secure flag, SSO settings, lockout policy, clock. */
  consoleAuth?: ConsoleAuthOptions;
  /** Failed authentications per address and minute before it is refused for the minute (default 30). */
  authFailuresPerMinute?: number;
  /** Where each use of the deprecated shared admin token is reported (default: the hub log, warn). */
  onDeprecated?: (message: string) => void;
  /** Customer identification: SMS sender, limits, clock (default: codes go to the hub log, masked). */
  identity?: IdentityOptions;
  /** Fingerprint challenge limits (clock and secret come from `identity`). */
  fingerprint?: Partial<FingerprintLimits>;
  /** The order system adapter (default: the built-in store in the hub database). */
  orders?: OrderSystem;
  /** Queue numbers: the time zone whose day they restart in (default Asia/Shanghai), clock. */
  queue?: QueueOptions;
  /** Tests: check every answer against the route table (response-check.ts). */
  checkResponses?: boolean;
  /** The console's fleet view: online threshold, history bucket size, clock. */
  fleet?: FleetLiveOptions;
  /** Live events: the bus (a hub cluster shares one across replicas; default: this process's) and
   *  the server-sent-events limits. */
  events?: SseOptions & { bus?: EventBus };
  /** Release artifacts: the folder (default: defaultUpdatesDir) and the size limit. */
  updates?: { dir?: string; maxArtifactBytes?: number };
}

export interface HubServer {
  app: FastifyInstance;
  head: HeadWatcher;
  /** Every route Fastify registered (from its onRoute hook), with the table's id. */
  routes: Array<{ method: string; url: string; routeId: string | undefined }>;
  /** With `checkResponses`: answers that did not match the route table. */
  responseProblems: string[];
  /** Writes buffered kiosk status (last seen, cursor) now, with its history and live events. */
  flushStatus(): Promise<void>;
  /** The live-event connections (tests and the bench read their stats). */
  sse: SseHub;
  close(): Promise<void>;
}

function createFastify(options: HubServerOptions): FastifyInstance {
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
  return (
    options.tls
      ? Fastify({ ...base, https: { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) } } as FastifyHttpsOptions<https.Server>)
      : Fastify(base as FastifyServerOptions)
  ) as unknown as FastifyInstance;
}

export async function buildHubServer(hub: HubDb, options: HubServerOptions = {}): Promise<HubServer> {
  const app = createFastify(options);
  const routes: HubServer['routes'] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, routeId: r.config?.routeId });
  });
  const head = new HeadWatcher(hub);
  await head.start();
  const bus = options.events?.bus ?? new MemoryEventBus();
  const sse = new SseHub(bus, options.events);
  const fleetLive = new FleetLive(hub, head, bus, options.fleet);
  await fleetLive.start();
  const status = new KioskStatusBuffer(hub, (batch) => fleetLive.flushed(batch));
  status.start((err) => app.log.warn({ err: err.message }, 'kiosk status flush failed'));
  const artifacts = new ArtifactStore(options.updates?.dir ?? defaultUpdatesDir(hub.spec, process.env), options.updates?.maxArtifactBytes ?? UPDATE_LIMITS.defaultMaxArtifactBytes);
  const tokens = new TokenLookup(hub, options.authCacheMs ?? 10_000);
  const consoleAuth = new ConsoleAuth(hub, options.consoleAuth ?? {}, () => metaSecret(hub.db, 'auth_secret'));
  const deprecated = options.onDeprecated ?? ((m: string) => app.log.warn(m));
  const auth: AuthDeps = {
    tokens,
    users: [
      personalTokenAuthenticator(hub, options.consoleAuth?.now),
      legacyAdminToken(adminTokenAuthenticator(tokens), deprecated),
      sessionAuthenticator(hub, consoleAuth.policy, options.consoleAuth?.now),
      ...(options.userAuthenticators ?? []),
    ],
    failures: new AuthFailures(options.authFailuresPerMinute ?? 30),
  };

  app.decorateRequest('principal', null);
  app.decorateRequest('tokenHash', null);
  app.decorateRequest('caller', null);
  app.decorateRequest('audit', null);
  // Parses Cookie headers for the console session (hub_session) and the SSO transaction (hub_sso).
  await app.register(cookie);
  app.addHook('onRequest', hashBearerToken);
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimitPerMinute ?? 1200,
    timeWindow: 60_000,
    cache: 20_000,
    keyGenerator: (req) => (req.tokenHash ? `t:${req.tokenHash}` : `ip:${req.ip}`),
    // Thrown by the plugin: an HttpError carries its message into the error body (a plain object lost it).
    errorResponseBuilder: (_req, ctx) => new HttpError(ctx.statusCode, 'rate_limited', `too many requests; retry after ${ctx.after}`),
  });
  installErrorHandlers(app);
  const responseProblems = options.checkResponses ? installResponseCheck(app) : [];

  const ctx: HubContext = {
    hub,
    head,
    auth,
    status,
    pages: new PageCache(64 * 1024 * 1024),
    identity: new IdentityService(hub, options.identity?.sms ?? new LogSmsSender((l) => app.log.info(l)), options.identity),
    fingerprint: new FingerprintService(hub, { limits: options.fingerprint, now: options.identity?.now, secret: options.identity?.secret }),
    orders: options.orders ?? new BuiltinOrderStore(hub),
    queue: new QueueNumbers(hub, options.queue),
    events: bus,
    sse,
    fleet: fleetLive,
    artifacts,
    consoleAuth,
  };
  // Open event streams would keep close() waiting: end them first.
  app.addHook('preClose', async () => sse.closeAll());
  for (const plugin of AREA_PLUGINS) await app.register(plugin, ctx);

  return {
    app,
    head,
    routes,
    responseProblems,
    flushStatus: () => status.flush(),
    sse,
    async close() {
      await app.close();
      await status.stop();
      await fleetLive.close().catch((err: Error) => app.log.warn({ err: err.message }, 'status history not written at close'));
      await head.close();
    },
  };
}
