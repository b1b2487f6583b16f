// Queue numbers on the hub through its HTTP endpoints (real hub on loopback, SQLite file or
// PostgreSQL schema): per branch, per service, per day sequences (A001, B001 …), waiting counts that
// follow the counters' calls, 50 concurrent takes from several kiosks that never share a number,
// offline letters unique within a branch, and hostile requests refused without a number spent.
import { afterEach, describe, expect, it } from 'vitest';
import { QueueCallResult, QueueTicket } from '../../contracts/queue.ts';
import { branchDay } from '../../hub/queue/queue.ts';
import { api, postgresUnavailable, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  describe.skipIf(backend === 'postgres' && pgSkip !== null)(`queue numbers on ${backend}`, () => {
    let t: TestHub;
    let clock = new Date('2026-11-25T02:00:00Z');
    afterEach(async () => {
      await t.close();
    });
    const start = async () => {
      clock = new Date('2026-11-25T02:00:00Z');
      t = await startHub(backend, { queue: { now: () => clock } });
    };
    const take = async (token: string, service: string) => {
      const r = await api(t, '/v1/queue/take', { method: 'POST', token, body: JSON.stringify({ service }) });
      expect(r.status, r.text).toBe(200);
      return QueueTicket.parse(r.json);
    };
    const call = async (branch: string | null, service: string) => {
      const r = await api(t, '/v1/admin/queue/call', { method: 'POST', token: t.adminToken, body: JSON.stringify({ branch, service }) });
      expect(r.status, r.text).toBe(200);
      return QueueCallResult.parse(r.json);
    };

    it('sequences per service and branch, waiting follows the calls, a new day starts again', async () => {
      await start();
      const a = await t.addKiosk('lobby-1', 'central');
      const b = await t.addKiosk('lobby-2', 'central');
      const north = await t.addKiosk('north-1', 'north');

      const first = await take(a.token, 'general');
      expect(first).toMatchObject({ number: 'A001', service: 'general', waiting: 0, day: '2026-11-25' });
      expect((await take(b.token, 'general')).number).toBe('A002');
      expect(await take(a.token, 'general')).toMatchObject({ number: 'A003', waiting: 2 });
      expect((await take(a.token, 'orders')).number).toBe('B001');
      expect((await take(b.token, 'cash')).number).toBe('C001');
      // Another branch has its own sequence.
      expect(await take(north.token, 'general')).toMatchObject({ number: 'A001', waiting: 0 });

      expect(await call('central', 'general')).toEqual({ called: 'A001', waiting: 2 });
      expect(await take(b.token, 'general')).toMatchObject({ number: 'A004', waiting: 2 });
      for (const n of ['A002', 'A003', 'A004']) expect((await call('central', 'general')).called).toBe(n);
      expect(await call('central', 'general')).toEqual({ called: null, waiting: 0 });
      expect(await take(a.token, 'general')).toMatchObject({ number: 'A005', waiting: 0 });

      // Days are the branch's (Asia/Shanghai by default): 17:00 UTC is already the next day there.
      clock = new Date('2026-11-25T17:00:00Z');
      expect(await take(a.token, 'general')).toMatchObject({ number: 'A001', day: '2026-11-26', waiting: 0 });
      expect(branchDay(new Date('2026-11-25T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-25');
    });

    it('50 concurrent takes from 5 kiosks: 50 different numbers, A001 to A050', async () => {
      await start();
      const kiosks = await Promise.all(Array.from({ length: 5 }, (_, i) => t.addKiosk(`lobby-${i}`, 'central')));
      const tickets = await Promise.all(Array.from({ length: 50 }, (_, i) => take(kiosks[i % 5]!.token, 'general')));
      const numbers = tickets.map((x) => x.number).sort();
      expect(new Set(numbers).size).toBe(50);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`));
      // Each kiosk kept one offline letter; no two kiosks of the branch share one.
      const letters = new Map<string, Set<string>>();
      tickets.forEach((x, i) => letters.set(kiosks[i % 5]!.id, (letters.get(kiosks[i % 5]!.id) ?? new Set()).add(x.offlineLetter)));
      expect([...letters.values()].map((s) => s.size)).toEqual([1, 1, 1, 1, 1]);
      expect(new Set([...letters.values()].map((s) => [...s][0])).size).toBe(5);
      for (const l of letters.values()) expect([...l][0]).toMatch(/^[D-HJ-NP-Z]$/);
    });

    it('hostile requests are refused with a clear error and spend no number', async () => {
      await start();
      const k = await t.addKiosk('lobby-1', 'central');
      for (const body of ['{"service":"vip"}', '{"service":"general","priority":1}', '{}', '[]', '{"service":', '"general"', `{"service":"${'x'.repeat(10_000)}"}`]) {
        const r = await api(t, '/v1/queue/take', { method: 'POST', token: k.token, body });
        expect(r.status, body.slice(0, 40)).toBe(400);
        expect((r.json as { error: { code: string } }).error.code).toMatch(/^(bad_request|malformed_json)$/);
      }
      expect((await api(t, '/v1/queue/take', { method: 'POST', body: '{"service":"general"}' })).status).toBe(401);
      expect((await api(t, '/v1/queue/take', { method: 'POST', token: 'forged', body: '{"service":"general"}' })).status).toBe(401);
      expect((await api(t, '/v1/queue/take', { method: 'POST', token: t.adminToken, body: '{"service":"general"}' })).status).toBe(403);
      expect((await api(t, '/v1/admin/queue/call', { method: 'POST', token: k.token, body: '{"branch":"central","service":"general"}' })).status).toBe(403);
      expect((await take(k.token, 'general')).number).toBe('A001');
    });
  });
}
