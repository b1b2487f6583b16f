// Live events: the bus (ids, resume from Last-Event-ID, too-old ids) and the SSE layer over real
// sockets (node:http): frames, visibility per role and branch, heartbeats, resume, a reader that
// stops reading is cut off at a bounded queue, failed re-authentication ends the stream, limits.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_EVENT_TYPE_NAMES, HUB_EVENT_TYPES, HubEventSchema, eventVisibleTo, type HubEvent, type HubEventInput } from '../../contracts/hub-events.ts';
import type { KioskSummary } from '../../contracts/fleet-view.ts';
import { MemoryEventBus } from '../../hub/events/bus.ts';
import { SseHub, SseRefused, type SsePrincipal } from '../../hub/events/sse.ts';
import { openSse } from './sse-client.ts';

const kiosk = (name: string, branch: string | null): KioskSummary => ({
  id: `id-${name}`,
  name,
  branch,
  createdAt: '2026-11-20T00:00:00.000Z',
  revokedAt: null,
  online: true,
  lastSeenAt: '2026-11-20T00:00:00.000Z',
  appVersion: '1.0.0',
  updateState: 'idle',
  health: 'ok',
  deviceHealth: [],
  outboxBacklog: 0,
  lastCursor: 1,
  uptimeSeconds: 5,
  uptimeAt: '2026-11-20T00:00:00.000Z',
});
const status = (branch: string | null, ...names: string[]): HubEventInput => ({ type: 'kiosk.status', branch, data: { kiosks: names.map((n) => kiosk(n, branch)) } });

describe('event types', () => {
  it('every type has a schema in the delivered union, and visibility follows roles and branches', () => {
    expect(HubEventSchema.options.map((o) => o.shape.type.value).sort()).toEqual([...HUB_EVENT_TYPE_NAMES].sort());
    const admin = { role: 'admin', branch: null };
    const north = { role: 'branch-manager', branch: 'north' };
    const noBranch = { role: 'branch-manager', branch: null };
    const editor = { role: 'editor', branch: null };
    expect(eventVisibleTo(status('north'), admin)).toBe(true);
    expect(eventVisibleTo(status('north'), north)).toBe(true);
    expect(eventVisibleTo(status('south'), north)).toBe(false);
    expect(eventVisibleTo(status(null), north)).toBe(false);
    expect(eventVisibleTo(status(null), noBranch)).toBe(false);
    expect(eventVisibleTo(status('north'), editor)).toBe(false);
    expect(eventVisibleTo({ type: 'config.changed', branch: null, data: { target: { scope: 'fleet' }, hash: null } }, north)).toBe(true);
    expect(eventVisibleTo({ type: 'config.changed', branch: 'south', data: { target: { scope: 'branch', branch: 'south' }, hash: null } }, north)).toBe(false);
    expect(eventVisibleTo({ type: 'release.changed', branch: null, data: {} as never }, north)).toBe(false);
    expect(eventVisibleTo({ type: 'rollout.changed', branch: null, data: {} as never }, north)).toBe(true);
    expect(HUB_EVENT_TYPES.reset.roles).toContain('agent');
  });
});

