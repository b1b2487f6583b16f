// Central IT's commands and the kiosks' uptime on the hub (real Fastify server on loopback, SQLite
// file or PostgreSQL schema, the CLI as a child process): the admin API and `hub kiosk command(s)`
// queue and list commands; a kiosk fetches only its own open ones and reports each outcome, once;
// the uptime header is stored with its report time and hostile values are ignored.
import { afterEach, describe, expect, it } from 'vitest';
import { KIOSK_HEADERS } from '../../contracts/sync-protocol.ts';
import { uptimeFromHeader, uptimeText } from '../../hub/fleet/kiosks.ts';
import { api, freshDbSpec, postgresUnavailable, runCli, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();
const U = KIOSK_HEADERS.uptime;

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe('uptime header parsing', () => {
  it('takes plain whole seconds up to ten years, nothing else', () => {
    expect(uptimeFromHeader('0')).toBe(0);
    expect(uptimeFromHeader('86400')).toBe(86_400);
    for (const v of [undefined, '', '-1', '1.5', '1e5', ' 12', '12 ', '0x10', 'NaN', 'Infinity', '99999999999', '999999999', ['1', '2']]) expect(uptimeFromHeader(v), String(v)).toBeNull();
    expect(uptimeText(null)).toBe('-');
    expect(uptimeText(42)).toBe('42s');
    expect(uptimeText(3 * 86_400 + 4 * 3600 + 5)).toBe('3d 4h');
  });
});

interface Cmd {
  id: string;
  kiosk: string;
  type: string;
  state: string;
  detail: string | null;
  seenAt: string | null;
  finishedAt: string | null;
  ageSeconds?: number;
}

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`hub commands and uptime on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    const kiosks = async (t: TestHub) => ((await api(t, '/v1/admin/kiosks', { token: t.adminToken })).json as { kiosks: Array<Record<string, unknown>> }).kiosks;
    const send = (t: TestHub, name: string, body: unknown, token = t.adminToken) => api(t, `/v1/admin/kiosks/${name}/commands`, { method: 'POST', token, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const list = async (t: TestHub, name: string) => ((await api(t, `/v1/admin/kiosks/${name}/commands`, { token: t.adminToken })).json as { commands: Cmd[] }).commands;
    const open = async (t: TestHub, token: string) => {
      const r = await api(t, '/v1/fleet/commands', { token });
      expect(r.status, r.text).toBe(200);
      return (r.json as { commands: Cmd[] }).commands;
    };
    const report = (t: TestHub, token: string, id: string, body: unknown) => api(t, `/v1/fleet/commands/${id}/result`, { method: 'POST', token, body: JSON.stringify(body) });

    it('stores the reported uptime with its time, shows it in the admin API and `hub kiosk list`, ignores hostile values', async () => {
      const spec = await freshDbSpec(backend);
      hub = await startHub(backend, { spec });
      const k = await hub.addKiosk('k1');
      await hub.addKiosk('k2');
      const poll = (headers: Record<string, string> | Headers) => api(hub!, '/v1/sync/changes?since=0', { token: k.token, headers });
      expect((await kiosks(hub)).map((x) => [x.uptimeSeconds, x.uptimeAt])).toEqual([
        [null, null],
        [null, null],
      ]);
      expect((await poll({ [U]: '93784' })).status).toBe(200);
      await hub.server.flushStatus();
      const first = (await kiosks(hub))[0]!;
      expect(first).toMatchObject({ name: 'k1', uptimeSeconds: 93_784, uptimeAt: expect.any(String) });
      expect(first.uptimeAt).toBe(first.lastSeenAt);

      // Hostile values: every poll still answers 200 and the last good report (and its time) stays.
      for (const v of ['-5', '1e9', 'abc', '9'.repeat(5000), '12; DROP TABLE kiosks', '3.5', '']) expect((await poll({ [U]: v })).status, v).toBe(200);
      const twice = new Headers();
      twice.append(U, '1');
      twice.append(U, '2');
      expect((await poll(twice)).status).toBe(200);
      await hub.server.flushStatus();
      const after = (await kiosks(hub))[0]!;
      expect(after).toMatchObject({ uptimeSeconds: 93_784, uptimeAt: first.uptimeAt });

      const cli = await runCli('hub', ['kiosk', 'list', '--db', spec]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/UPTIME/);
      expect(cli.stdout.split('\n').find((l) => l.startsWith('k1'))).toMatch(/\b1d 2h\b/);
      const json = await runCli('hub', ['kiosk', 'list', '--json', '--db', spec]);
      expect((JSON.parse(json.stdout) as Array<{ name: string; uptimeSeconds: unknown }>).map((x) => [x.name, x.uptimeSeconds])).toEqual([
        ['k1', 93_784],
        ['k2', null],
      ]);
    });

    it('admin API: queue and list commands; bad input is refused and changes nothing', async () => {
      hub = await startHub(backend);
      const k1 = await hub.addKiosk('k1');
      await hub.addKiosk('gone');
      expect((await api(hub, '/v1/admin/kiosks/gone', { method: 'DELETE', token: hub.adminToken })).status).toBe(200);

      const r = await send(hub, 'k1', { type: 'sync' });
      expect(r.status, r.text).toBe(201);
      const cmd = (r.json as { command: Cmd }).command;
      expect(cmd).toMatchObject({ kiosk: 'k1', type: 'sync', state: 'pending', detail: null, seenAt: null, finishedAt: null });

      const refused: Array<[string, unknown, number, string?]> = [
        ['k1', { type: 'reboot' }, 400],
        ['k1', { type: 'sync', extra: 1 }, 400],
        ['k1', {}, 400],
        ['k1', '{"type": "sync"', 400, 'malformed_json'],
        ['k1', '[]', 400],
        ['nobody', { type: 'sync' }, 404],
        ['gone', { type: 'restart' }, 409],
        ['x'.repeat(90), { type: 'sync' }, 404],
      ];
      for (const [name, body, status, code] of refused) {
        const res = await send(hub, name, body);
        expect(res.status, `${name} ${JSON.stringify(body)}: ${res.text}`).toBe(status);
        if (code) expect((res.json as { error: { code: string } }).error.code).toBe(code);
      }
      expect((await send(hub, 'k1', { type: 'sync' }, k1.token)).status).toBe(403);
      expect((await api(hub, '/v1/admin/kiosks/k1/commands', { method: 'POST', body: JSON.stringify({ type: 'sync' }) })).status).toBe(401);
      expect((await api(hub, '/v1/admin/kiosks/k1/commands', { token: k1.token })).status).toBe(403);
      expect((await api(hub, '/v1/admin/kiosks/nobody/commands', { token: hub.adminToken })).status).toBe(404);
      expect((await api(hub, '/v1/admin/kiosks/k1/commands?limit=0', { token: hub.adminToken })).status).toBe(400);
      expect((await list(hub, 'k1')).map((c) => c.id)).toEqual([cmd.id]);
    });

    it('a kiosk sees only its own open commands and reports each outcome once', async () => {
      hub = await startHub(backend);
      const k1 = await hub.addKiosk('k1');
      const k2 = await hub.addKiosk('k2');
      const sync = ((await send(hub, 'k1', { type: 'sync' })).json as { command: Cmd }).command;
      const restart = ((await send(hub, 'k1', { type: 'restart' })).json as { command: Cmd }).command;
      const other = ((await send(hub, 'k2', { type: 'update-now' })).json as { command: Cmd }).command;

      const seen = await open(hub, k1.token);
      expect(seen.map((c) => [c.id, c.type, c.state])).toEqual([
        [sync.id, 'sync', 'pending'],
        [restart.id, 'restart', 'pending'],
      ]);
      expect(seen.every((c) => c.ageSeconds! >= 0 && c.ageSeconds! < 60)).toBe(true);
      expect((await list(hub, 'k1')).every((c) => c.seenAt !== null)).toBe(true);
      expect((await list(hub, 'k2'))[0]!.seenAt).toBeNull();

      // Someone else's command: as if it did not exist.
      expect((await report(hub, k1.token, other.id, { state: 'done' })).status).toBe(404);
      // Hostile reports: refused, nothing changes.
      for (const [id, body] of [
        ['not-a-uuid', { state: 'done' }],
        [sync.id, { state: 'pending' }],
        [sync.id, { state: 'done', detail: 'x'.repeat(501) }],
        [sync.id, { state: 'done', extra: true }],
        [sync.id, { detail: 'no state' }],
      ] as const) {
        const res = await report(hub, k1.token, id, body);
        expect(res.status, `${id} ${JSON.stringify(body)}`).toBe(400);
      }
      expect((await report(hub, hub.adminToken, sync.id, { state: 'done' })).status).toBe(403);
      expect((await list(hub, 'k1')).every((c) => c.state === 'pending')).toBe(true);

      // Deferred, then done; a retried 'done' and a late 'deferred' change nothing; another outcome is refused.
      expect((await report(hub, k1.token, restart.id, { state: 'deferred', detail: 'a customer is using the kiosk' })).json).toEqual({ id: restart.id, state: 'deferred', duplicate: false });
      expect((await report(hub, k1.token, restart.id, { state: 'deferred', detail: 'a customer is using the kiosk' })).json).toMatchObject({ duplicate: true });
      expect((await open(hub, k1.token)).find((c) => c.id === restart.id)?.state).toBe('deferred');
      expect((await report(hub, k1.token, restart.id, { state: 'done', detail: 'restarting\u001b[2J the app' })).json).toEqual({ id: restart.id, state: 'done', duplicate: false });
      const finished = (await list(hub, 'k1')).find((c) => c.id === restart.id)!;
      expect(finished).toMatchObject({ state: 'done', detail: 'restarting [2J the app', finishedAt: expect.any(String) });
      expect((await report(hub, k1.token, restart.id, { state: 'done', detail: 'restarting the app' })).json).toEqual({ id: restart.id, state: 'done', duplicate: true });
      expect((await report(hub, k1.token, restart.id, { state: 'deferred' })).json).toMatchObject({ state: 'done', duplicate: true });
      const conflict = await report(hub, k1.token, restart.id, { state: 'failed', detail: 'late' });
      expect(conflict.status).toBe(409);
      expect((await list(hub, 'k1')).find((c) => c.id === restart.id)).toEqual(finished);

      expect((await report(hub, k1.token, sync.id, { state: 'refused', detail: 'stale' })).status).toBe(200);
      expect(await open(hub, k1.token)).toEqual([]);
      expect((await open(hub, k2.token)).map((c) => c.id)).toEqual([other.id]);
    });

    it('ageSeconds is measured from sending to the first fetch, on the hub clock', async () => {
      hub = await startHub(backend);
      const k1 = await hub.addKiosk('k1');
      const cmd = ((await send(hub, 'k1', { type: 'restart' })).json as { command: Cmd }).command;
      const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
      await hub.hub.write((trx) => trx.updateTable('kiosk_commands').set({ created_at: weekAgo }).where('id', '=', cmd.id).execute());
      const [first] = await open(hub, k1.token);
      expect(first!.ageSeconds).toBeGreaterThanOrEqual(7 * 86_400);
      expect(first!.ageSeconds).toBeLessThan(7 * 86_400 + 120);
      // Fixed at the first fetch: fetching again later does not make it older.
      const [again] = await open(hub, k1.token);
      expect(again!.ageSeconds).toBe(first!.ageSeconds);
    });

    it('CLI: `hub kiosk command` and `hub kiosk commands`, with clear errors', async () => {
      const spec = await freshDbSpec(backend);
      hub = await startHub(backend, { spec });
      const k1 = await hub.addKiosk('k1');
      const sent = await runCli('hub', ['kiosk', 'command', 'k1', 'update-now', '--json', '--db', spec]);
      expect(sent.code, sent.stderr).toBe(0);
      const c = JSON.parse(sent.stdout) as Cmd;
      expect(c).toMatchObject({ kiosk: 'k1', type: 'update-now', state: 'pending' });

      const bad = await runCli('hub', ['kiosk', 'command', 'k1', 'reboot', '--db', spec]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/unknown kiosk command 'reboot': use sync, restart, update-now/);
      expect((await runCli('hub', ['kiosk', 'command', 'k1', '--db', spec])).code).toBe(2);
      const nobody = await runCli('hub', ['kiosk', 'command', 'nobody', 'sync', '--db', spec]);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toMatch(/no kiosk named 'nobody'/);

      // The kiosk (over HTTP to the in-process server on the same database) takes one and reports.
      const [first] = await open(hub, k1.token);
      expect(first!.id).toBe(c.id);
      expect((await report(hub, k1.token, c.id, { state: 'done', detail: 'already up to date (1.0.0)' })).status).toBe(200);
      const plain = await runCli('hub', ['kiosk', 'command', 'k1', 'restart', '--db', spec]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/^restart sent to kiosk 'k1'/);

      const json = await runCli('hub', ['kiosk', 'commands', 'k1', '--json', '--db', spec]);
      expect(json.code, json.stderr).toBe(0);
      const rows = JSON.parse(json.stdout) as Cmd[];
      expect(rows.map((r) => [r.type, r.state])).toEqual(expect.arrayContaining([['update-now', 'done'], ['restart', 'pending']]));
      const table = await runCli('hub', ['kiosk', 'commands', 'k1', '--db', spec]);
      expect(table.stdout).toMatch(/COMMAND\s+STATE/);
      expect(table.stdout).toMatch(/update-now\s+done\s+\S+\s+already up to date \(1\.0\.0\)/);
      expect(table.stdout).toMatch(/restart\s+pending\s+not yet/);
      const none = await runCli('hub', ['kiosk', 'commands', 'nobody', '--db', spec]);
      expect(none.code).toBe(1);
    });
  });
}
