// The route table (contracts/hub-routes/) against its three ends: the routes Fastify registered,
// the OpenAPI document and docs/hub-api.md; and authorisation derived from it, route by route,
// over real HTTP on SQLite and PostgreSQL.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonErrors, HUB_AREAS, HUB_ROUTE_IDS, HUB_ROUTES, openApiPath, pathParams, type RouteSpec } from '../../contracts/hub-routes/index.ts';
import { HubDb } from '../../hub/db/open.ts';
import { buildOpenApi } from '../../hub/server/openapi.ts';
import { routeIndexMarkdown, withRouteIndex } from '../../hub/server/route-index.ts';
import { buildHubServer, type UserAuthenticator } from '../../hub/server/server.ts';
import { api, freshDbSpec, postgresUnavailable, runCli, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();
if (pgSkip) console.warn(`[route-table] PostgreSQL variant SKIPPED: ${pgSkip}`);

const ROUTES = Object.entries(HUB_ROUTES) as Array<[string, RouteSpec]>;

/** A request from a chosen loopback address (127.0.0.0/8 is all ours): each route's failures count
 *  against its own address, so the 30-a-minute failed-authentication limit never mixes them up. */
function request(t: TestHub, from: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; json: { error?: { code: string; message: string; details?: Array<{ path: string }> } } | null }> {
  const url = new URL(path, t.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress: from, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      // a stream of live events never ends: its status is the answer
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        req.destroy();
        return resolve({ status: res.statusCode!, json: null });
      }
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON (blobs, 304) */
        }
        resolve({ status: res.statusCode!, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Any value for each path parameter: auth runs before validation. */
const samplePath = (spec: RouteSpec) => spec.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => (name === 'sha256' ? '0'.repeat(64) : 'x1'));

describe('the route table', () => {
  it('keys each route by <area>.<action>, and each path parameter has its schema', () => {
    const ids = new Set<string>();
    for (const [area, routes] of Object.entries(HUB_AREAS)) {
      for (const [id, spec] of Object.entries(routes) as Array<[string, RouteSpec]>) {
        expect(id.startsWith(`${area}.`), id).toBe(true);
        expect(ids.has(id), id).toBe(false);
        ids.add(id);
        // the API under /v1/; the update feed where electron-updater expects a static folder;
        // /console/auth/… are the browser's SSO round trip (pages and redirects), not API calls.
        expect(spec.path.startsWith('/v1/') || (spec.path.startsWith('/updates/') && spec.auth.kind === 'public') || spec.path.startsWith('/console/auth/'), id).toBe(true);
        expect(pathParams(spec.path).sort(), id).toEqual(Object.keys(spec.params?.shape ?? {}).sort());
        expect(spec.summary.length, id).toBeGreaterThan(5);
        const statuses = Object.keys(spec.responses).map(Number);
        expect(statuses.length, id).toBeGreaterThan(0);
        // An answer ≥ 400 in `responses` is a page for a person (binary), never a JSON error.
        expect(statuses.every((s) => (s >= 200 && s < 400) || spec.responses[s]!.kind === 'binary'), id).toBe(true);
        expect(Object.keys(spec.errors ?? {}).every((s) => Number(s) >= 400), id).toBe(true);
        if (typeof spec.invalid === 'object') for (const part of Object.keys(spec.invalid)) expect(spec[part as 'params'], `${id}: invalid.${part} without a schema`).toBeDefined();
      }
    }
    expect([...ids].sort()).toEqual([...HUB_ROUTE_IDS].sort());
    const endpoints = ROUTES.map(([, s]) => `${s.method} ${s.path}`);
    expect(new Set(endpoints).size).toBe(endpoints.length);
  });

  it('is the OpenAPI document: every route with its method, security, roles and statuses', () => {
    const doc = buildOpenApi() as { paths: Record<string, Record<string, { operationId: string; security?: unknown; 'x-roles'?: string[]; responses: Record<string, unknown>; parameters?: Array<{ name: string; in: string }> }>> };
    let operations = 0;
    for (const ops of Object.values(doc.paths)) operations += Object.keys(ops).length;
    expect(operations).toBe(ROUTES.length);
    for (const [id, spec] of ROUTES) {
      const op = doc.paths[openApiPath(spec.path)]?.[spec.method.toLowerCase()];
      expect(op, id).toBeDefined();
      expect(op!.operationId).toBe(id);
      expect(op!.security, id).toEqual(spec.auth.kind === 'public' ? undefined : spec.auth.kind === 'kiosk' ? [{ kioskToken: [] }] : [{ adminToken: [] }]);
      expect(op!['x-roles'], id).toEqual(spec.auth.kind === 'user' ? [...spec.auth.roles] : undefined);
      const statuses = [...Object.keys(spec.responses), ...Object.keys(spec.errors ?? {}), ...Object.keys(commonErrors(spec))];
      expect(Object.keys(op!.responses).sort(), id).toEqual([...new Set(statuses)].sort());
      for (const name of pathParams(spec.path)) expect(op!.parameters, id).toContainEqual(expect.objectContaining({ name, in: 'path' }));
    }
  });

  it('is docs/hub-api.md: the route index is the generated one, and the page names no route the table lacks', () => {
    const page = readFileSync(new URL('../../docs/hub-api.md', import.meta.url), 'utf8');
    expect(page, 'run `npx tsx scripts/hub-api-doc.ts`').toBe(withRouteIndex(page));
    for (const [id, spec] of ROUTES) expect(routeIndexMarkdown()).toContain(`| \`${id}\` | \`${spec.method} ${openApiPath(spec.path)}\``);
    const known = new Set(ROUTES.map(([, s]) => `${s.method} ${openApiPath(s.path)}`));
    const erp = page.slice(page.indexOf('### ERP adapter contract'));
    const named = [...page.replace(erp, '').matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/v1\/[^`?\s]*)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(named.length).toBeGreaterThan(ROUTES.length);
    for (const n of named) expect(known.has(n), n).toBe(true);
  });

  it('`hub openapi` prints the document the table generates', async () => {
    const r = await runCli('hub', ['openapi']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(buildOpenApi());
  });
});

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`routes on the server, on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    let t: TestHub;
    let kiosk: { token: string };
    // A console session, as the console engineer will plug it in: here a header names the role.
    const testUsers: UserAuthenticator = async (req) => {
      const role = req.headers['x-test-role'];
      return role === 'editor' || role === 'admin' ? { kind: 'user', id: `u-${role}`, name: role, role, branch: null } : null;
    };

    beforeAll(async () => {
      t = await startHub(backend, { userAuthenticators: [testUsers] });
      kiosk = await t.addKiosk('k1', 'north');
    });
    afterAll(async () => {
      await t.close();
    });

    it('registers exactly the routes of the table (Fastify onRoute), each with its id', async () => {
      await t.server.app.ready();
      const registered = t.server.routes.filter((r) => r.method !== 'HEAD'); // Fastify adds HEAD to each GET
      expect(registered.every((r) => r.routeId !== undefined), JSON.stringify(registered.filter((r) => !r.routeId))).toBe(true);
      expect(registered.map((r) => `${r.routeId} ${r.method} ${r.url}`).sort()).toEqual(ROUTES.map(([id, s]) => `${id} ${s.method} ${s.path}`).sort());
      expect((await api(t, '/v1/openapi.json')).json).toEqual(buildOpenApi());
    });

    it('authorises every route as its table entry says', async () => {
      const passed = (r: { status: number; json: { error?: { code: string; message: string } } | null }) =>
        r.status !== 403 && !(r.status === 401 && /bearer token|unknown or revoked token/.test(r.json?.error?.message ?? ''));
      let n = 0;
      for (const [id, spec] of ROUTES) {
        const from = `127.0.1.${++n}`;
        const call = (headers: Record<string, string>) => request(t, from, spec.method, samplePath(spec), headers, spec.method === 'GET' || spec.method === 'DELETE' ? undefined : '{}');
        const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
        if (spec.auth.kind === 'public') {
          // Never refused for who is asking (a sample path may well be "not found", a dummy body a
          // 400, auth.me a 401 of its own).
          const r = await call({});
          expect(passed(r) && r.status < 500, `${id}: ${r.status} ${JSON.stringify(r.json)}`).toBe(true);
          continue;
        }
        const none = await call({});
        expect([none.status, none.json?.error?.message], id).toEqual([401, 'missing bearer token (Authorization: Bearer <token>)']);
        expect((await call(bearer('lkk_not-a-token'))).json?.error, id).toEqual({ code: 'unauthorized', message: 'unknown or revoked token' });
        if (spec.auth.kind === 'kiosk') {
          const admin = await call(bearer(t.adminToken));
          expect([admin.status, admin.json?.error?.message], id).toEqual([403, 'this endpoint needs a kiosk token']);
          expect((await call({ 'x-test-role': 'admin' })).status, id).toBe(403);
          const ok = await call(bearer(kiosk.token));
          expect(passed(ok), `${id}: ${ok.status} ${JSON.stringify(ok.json)}`).toBe(true);
        } else {
          const roles = spec.auth.roles;
          const needs = roles.length === 1 && roles[0] === 'admin' ? 'an admin token' : `a user with role ${roles.join(' or ')}`;
          const k = await call(bearer(kiosk.token));
          expect([k.status, k.json?.error?.message], id).toEqual([403, `this endpoint needs ${needs}`]);
          const editor = await call({ 'x-test-role': 'editor' });
          if (roles.includes('editor')) expect(passed(editor), `${id}: ${editor.status} ${JSON.stringify(editor.json)}`).toBe(true);
          else expect([editor.status, editor.json?.error?.message], id).toEqual([403, `this endpoint needs ${needs} (your role: editor)`]);
          for (const ok of [await call(bearer(t.adminToken)), await call({ 'x-test-role': 'admin' })]) expect(passed(ok), `${id}: ${ok.status} ${JSON.stringify(ok.json)}`).toBe(true);
        }
      }
    });

    it('answers 429 to an address after 30 failed authentications, and only to that address', async () => {
      const bad = { authorization: 'Bearer lkk_guess' };
      const codes: number[] = [];
      for (let i = 0; i < 32; i++) codes.push((await request(t, '127.0.2.1', 'GET', '/v1/fleet/commands', bad)).status);
      expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
      expect(codes.slice(30)).toEqual([429, 429]);
      // The right token from that address is refused too until the window ends; another address is not.
      expect((await request(t, '127.0.2.1', 'GET', '/v1/fleet/commands', { authorization: `Bearer ${kiosk.token}` })).json?.error?.code).toBe('rate_limited');
      expect((await request(t, '127.0.2.2', 'GET', '/v1/fleet/commands', { authorization: `Bearer ${kiosk.token}` })).status).toBe(200);
    });

    it('refuses a request that fails its schemas with details naming each field', async () => {
      const body = await request(t, '127.0.3.1', 'POST', '/v1/admin/kiosks', { authorization: `Bearer ${t.adminToken}` }, JSON.stringify({ name: '../x', branch: 5, extra: true }));
      expect(body.status).toBe(400);
      expect(body.json?.error?.code).toBe('bad_request');
      expect(body.json?.error?.message).toMatch(/^bad kiosk: field 'name': name may use letters/);
      expect(body.json?.error?.details?.map((d) => d.path).sort()).toEqual(['', 'branch', 'name']);
      // A path parameter is named by the label; its details carry the parameter.
      const param = await request(t, '127.0.3.1', 'POST', '/v1/fleet/commands/not-a-uuid/result', { authorization: `Bearer ${kiosk.token}` }, JSON.stringify({ state: 'done' }));
      expect(param.json?.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^bad command id: [^']*$/), details: [{ path: 'id' }] });
      const query = await request(t, '127.0.3.1', 'GET', '/v1/admin/inbox/ticket?limit=0&bogus=1', { authorization: `Bearer ${t.adminToken}` });
      expect(query.json?.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^bad query: /) });
      expect(query.json?.error?.details?.map((d) => d.path).sort()).toEqual(['', 'limit']);
    });
  });
}

describe('the response check (tests only)', () => {
  it('answers 500 and records an answer that does not match its route, or a status the table does not declare', async () => {
    const hub = await HubDb.open(await freshDbSpec('sqlite'));
    const server = await buildHubServer(hub, { checkResponses: true });
    // Two routes registered by hand under a table id, answering what the table does not allow.
    server.app.get('/test/wrong-shape', { config: { routeId: 'meta.health' } }, async () => ({ ok: 'yes' }));
    server.app.get('/test/undeclared', { config: { routeId: 'meta.health' } }, async (_req, reply) => reply.code(202).send({ ok: true }));
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const wrong = await fetch(`${url}/test/wrong-shape`);
      expect(wrong.status).toBe(500);
      expect(await wrong.json()).toMatchObject({ error: { code: 'internal', message: expect.stringContaining('ok: Invalid input') } });
      expect((await fetch(`${url}/test/undeclared`)).status).toBe(500);
      expect((await fetch(`${url}/v1/health`)).status).toBe(200);
      expect(server.responseProblems).toEqual([
        expect.stringMatching(/^GET \/test\/wrong-shape \(meta\.health\) answered 200: ok: /),
        expect.stringMatching(/^GET \/test\/undeclared \(meta\.health\) answered 202: a status the route table does not declare/),
      ]);
    } finally {
      await server.close();
      await hub.close();
    }
  });
});