describe('memory event bus', () => {
  it('numbers events, resumes after an id it still holds, refuses ids it cannot vouch for', () => {
    const bus = new MemoryEventBus({ keep: 5 });
    const seen: HubEvent[] = [];
    bus.subscribe({}, (e) => seen.push(e));
    for (let i = 0; i < 3; i++) bus.publish(status('north', `k${i}`));
    expect(seen.map((e) => e.id)).toEqual([expect.stringMatching(/-1$/), expect.stringMatching(/-2$/), expect.stringMatching(/-3$/)]);
    expect(seen.every((e) => HubEventSchema.safeParse(e).success)).toBe(true);

    const replay: string[] = [];
    const sub = bus.subscribe({ after: seen[0]!.id }, (e) => replay.push(e.id));
    expect(sub.resumed).toBe(true);
    expect(replay).toEqual([seen[1]!.id, seen[2]!.id]);
    // up to date: nothing to replay, resumed
    expect(bus.subscribe({ after: seen[2]!.id }, () => {}).resumed).toBe(true);
    // filtered replay
    const north: string[] = [];
    bus.publish(status('south', 's1'));
    bus.subscribe({ after: seen[0]!.id, filter: (e) => e.branch === 'north' }, (e) => north.push(e.id));
    expect(north).toEqual([seen[1]!.id, seen[2]!.id]);

    // too old (the ring keeps 5), from another start of the hub, from the future, garbage
    for (let i = 0; i < 5; i++) bus.publish(status('north', `x${i}`));
    const epoch = seen[0]!.id.split('-')[0]!;
    for (const after of [seen[0]!.id, `00000000-1`, `${epoch}-999`, 'garbage', '']) {
      const got: string[] = [];
      expect(bus.subscribe({ after }, (e) => got.push(e.id)).resumed, after).toBe(false);
      expect(got).toEqual([]);
    }
    // a listener that throws does not stop the others
    let after = 0;
    bus.subscribe({}, () => {
      throw new Error('boom');
    });
    bus.subscribe({}, () => after++);
    bus.publish(status('north', 'y'));
    expect(after).toBe(1);
  });
});

