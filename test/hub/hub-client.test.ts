// The typed hub client (contracts/hub-client.ts) against a real hub on loopback: a call per area,
// the hub's refusals, answers that do not match the table (from a real HTTP server that misbehaves),
// no answer at all; and hubPath for every path the kiosk core spells by hand today.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubClient, HubClientError, hubPath, type HubClient } from '../../contracts/hub-client.ts';
import { HUB_ROUTES, type HubRouteId } from '../../contracts/hub-routes/index.ts';
import { CUSTOMER_SESSION_HEADER } from '../../contracts/identity.ts';
import { DEMO_CUSTOMERS, seedDemo } from '../../hub/identity/demo.ts';
import { article, startHub, type TestHub } from './harness.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0c8e50000000049454e44ae426082', 'hex');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const key = (n: number) => `01890a5d-ac96-7${String(n).padStart(3, '0')}-8000-000000000000`;

async function refusal(p: Promise<unknown>): Promise<HubClientError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HubClientError);
  return err as HubClientError;
}

describe('hub client against a real hub', () => {
  let t: TestHub;
  let kiosk: HubClient;
  let admin: HubClient;
  let head: number;

  beforeAll(async () => {
    t = await startHub('sqlite');
    const k = await t.addKiosk('k1', 'north');
    head = (await t.publish([article('a1', 'Lost card', 'Call us. ![x](img/x.png)')], { images: { 'img/x.png': PNG } })).head;
    await seedDemo(t.hub);
    kiosk = createHubClient({ baseUrl: t.url, headers: () => ({ authorization: `Bearer ${k.token}`, 'x-kiosk-app-version': '9.9.9' }) });
    admin = createHubClient({ baseUrl: `${t.url}/`, fetch: (...a) => fetch(...a), headers: () => ({ authorization: `Bearer ${t.adminToken}` }) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('meta and sync: JSON parsed by the table, a 304 as null, blob bytes', async () => {
    const health = await kiosk.call('meta.health');
    expect(health).toMatchObject({ ok: true, head, db: 'sqlite' });
    expect(await admin.call('meta.openapi')).toMatchObject({ openapi: '3.1.0' });
    const page = await kiosk.call('sync.changes', { query: { since: 0 } });
    expect(page?.changes.map((c) => c.kind).sort()).toEqual(['article', 'blob']);
    expect(await kiosk.call('sync.changes', { query: { since: head }, headers: { 'if-none-match': `"${health.hubId}:${head}"` } })).toBeNull();
    const bytes = await kiosk.call('sync.blob', { params: { sha256: sha(PNG) } });
    expect(Buffer.from(bytes)).toEqual(PNG);
  });

  it('fleet, inbox, queue and admin: each area through the same call', async () => {
    const sent = await admin.call('admin.kiosks.commands.create', { params: { name: 'k1' }, body: { type: 'sync' } });
    expect(sent.command).toMatchObject({ kiosk: 'k1', type: 'sync', state: 'pending' });
    const open = await kiosk.call('fleet.commands.open');
    expect(open.commands.map((c) => c.id)).toEqual([sent.command.id]);
    expect(await kiosk.call('fleet.commands.report', { params: { id: sent.command.id }, body: { state: 'done' } })).toEqual({ id: sent.command.id, state: 'done', duplicate: false });
    const delivered = await kiosk.call('inbox.deliver', { body: { items: [{ key: key(1), kind: 'rating', createdAt: '2026-01-01T10:00:00Z', payload: { score: 5, locale: 'en' } }] } });
    expect(delivered.results).toEqual([{ key: key(1), status: 'accepted' }]);
    expect((await admin.call('admin.inbox.list', { params: { kind: 'rating' }, query: { limit: 5 } })).items.map((i) => i.key)).toEqual([key(1)]);
    expect(await kiosk.call('queue.take', { body: { service: 'general' } })).toMatchObject({ number: 'A001', waiting: 0 });
    expect(await admin.call('admin.queue.call', { body: { branch: 'north', service: 'general' } })).toEqual({ called: 'A001', waiting: 0 });
    const kiosks = await admin.call('admin.kiosks.list');
    expect(kiosks.kiosks.map((k) => k.name)).toEqual(['k1']);
    expect(await admin.call('admin.gc')).toMatchObject({ superseded: 0, tombstones: 0 });
  });

  it('identity and orders: a customer session header per call', async () => {
    const zhang = DEMO_CUSTOMERS[0];
    const grant = await kiosk.call('identity.idcard', { body: { idNumber: zhang.idNumber } });
    expect(grant.customer).toMatchObject({ displayName: '张*三', method: 'idcard' });
    const session = { [CUSTOMER_SESSION_HEADER]: grant.session.token };
    const { orders } = await kiosk.call('orders.list', { headers: session });
    expect(orders.length).toBeGreaterThan(3);
    const one = await kiosk.call('orders.get', { params: { id: orders[0]!.id }, headers: session });
    expect(one.id).toBe(orders[0]!.id);
    expect(await kiosk.call('identity.sms.request', { body: { phone: '13900000000' } })).toMatchObject({ challengeId: expect.any(String), resendAfterSec: expect.any(Number) });
    expect(await kiosk.call('identity.session.revoke', { params: { id: grant.session.id } })).toEqual({ ok: true });
    const gone = await refusal(kiosk.call('orders.list', { headers: session }));
    expect([gone.status, gone.code]).toEqual([401, 'unauthorized']);
  });

  it("turns the hub's refusals into one error with its status, code, message and details", async () => {
    const dup = await refusal(admin.call('admin.kiosks.create', { body: { name: 'k1' } }));
    expect([dup.status, dup.code, dup.message]).toEqual([409, 'conflict', "a kiosk named 'k1' already exists"]);
    const bad = await refusal(kiosk.call('identity.idcard', { body: { idNumber: '110101199003071234' } }));
    expect([bad.status, bad.code]).toEqual([400, 'bad_request']);
    expect(bad.message).toMatch(/check character/);
    const reset = await refusal(kiosk.call('sync.changes', { query: { since: head + 50 } }));
    expect([reset.status, reset.code, reset.horizon]).toEqual([410, 'reset_required', 0]);
    const wrongToken = createHubClient({ baseUrl: t.url, headers: () => ({ authorization: 'Bearer lkk_nope' }) });
    expect(await refusal(wrongToken.call('fleet.commands.open'))).toMatchObject({ status: 401, code: 'unauthorized', message: 'unknown or revoked token' });
    expect(await refusal(kiosk.call('admin.kiosks.list'))).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('refuses arguments that fail the route’s schemas before sending, and unknown routes', async () => {
    let sent = 0;
    const counting = createHubClient({ baseUrl: t.url, fetch: (...a) => (sent++, fetch(...a)) });
    const empty = await refusal(counting.call('inbox.deliver', { body: { items: [] } }));
    expect([empty.status, empty.code, empty.details?.[0]?.path]).toEqual([0, 'bad_request', 'items']);
    expect(await refusal(counting.call('sync.blob', { params: { sha256: 'nope' } }))).toMatchObject({ status: 0, code: 'bad_request' });
    // @ts-expect-error — not a route of the table: rejected by the compiler, and at run time.
    expect(await refusal(counting.call('orders.delete', {}))).toMatchObject({ status: 0, code: 'unknown_route' });
    expect(sent).toBe(0);
  });
});

describe('hub client against a hub that misbehaves', () => {
  let server: http.Server;
  let base: string;
  let seen: string[] = [];
  let answer: (res: http.ServerResponse) => void = () => {};

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      answer(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('an answer that does not match the table is bad_response; a foreign error page is still one error', async () => {
    const client = createHubClient({ baseUrl: `${base}/hub/` });
    seen = [];
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":"yes","hubId":"h","head":1,"db":"sqlite"}');
    expect(await refusal(client.call('meta.health'))).toMatchObject({ status: 200, code: 'bad_response', message: expect.stringContaining('ok:') });
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok": tru');
    expect(await refusal(client.call('meta.health'))).toMatchObject({ code: 'bad_response' });
    answer = (res) => res.writeHead(204).end();
    expect(await refusal(client.call('meta.health'))).toMatchObject({ status: 204, code: 'bad_response', message: expect.stringContaining('does not declare') });
    answer = (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    expect(await refusal(client.call('meta.health'))).toMatchObject({ status: 502, code: 'http_error', message: 'the hub answered 502' });
    answer = (res) => res.writeHead(429, { 'retry-after': '17', 'content-type': 'application/json' }).end('{"error":{"code":"rate_limited","message":"slow down"}}');
    expect(await refusal(client.call('meta.health'))).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSec: 17 });
    // The path prefix of the base URL is kept.
    expect(seen).toEqual(Array(5).fill('GET /hub/v1/health'));
  });

  it('reads no more than maxResponseBytes, and says when there was no answer', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pad: 'x'.repeat(10_000) }));
    expect(await refusal(createHubClient({ baseUrl: base, maxResponseBytes: 1000 }).call('meta.openapi'))).toMatchObject({ code: 'too_large' });
    answer = () => {}; // never answers
    expect(await refusal(createHubClient({ baseUrl: base }).call('meta.health', { signal: AbortSignal.timeout(200) }))).toMatchObject({ status: 0, code: 'timeout' });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await refusal(createHubClient({ baseUrl: `http://127.0.0.1:${port}` }).call('meta.health'))).toMatchObject({ status: 0, code: 'unreachable' });
  });
});

describe('hubPath', () => {
  it('expresses each hub path the kiosk core spells by hand today', () => {
    const id = '0189a5d2-0000-4000-8000-000000000001';
    const cases: Array<[HubRouteId, string, object?, object?]> = [
      ['fleet.commands.open', 'v1/fleet/commands'],
      ['fleet.commands.report', `v1/fleet/commands/${id}/result`, { id }],
      ['queue.take', 'v1/queue/take'],
      ['orders.list', 'v1/customer/orders'],
      ['orders.get', 'v1/customer/orders/O%2F1', { id: 'O/1' }],
      ['orders.change', 'v1/customer/orders/O-1/changes', { id: 'O-1' }],
      ['orders.refund', 'v1/customer/orders/O-1/refunds', { id: 'O-1' }],
      ['identity.session.revoke', `v1/customer/sessions/${id}/revoke`, { id }],
      ['identity.idcard', 'v1/identity/idcard'],
      ['identity.sms.request', 'v1/identity/sms/request'],
      ['identity.sms.verify', 'v1/identity/sms/verify'],
      ['identity.fingerprint.challenge', 'v1/identity/fingerprint/challenges'],
      ['identity.fingerprint.release', `v1/identity/fingerprint/challenges/${id}/template`, { id }],
      ['identity.fingerprint.result', `v1/identity/fingerprint/challenges/${id}/result`, { id }],
      ['identity.fingerprint.enrol', 'v1/identity/fingerprint/templates'],
      ['sync.blob', `v1/blobs/${'a'.repeat(64)}`, { sha256: 'a'.repeat(64) }],
      ['sync.changes', 'v1/sync/changes?since=3&after=5&to=9&limit=100', {}, { since: 3, after: 5, to: 9, limit: 100 }],
      ['inbox.deliver', 'v1/outbox'],
    ];
    for (const [route, expected, params, query] of cases) expect((hubPath as (...a: unknown[]) => string)(route, params, query), route).toBe(expected);
    expect(() => hubPath('sync.changes', {}, { since: -1 })).toThrow(HubClientError);
  });

  it('every `v1/…` path literal left in core/ is a route of the table', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(new URL('../../core', import.meta.url).pathname);
    const routes = Object.values(HUB_ROUTES).map((r) => r.path.slice(1).replace(/:[A-Za-z0-9_]+/g, 'P'));
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/['`](v1\/[^'`]*)['`]/g)) {
        // `${…}` is any one segment, and a literal ending in one may be the prefix of longer paths
        // (`${base}/template`); the query is the route's business.
        const literal = m[1]!.split('?')[0]!;
        const parts = literal.split(/\$\{[^}]*\}/).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        const pattern = new RegExp(`^${parts.join('[^/]+')}${literal.endsWith('}') ? '(/.*)?' : ''}$`);
        expect(routes.some((r) => pattern.test(r)), `${file}: ${m[1]}`).toBe(true);
      }
    }
  });
});
