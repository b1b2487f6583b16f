// Device health in the fleet view: the kiosk's compact summary header (contracts/device-health.ts)
// is bounded and carries codes only; the hub (real Fastify server on loopback, SQLite file or
// PostgreSQL schema) stores it in canonical form, shows it in the admin API and `hub kiosk list`,
// and ignores hostile values without ever failing the poll. End to end: a kiosk core with the
// device simulators on real ptys reports a printer running low on paper.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_HEALTH_LIMITS, encodeDeviceHealth, parseDeviceHealth } from '../../contracts/device-health.ts';
import { KIOSK_HEADERS } from '../../contracts/sync-protocol.ts';
import { openKioskCore, type KioskCore } from '../../core/kiosk-core.ts';
import { simulatedDevices } from '../core/devices/harness.ts';
import { tempDir } from '../helpers/tmp.ts';
import { api, freshDbSpec, postgresUnavailable, runCli, startHub, type BackendName, type TestHub } from './harness.ts';

const pgSkip = await postgresUnavailable();
const H = KIOSK_HEADERS.deviceHealth;

let hub: TestHub | undefined;
let core: KioskCore | undefined;
afterEach(async () => {
  await core?.close();
  await hub?.close();
  core = hub = undefined;
});

describe('device-health summary header', () => {
  const health = (kind: string, state: string, warnings: string[] = [], error?: string) => ({ kind, state, warnings, ...(error ? { error: { code: error } } : {}) });

  it('encodes kind, state and codes only; none for no devices', () => {
    expect(encodeDeviceHealth([])).toBe('none');
    expect(encodeDeviceHealth([health('printer', 'connected', ['paper-near-end']), health('idcard', 'disconnected', [], 'open-failed')])).toBe('printer:connected:paper-near-end,idcard:disconnected:open-failed');
    expect(parseDeviceHealth('printer:connected:paper-near-end,idcard:disconnected')).toEqual([
      { kind: 'printer', state: 'connected', codes: ['paper-near-end'] },
      { kind: 'idcard', state: 'disconnected', codes: [] },
    ]);
    expect(parseDeviceHealth('none')).toEqual([]);
  });

  it('never sends more than the limit, nor anything that is not a plain code', () => {
    // A driver that put a message (or a name) where a code goes: the code is dropped, not sent.
    expect(encodeDeviceHealth([health('printer', 'connected', ['Zhang San 110101199003077777', 'paper-near-end'], 'bad code!')])).toBe('printer:connected:paper-near-end');
    const many = Array.from({ length: 40 }, () => health('printer', 'disconnected', ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)], 'd'.repeat(32)));
    const text = encodeDeviceHealth(many);
    expect(text.length).toBeLessThanOrEqual(DEVICE_HEALTH_LIMITS.maxBytes);
    expect(parseDeviceHealth(text)).not.toBeNull();
  });

  it('parses hostile values to null', () => {
    for (const v of [
      undefined,
      '',
      'printer',
      'printer:on-fire',
      'toaster:connected',
      'printer:connected:<script>',
      'printer:connected:PAPER',
      'printer:connected:a:b:c:d:e',
      'printer:connected,',
      ' printer:connected',
      'printer:connected, idcard:connected',
      'printer:connected:' + 'x'.repeat(40),
      Array.from({ length: 17 }, () => 'hid:connected').join(','),
      'printer:connected:' + 'a,'.repeat(300),
      'printer:connected:张三',
      42,
    ]) {
      expect(parseDeviceHealth(v), String(v)).toBeNull();
    }
  });
});