describe('server-sent events over real sockets', () => {
  let server: Server | undefined;
  let hubs: SseHub[] = [];
  afterEach(async () => {
    for (const h of hubs) h.closeAll();
    hubs = [];
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  /** A plain HTTP server whose one route streams events for the principal named in the query. */
  async function serve(bus: MemoryEventBus, options: ConstructorParameters<typeof SseHub>[1] = {}, reauth?: () => Promise<boolean>) {
    const sse = new SseHub(bus, options);
    hubs.push(sse);
    const principals: Record<string, SsePrincipal> = {
      admin: { id: 'u-admin', role: 'admin', branch: null },
      north: { id: 'u-north', role: 'branch-manager', branch: 'north' },
      editor: { id: 'u-editor', role: 'editor', branch: null },
    };
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      try {
        const types = url.searchParams.get('types');
        sse.open(res, principals[url.searchParams.get('as') ?? 'admin']!, {
          ...(types ? { types: types.split(',') as never } : {}),
          ...(typeof req.headers['last-event-id'] === 'string' ? { lastEventId: req.headers['last-event-id'] } : {}),
          ...(reauth ? { reauth } : {}),
        });
      } catch (err) {
        res.writeHead((err as SseRefused).statusCode ?? 500).end((err as Error).message);
      }
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { sse, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  }

  it('streams the events each principal may see, resumes from Last-Event-ID, sends heartbeats', async () => {
    const bus = new MemoryEventBus();
    const { url } = await serve(bus, { heartbeatMs: 50 });
    const admin = await openSse(`${url}?as=admin`);
    const north = await openSse(`${url}?as=north`);
    const editor = await openSse(`${url}?as=editor`);
    const onlyCommands = await openSse(`${url}?as=admin&types=command.updated`);
    expect(admin.status).toBe(200);
    expect(admin.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(admin.headers['cache-control']).toMatch(/no-cache/);

    bus.publish(status('north', 'n1'));
    bus.publish(status('south', 's1'));
    bus.publish(status(null, 'x1'));
    bus.publish({ type: 'config.changed', branch: null, data: { target: { scope: 'fleet' }, hash: 'h' } });
    await admin.waitFor((f) => f.event === 'config.changed', 'config.changed');
    await north.waitFor((f) => f.event === 'config.changed', 'config.changed');
    expect(admin.data<HubEvent>('kiosk.status').map((e) => e.branch)).toEqual(['north', 'south', null]);
    expect(north.data<HubEvent>('kiosk.status').map((e) => e.branch)).toEqual(['north']);
    expect(editor.frames).toEqual([]);
    expect(onlyCommands.frames).toEqual([]);
    // the id line carries the bus id; the data is the whole event, valid against the contract
    const first = admin.frames[0]!;
    expect(JSON.parse(first.data)).toMatchObject({ id: first.id, type: 'kiosk.status' });
    expect(admin.data().every((e) => HubEventSchema.safeParse(e).success)).toBe(true);

    // heartbeats arrive as comments
    await new Promise((r) => setTimeout(r, 200));
    expect(admin.comments.filter((c) => c === 'hb').length).toBeGreaterThan(1);

    // a reconnect with the last id it saw gets exactly what it missed (visible to it)
    const lastSeen = north.frames.at(-1)!.id!;
    north.close();
    bus.publish(status('north', 'n2'));
    bus.publish(status('south', 's2'));
    const again = await openSse(`${url}?as=north`, { 'last-event-id': lastSeen });
    const missed = await again.waitFor((f) => f.event === 'kiosk.status', 'the missed event');
    expect(JSON.parse(missed.data)).toMatchObject({ branch: 'north', data: { kiosks: [{ name: 'n2' }] } });
    expect(again.frames).toHaveLength(1);
    // an id it cannot resume from: a reset event, then live events
    const lost = await openSse(`${url}?as=admin`, { 'last-event-id': 'deadbeef-12' });
    await lost.waitFor((f) => f.event === 'reset', 'reset');
    for (const c of [admin, editor, onlyCommands, again, lost]) c.close();
  });

  it('cuts off a reader that stops reading once its queue passes the bound; the others carry on', async () => {
    const bus = new MemoryEventBus({ keep: 16 });
    const { sse, url } = await serve(bus, { maxBufferedBytes: 256 * 1024, heartbeatMs: 60_000 });
    const good = await openSse(url);
    // a raw socket that sends the request and never reads a byte
    const port = Number(new URL(url).port);
    const stalled = connect(port, '127.0.0.1');
    await new Promise<void>((r) => stalled.once('connect', r));
    stalled.pause();
    stalled.write('GET /?as=admin HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    const closed = new Promise<void>((r) => stalled.once('close', () => r()));
    while (sse.stats.connections < 2) await new Promise((r) => setTimeout(r, 10));

    const big = status('north', ...Array.from({ length: 200 }, (_, i) => `k${i}`)); // ~70 KB a frame
    let published = 0;
    while (sse.stats.droppedSlow === 0 && published < 2000) {
      bus.publish(big);
      published++;
      // at a pace a reading console keeps up with
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(sse.stats.droppedSlow).toBe(1);
    // what the hub held for it never grew past the bound by more than one frame
    const frame = JSON.stringify(big).length + 200;
    expect(sse.stats.peakQueuedBytes).toBeLessThanOrEqual(256 * 1024 + frame);
    stalled.resume();
    await closed;
    expect(sse.stats.connections).toBe(1);
    // the reading console got every event
    await good.waitFor(() => good.frames.length === published, `${published} events`, 30_000);
    good.close();
  });

  it('ends the stream when re-authentication fails, and refuses connections past the limits', async () => {
    let valid = true;
    const bus = new MemoryEventBus();
    const { url } = await serve(bus, { reauthMs: 50, maxConnections: 3, maxConnectionsPerUser: 2 }, async () => valid);
    const a = await openSse(`${url}?as=admin`);
    const b = await openSse(`${url}?as=admin`);
    const third = await openSse(`${url}?as=admin`);
    expect(third.status).toBe(429);
    const n = await openSse(`${url}?as=north`);
    expect(n.status).toBe(200);
    const full = await openSse(`${url}?as=editor`);
    expect(full.status).toBe(503);
    valid = false;
    await Promise.all([a.ended, b.ended, n.ended]);
    bus.publish(status('north', 'after'));
    expect(a.frames).toEqual([]);
  });
});

// A SseRefused carries its status for the route to answer with.
it('refusals carry their HTTP status', () => {
  expect(new SseRefused(503, 'x').statusCode).toBe(503);
});
