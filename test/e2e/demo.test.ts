// `npm run demo` as a newcomer runs it: a demo hub process and the kiosk in browser mode with the
// simulated devices, wired together. Driven over the kiosk's own bridge (what the page does) and
// the script's stdin (what the person at the terminal types): a card on the reader identifies a
// demo customer whose orders come from the hub; stopping the script removes its data.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { wsTransport } from '../core/api/harness.ts';
import { ROOT } from './util.ts';

let demo: ChildProcess | undefined;
afterAll(() => {
  if (demo?.exitCode === null) demo.kill('SIGTERM');
});

describe('npm run demo', () => {
  it('starts a demo hub and the kiosk with simulated devices; a card identifies a demo customer with orders; exit cleans up', async () => {
    demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--no-launch'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    demo.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    demo.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => /kiosk \(browser mode\) at (http:\/\/127\.0\.0\.1:\d+)\/#k=([0-9a-f]{64})/.exec(out), { timeout: 90_000, interval: 200 }).toBeTruthy();
    const [, page, secret] = /kiosk \(browser mode\) at (http:\/\/127\.0\.0\.1:\d+)\/#k=([0-9a-f]{64})/.exec(out)!;
    const dataDir = /data in (\S+), removed on exit/.exec(out)![1]!;
    expect(out).toContain('staff PIN 123456');

    const bridge = await wsTransport(`${page!.replace('http', 'ws')}/bridge?k=${secret}`, page!);
    const call = async (method: string, args: unknown = {}) => {
      const r = await bridge.raw(method, args);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value as Record<string, unknown> & Array<Record<string, unknown>>;
    };
    await expect.poll(async () => (await call('devices.status')).map((d) => d.state), { timeout: 20_000 }).toEqual(['connected', 'connected', 'connected']);
    await call('session.start');
    const identified = call('identify.idCard', { timeoutSec: 20 });
    demo.stdin!.write('idcard insert zhang\n');
    expect(await identified).toEqual({ displayName: '张*三', maskedId: '1101**********1233', method: 'idcard' });
    expect((await call('orders.list')).length).toBeGreaterThan(3);
    await call('session.end', { reason: 'finish' });
    bridge.close();

    const exited = new Promise((resolve) => demo!.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
    expect(existsSync(dataDir)).toBe(false);
  });
});
