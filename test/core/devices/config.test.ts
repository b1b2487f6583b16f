// Devices config files at start-up: every bad file stops the start with one error naming the file
// and the problem, before the KB or the logs are opened; the `browser` command reports it as one
// line (exit 1) before building anything; --simulate-devices wires the simulators in; without
// socat it says so.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKioskCore } from '../../../core/kiosk-core.ts';
import { startBrowserMode } from '../../../core/browser-mode/run.ts';
import { DevicesConfigError, loadDevicesConfig } from '../../../core/devices/config.ts';
import { runCli } from '../../hub/harness.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { onCleanup, until } from './harness.ts';

const good = { devices: [{ id: 'reader', kind: 'idcard', port: '/dev/ttyUSB0' }, { id: 'printer', kind: 'printer', url: 'tcp://127.0.0.1:9100' }] };

const BAD: Array<[string, string | Buffer, RegExp]> = [
  ['not JSON', '{"devices": [', /not valid JSON/u],
  ['truncated in a string', '{"devices": [{"id": "rea', /not valid JSON/u],
  ['empty', '', /not valid JSON/u],
  ['not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not UTF-8/u],
  ['no devices list', '{}', /devices: /u],
  ['unknown kind', JSON.stringify({ devices: [{ id: 'x', kind: 'scanner', port: '/dev/x' }] }), /devices\.0\.kind/u],
  ['missing port', JSON.stringify({ devices: [{ id: 'reader', kind: 'idcard' }] }), /devices\.0\.port/u],
  ['bad id', JSON.stringify({ devices: [{ id: '../etc', kind: 'idcard', port: '/dev/x' }] }), /devices\.0\.id/u],
  ['duplicate ids', JSON.stringify({ devices: [{ id: 'a', kind: 'idcard', port: '/dev/x' }, { id: 'a', kind: 'printer', url: '/dev/y' }] }), /unique/u],
  ['poll too fast', JSON.stringify({ devices: [{ id: 'a', kind: 'idcard', port: '/dev/x', pollMs: 1 }] }), /devices\.0\.pollMs/u],
  ['an array', '[1,2,3]', /\(root\)/u],
  ['too large', `{"devices": [], "x": "${'a'.repeat(300 * 1024)}"}`, /too large/u],
];

describe('devices config files', () => {
  it('a good file is read with defaults filled in', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'devices.json'), JSON.stringify(good));
    const c = loadDevicesConfig(join(dir, 'devices.json'));
    expect(c.devices[0]).toMatchObject({ kind: 'idcard', baudRate: 115200, pollMs: 300 });
    expect(c.reconnect.initialMs).toBe(500);
  });

  it.each(BAD)('%s → a clear error naming the file and the problem', (_name, content, problem) => {
    const dir = tempDir();
    const file = join(dir, 'devices.json');
    writeFileSync(file, content);
    expect(() => loadDevicesConfig(file)).toThrow(DevicesConfigError);
    expect(() => loadDevicesConfig(file)).toThrow(problem);
    expect(() => loadDevicesConfig(file)).toThrow(file);
  });

  it('a missing file or a folder → clear errors', () => {
    const dir = tempDir();
    expect(() => loadDevicesConfig(join(dir, 'nope.json'))).toThrow(`devices config ${join(dir, 'nope.json')}: no such file`);
    expect(() => loadDevicesConfig(dir)).toThrow(/is a folder/u);
  });

  it('the kiosk core refuses to start with a bad file and opens nothing (no KB file, no logs)', () => {
    const dir = tempDir();
    const file = join(dir, 'devices.json');
    writeFileSync(file, '{"devices": [{"id": "a", "kind": "idcard"}]}');
    expect(() => openKioskCore({ mode: 'browser', dbPath: join(dir, 'kiosk.db'), logDir: join(dir, 'logs'), env: { KIOSK_DEVICES_CONFIG: file } })).toThrow(/devices config .*devices\.json: devices\.0\.port/u);
    expect(existsSync(join(dir, 'kiosk.db'))).toBe(false);
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });

  it('`kiosk browser --devices <bad file>` fails with one line and exit 1; conflicting options → usage, exit 2', async () => {
    const dir = tempDir();
    const file = join(dir, 'devices.json');
    writeFileSync(file, '{"devices": [{"id": "a", "kind": "idcard", "port": "/dev/x", "pollMs": 1}]}');
    const bad = await runCli('kiosk', ['browser', '--no-launch', '--devices', file], { env: { KIOSK_DATA_DIR: dir } });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain(`kiosk: devices config ${file}: devices.0.pollMs`);
    const both = await runCli('kiosk', ['browser', '--no-launch', '--devices', file, '--simulate-devices'], { env: { KIOSK_DATA_DIR: dir } });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --devices or --simulate-devices');
  });

  it('`kiosk browser --simulate-devices` without socat says it needs socat', async () => {
    const dir = tempDir();
    const r = await runCli('kiosk', ['browser', '--no-launch', '--simulate-devices'], { env: { KIOSK_DATA_DIR: dir, PATH: join(dir, 'empty-bin') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/simulated devices need socat/u);
  });
});

describe('browser mode with simulated devices', () => {
  it('starts the simulators, writes their config and uses it; stop() ends them', async () => {
    const dir = tempDir();
    const staticRoot = join(dir, 'static');
    mkdirSync(staticRoot);
    writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>k</title>');
    const mode = await startBrowserMode({ launch: false, staticRoot, simulateDevices: true, env: { KIOSK_DATA_DIR: dir }, onRestart: () => {} });
    onCleanup(() => mode.stop());
    expect(mode.simulated?.configPath).toBe(join(dir, 'simulated-devices', 'devices.json'));
    await until(() => mode.core.devices!.health().every((d) => d.state === 'connected'), 15_000);
    expect(mode.core.devices!.health()).toHaveLength(3);
    expect(mode.simulated!.control('idcard insert li')).toMatch(/^ok/u);
    await mode.stop();
    // the simulators' pty links are gone with socat
    expect(existsSync(join(dir, 'simulated-devices', 'printer-kiosk'))).toBe(false);
  });
});