for (const backend of ['sqlite', 'postgres'] as BackendName[]) {
  const skip = backend === 'postgres' && pgSkip !== null;
  describe.skipIf(skip)(`fleet view device health on ${backend}${skip ? ` (skipped: ${pgSkip})` : ''}`, () => {
    const kiosks = async (t: TestHub) => ((await api(t, '/v1/admin/kiosks', { token: t.adminToken })).json as { kiosks: Array<Record<string, unknown>> }).kiosks;

    it('stores what a poll reports, shows it in the admin API and `hub kiosk list`, ignores hostile values', async () => {
      const spec = await freshDbSpec(backend);
      hub = await startHub(backend, { spec });
      const k = await hub.addKiosk('k1', 'north');
      await hub.addKiosk('k2');
      const poll = (headers: Record<string, string> | Headers) => api(hub!, '/v1/sync/changes?since=0', { token: k.token, headers });

      expect((await kiosks(hub)).map((x) => x.deviceHealth)).toEqual([null, null]);
      expect((await poll({ [H]: 'printer:connected:paper-near-end,idcard:disconnected' })).status).toBe(200);
      await hub.server.flushStatus();
      const good = [
        { kind: 'printer', state: 'connected', codes: ['paper-near-end'] },
        { kind: 'idcard', state: 'disconnected', codes: [] },
      ];
      expect((await kiosks(hub))[0]).toMatchObject({ name: 'k1', deviceHealth: good });

      // Hostile values: the poll still answers 200, the last good report stays.
      const hostile = ['printer:connected:<script>alert(1)</script>', 'x'.repeat(5000), 'printer:exploded', "idcard:connected:'; DROP TABLE kiosks; --", 'printer:connected:%E5%BC%A0'];
      for (const v of hostile) expect((await poll({ [H]: v })).status, v).toBe(200);
      const twice = new Headers();
      twice.append(H, 'printer:connected');
      twice.append(H, 'idcard:connected');
      expect((await poll(twice)).status).toBe(200);
      await hub.server.flushStatus();
      expect((await kiosks(hub))[0]!.deviceHealth).toEqual(good);

      // A kiosk whose devices were all removed says so.
      expect((await poll({ [H]: 'none' })).status).toBe(200);
      await hub.server.flushStatus();
      expect((await kiosks(hub))[0]!.deviceHealth).toEqual([]);
      expect((await poll({ [H]: 'printer:disconnected:offline' })).status).toBe(200);
      await hub.server.flushStatus();

      const cli = await runCli('hub', ['kiosk', 'list', '--db', spec]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/DEVICES/);
      expect(cli.stdout.split('\n').find((l) => l.startsWith('k1'))).toMatch(/printer:disconnected:offline\s*$/);
      expect(cli.stdout.split('\n').find((l) => l.startsWith('k2'))).toMatch(/-\s*$/);
      const json = await runCli('hub', ['kiosk', 'list', '--json', '--db', spec]);
      expect((JSON.parse(json.stdout) as Array<{ name: string; deviceHealth: unknown }>).find((x) => x.name === 'k1')?.deviceHealth).toEqual([{ kind: 'printer', state: 'disconnected', codes: ['offline'] }]);
    });

    it('a kiosk core with devices on real ptys reports their health with its polls', async () => {
      const sim = await simulatedDevices();
      hub = await startHub(backend);
      const { token } = await hub.addKiosk('lobby-1');
      const dir = tempDir();
      core = openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: 'none', autoSync: false, env: { ...sim.env, KIOSK_HUB_URL: hub.url, KIOSK_HUB_TOKEN: token } });
      const c = core;
      await c.devices!.manager.waitFor('printer', 10_000);
      sim.control('printer paper low');
      await c.devices!.manager.refresh('printer');
      expect(c.devices!.health().find((h) => h.kind === 'printer')?.warnings).toContain('paper-near-end');

      await c.hub.sync!.syncNow();
      await hub.server.flushStatus();
      const reported = (await kiosks(hub))[0]!.deviceHealth as Array<{ kind: string; state: string; codes: string[] }>;
      expect(reported.find((d) => d.kind === 'printer')).toEqual({ kind: 'printer', state: 'connected', codes: ['paper-near-end'] });
      expect(reported.map((d) => d.kind).sort()).toEqual(['fingerprint', 'idcard', 'printer']);
      // Codes only: neither device paths nor ids reach the hub.
      expect(JSON.stringify(reported)).not.toContain('/');
    });
  });
}
