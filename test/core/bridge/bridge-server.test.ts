// The browser-mode bridge and static server as a browser (or an attacker on the same machine) sees
// them: a real HTTP server on loopback, real WebSocket handshakes.
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridgeServer, type BridgeServer } from '../../../core/bridge/server.ts';
import { resolveStaticPath } from '../../../core/bridge/static-files.ts';
import { tempDir, writeFiles } from '../../helpers/tmp.ts';
import { makeCore, wsTransport } from '../api/harness.ts';
import type { KioskCore } from '../../../core/kiosk-core.ts';

function http(port: number, path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function handshake(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('browser-mode bridge server', () => {
  let core: KioskCore;
  let server: BridgeServer;
  let root: string;

  beforeEach(async () => {
    const dir = tempDir();
    root = join(dir, 'renderer');
    writeFiles(root, { 'index.html': '<!doctype html><title>k</title>', 'assets/app-123.js': 'console.log(1)', '.env': 'SECRET=1' });
    writeFiles(dir, { 'outside.txt': 'not yours' });
    core = makeCore(dir).core;
    server = await startBridgeServer({ dispatcher: core.service.dispatcher, events: core.service.events, staticRoot: root });
  });
  afterEach(async () => {
    await server.close();
    core.close();
  });

  it('listens on loopback only, with a fresh 256-bit secret per launch', async () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(server.pageUrl).toBe(`${server.origin}/#k=${server.secret}`);
    const other = await startBridgeServer({ dispatcher: core.service.dispatcher, events: core.service.events });
    expect(other.secret).not.toBe(server.secret);
    await other.close();
  });

  it('accepts the page origin with the secret', async () => {
    expect(await handshake(`ws://127.0.0.1:${server.port}/bridge?k=${server.secret}`, { Origin: server.origin })).toBe(101);
  });

  it.each([
    ['another origin', (s: BridgeServer) => [`ws://127.0.0.1:${s.port}/bridge?k=${s.secret}`, { Origin: 'http://evil.example' }], 403],
    ['no origin', (s: BridgeServer) => [`ws://127.0.0.1:${s.port}/bridge?k=${s.secret}`, {}], 403],
    ['localhost origin (not the page)', (s: BridgeServer) => [`ws://127.0.0.1:${s.port}/bridge?k=${s.secret}`, { Origin: `http://localhost:${s.port}` }], 403],
    ['no secret', (s: BridgeServer) => [`ws://127.0.0.1:${s.port}/bridge`, { Origin: s.origin }], 403],
    ['wrong secret', (s: BridgeServer) => [`ws://127.0.0.1:${s.port}/bridge?k=${'0'.repeat(64)}`, { Origin: s.origin }], 403],
    ['another path', (s: BridgeServer) => [`ws://127.0.0.1:${s.port}/other?k=${s.secret}`, { Origin: s.origin }], 404],
    ['a rebound Host name', (s: BridgeServer) => [`ws://127.0.0.1:${s.port}/bridge?k=${s.secret}`, { Origin: s.origin, Host: `attacker.example:${s.port}` }], 421],
  ] as const)('refuses a WebSocket from %s', async (_label, make, status) => {
    const [url, headers] = make(server) as [string, Record<string, string>];
    expect(await handshake(url, headers)).toBe(status);
    expect(server.clients()).toBe(0);
  });

  it('answers malformed frames with an error and keeps the connection', async () => {
    const t = await wsTransport(`ws://127.0.0.1:${server.port}/bridge?k=${server.secret}`, server.origin);
    const next = () => new Promise<unknown>((resolve) => t.socket.once('message', (d) => resolve(JSON.parse(String(d)))));
    let reply = next();
    t.socket.send('{not json');
    expect(await reply).toMatchObject({ t: 'error', error: { code: 'invalid_argument' } });
    reply = next();
    t.socket.send(JSON.stringify({ t: 'call', id: 5, args: {}, extra: 1 }));
    expect(await reply).toMatchObject({ t: 'result', id: 5, result: { ok: false, error: { code: 'invalid_argument' } } });
    reply = next();
    t.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await reply).toMatchObject({ t: 'error' });
    const ok = await t.raw('kb.categories', { locale: 'en' });
    expect(ok.ok).toBe(true);
    t.close();
  });

  it('closes the connection on an oversized frame', async () => {
    const t = await wsTransport(`ws://127.0.0.1:${server.port}/bridge?k=${server.secret}`, server.origin);
    const closed = new Promise<number>((resolve) => t.socket.once('close', (code) => resolve(code)));
    t.socket.send(JSON.stringify({ t: 'call', id: 1, method: 'kb.search', args: { query: 'x'.repeat(100_000), locale: 'en' } }));
    expect(await closed).toBe(1009);
  });

  it('sends events to connected pages and forgets them when they go', async () => {
    // The core has listeners of its own (synced devices reopen after a session): count pages only.
    const before = core.service.events.size;
    const t = await wsTransport(`ws://127.0.0.1:${server.port}/bridge?k=${server.secret}`, server.origin);
    const got = new Promise((resolve) => t.on('session.ended', resolve));
    core.service.session.start();
    core.service.session.end('idle');
    await expect(got).resolves.toEqual({ reason: 'idle' });
    expect(core.service.events.size).toBe(before + 1);
    const closed = new Promise((resolve) => t.socket.once('close', resolve));
    t.close();
    await closed;
    await expect.poll(() => core.service.events.size).toBe(before);
  });

  it('serves the renderer with the kiosk CSP and security headers', async () => {
    const r = await http(server.port, '/', { headers: { Host: `127.0.0.1:${server.port}` } });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>k</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    const js = await http(server.port, '/assets/app-123.js');
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it.each(['/../outside.txt', '/%2e%2e/outside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/.env', '/assets/', '/nope.js', '/%00', '/..%5coutside.txt'])(
    'serves nothing for %s',
    async (path) => {
      const r = await http(server.port, path);
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain('not yours');
      expect(r.body).not.toContain('SECRET');
    },
  );

  it('refuses other methods and other Host names', async () => {
    expect((await http(server.port, '/', { method: 'POST' })).status).toBe(405);
    expect((await http(server.port, '/', { headers: { Host: 'attacker.example' } })).status).toBe(421);
  });

  it('resolveStaticPath keeps to the root', () => {
    expect(resolveStaticPath(root, '/index.html')).toMatchObject({ ok: true, immutable: false });
    expect(resolveStaticPath(root, '/%E0%A4%A')).toEqual({ ok: false, status: 400 });
    expect(resolveStaticPath(root, '/../renderer/index.html')).toEqual({ ok: false, status: 404 });
  });
});
