// hubJson against an HTTP server on loopback that answers what a hub, a broken hub or a dead link
// would: the answer checked against the route table, refusals as the kiosk API errors the UI acts
// on, no answer as `offline`, arguments the table refuses never sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import type { HubEndpoint } from '../../../core/hub-client/http.ts';
import { HubAnswerError, hubJson } from '../../../core/hub-client/json.ts';

type Reply = { status: number; body?: unknown; raw?: string; headers?: Record<string, string>; hang?: boolean };

let server: http.Server;
let reply: Reply;
let seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;

const ticket = { number: 'A012', service: 'general', waiting: 3, day: '2026-12-06', issuedAt: '2026-12-06T08:00:00.000Z', offlineLetter: 'D' };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (reply.hang) return; // never answers
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  reply = { status: 200, body: ticket };
});

const endpoint = (o: Partial<HubEndpoint> = {}): HubEndpoint => ({ url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hub/`), token: 'device-token', timeoutMs: 2000, ...o });

describe('hubJson', () => {
  it('calls the route of the table with the device token and the customer session, and returns the checked answer', async () => {
    expect(await hubJson(endpoint(), 'queue.take', 'queue.take', { body: { service: 'general' } })).toEqual(ticket);
    reply = { status: 200, body: { orders: [] } };
    expect(await hubJson(endpoint(), 'orders.list', 'orders.list', { customerToken: 'cust-1' })).toEqual({ orders: [] });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /hub/v1/queue/take', 'GET /hub/v1/customer/orders']);
    expect(seen[0]!.headers.authorization).toBe('Bearer device-token');
    expect(JSON.parse(seen[0]!.body)).toEqual({ service: 'general' });
    expect(seen[1]!.headers['x-customer-session']).toBe('cust-1');
  });

  it('turns the hub’s refusals into the kiosk API errors the UI acts on', async () => {
    const cases: Array<[Reply, string]> = [
      [{ status: 404, body: { error: { code: 'not_found', message: 'no such order' } } }, 'not_found'],
      [{ status: 401, body: { error: { code: 'unauthorized', message: 'token revoked' } } }, 'unauthorized'],
      [{ status: 409, body: { error: { code: 'conflict', message: 'changed meanwhile' } } }, 'locked'],
      [{ status: 410, body: { error: { code: 'expired', message: 'challenge expired' } } }, 'timeout'],
      [{ status: 400, body: { error: { code: 'bad_request', message: 'the order cannot change now' } } }, 'invalid_argument'],
      [{ status: 503, raw: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } }, 'offline'],
    ];
    for (const [r, code] of cases) {
      reply = r;
      const call = hubJson(endpoint(), 'orders.get', 'orders.get', { params: { id: 'O-1' }, customerToken: 'c' });
      await expect(call, `${r.status}`).rejects.toBeInstanceOf(HubAnswerError);
      await expect(call, `${r.status}`).rejects.toMatchObject({ code, status: r.status });
    }
    reply = { status: 429, body: { error: { code: 'rate_limited', message: 'slow down' } }, headers: { 'retry-after': '42' } };
    await expect(hubJson(endpoint(), 'identify.smsRequest', 'identity.sms.request', { body: { phone: '13800138000' } })).rejects.toMatchObject({ code: 'locked', retryAfterSec: 42 });
  });

  it('says `offline` when no answer comes: nobody listening, too slow, or too large', async () => {
    const offline = { code: 'offline' };
    await expect(hubJson(endpoint({ url: new URL('http://127.0.0.1:1/') }), 'queue.take', 'queue.take', { body: { service: 'general' } })).rejects.toMatchObject(offline);
    reply = { status: 200, hang: true };
    await expect(hubJson(endpoint({ timeoutMs: 300 }), 'queue.take', 'queue.take', { body: { service: 'general' } })).rejects.toMatchObject(offline);
    reply = { status: 200, body: { orders: [], padding: 'x'.repeat(5 * 1024 * 1024) } };
    await expect(hubJson(endpoint(), 'orders.list', 'orders.list', { customerToken: 'c' })).rejects.toMatchObject(offline);
  });

  it('refuses an answer that breaks the route table as an internal error, not as data', async () => {
    reply = { status: 200, body: { ...ticket, number: 'not a number' } };
    const err = await hubJson(endpoint(), 'queue.take', 'queue.take', { body: { service: 'general' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(KioskApiError);
    expect((err as Error).message).toMatch(/route table/);
  });

  it('sends nothing the route table refuses', async () => {
    await expect(hubJson(endpoint(), 'queue.take', 'queue.take', { body: { service: 'lottery' } })).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(seen).toEqual([]);
  });

  it('is not available without a hub', async () => {
    await expect(hubJson(null, 'queue.take', 'queue.take', { body: { service: 'general' } })).rejects.toMatchObject({ code: 'not_available' });
  });
});
