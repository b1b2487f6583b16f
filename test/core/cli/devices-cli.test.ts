// `kiosk devices …` as a user runs it: simulators as real child processes (`kiosk devices simulate`),
// diagnostics through the command's run() against them, over a real pty pair and a TCP socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../../core/cli/commands/devices.ts';
import { main } from '../../../core/cli/main.ts';
import type { CliIo } from '../../../core/cli/io.ts';
import { sendControl } from '../../../native/simulators/host.ts';
import { onCleanup, until } from '../../native/fixtures.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function io(): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { io: { stdout, stderr, stdin: Readable.from([]), env: {} }, out: () => o, err: () => e };
}

interface Sim {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  connect: string;
  control: number;
}

async function simulate(...args: string[]): Promise<Sim> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'devices', 'simulate', ...args, '--control', '0'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((r) => child.once('exit', r));
  onCleanup(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  await until(() => /ready: connect the kiosk to/u.test(err) || child.exitCode !== null, 30_000);
  const m = /connect the kiosk to (\S+); control port 127\.0\.0\.1:(\d+)/u.exec(err);
  if (!m) throw new Error(`simulator did not start: ${err}`);
  return { child, stdout: () => out, stderr: () => err, connect: m[1]!, control: Number(m[2]) };
}

describe('kiosk devices (CLI)', () => {
  it('usage errors exit 2 with a clear line', async () => {
    const c = io();
    expect(await main(['devices'], c.io)).toBe(2);
    expect(await main(['devices', 'frobnicate'], c.io)).toBe(2);
    expect(await main(['devices', 'test', 'idcard'], c.io)).toBe(2);
    expect(await main(['devices', 'simulate', 'printer'], c.io)).toBe(2);
    expect(await main(['devices', 'simulate', 'toaster', '--pty'], c.io)).toBe(2);
    expect(await main(['devices', 'simulate', 'idcard', '--pty', '--card', 'nobody'], c.io)).toBe(2);
    expect(c.err()).toContain("kiosk: devices test idcard needs --port");
    expect(c.err()).toContain("unknown card profile 'nobody'");
  });

  it('list --json gives serial ports and HID devices', async () => {
    const c = io();
    expect(await run(['list', '--json'], c.io)).toBe(0);
    const listed = JSON.parse(c.out()) as { serial: unknown[]; hid: unknown[]; notes: string[] };
    expect(Array.isArray(listed.serial)).toBe(true);
    expect(Array.isArray(listed.hid)).toBe(true);
  });

  it('a port with nothing behind it: exit 1 with a clear message', async () => {
    const c = io();
    expect(await main(['devices', 'test', 'idcard', '--port', '/nonexistent/ttyUSB9'], c.io)).toBe(1);
    expect(c.err()).toMatch(/^kiosk: card reader: cannot open serial port \/nonexistent\/ttyUSB9/mu);
  });

  it('idcard: simulate --pty, then test idcard prints the card with name and ID number masked', async () => {
    const sim = await simulate('idcard', '--pty', '--card', 'zhang');
    const c = io();
    expect(await run(['test', 'idcard', '--port', sim.connect, '--json', '--timeout', '20'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({
      name: '张*三', idNumber: '1101**********1233', gender: 'male', ethnicity: '汉', birthDate: '19900307', validFrom: '20150101', validTo: '20350101', checkDigitOk: true,
    });
    expect(c.out() + c.err() + sim.stderr()).not.toContain('张小三');
    expect(c.out() + c.err() + sim.stderr()).not.toContain('110101199003071233');
    // a card with a wrong check digit: printed, but exit 1
    expect(await sendControl(sim.control, 'insert bad-check')).toBe("ok card 'bad-check' inserted");
    const d = io();
    expect(await run(['test', 'idcard', '--port', sim.connect, '--timeout', '20'], d.io)).toBe(1);
    expect(d.out()).toContain('check digit WRONG');
    expect(await sendControl(sim.control, 'quit')).toBe('ok bye');
    await until(() => sim.child.exitCode !== null);
    expect(sim.child.exitCode).toBe(0);
  });

  it('printer: test page over TCP shows in the simulator transcript; paper out → exit 1, nothing sent', async () => {
    const sim = await simulate('printer', '--port', '0');
    const c = io();
    expect(await run(['test', 'printer', '--port', sim.connect], c.io)).toBe(0);
    expect(c.out()).toMatch(/printed the test page \(\d+ bytes\)/u);
    await until(() => sim.stdout().includes('[CUT]'));
    expect(sim.stdout()).toContain('----- job 1 -----');
    expect(sim.stdout()).toContain('中文：自助服务终端打印正常。');
    expect(sim.stdout()).toMatch(/\[QR M 6\] https:\/\/lobby-kiosk\.invalid\/printer-test/u);

    await sendControl(sim.control, 'paper out');
    const d = io();
    expect(await main(['devices', 'test', 'printer', '--port', sim.connect], d.io)).toBe(1);
    expect(d.err()).toBe('kiosk: printer: the printer is out of paper; nothing was sent\n');
    await sendControl(sim.control, 'quit');
    await until(() => sim.child.exitCode !== null);
    expect(sim.stdout()).not.toContain('----- job 2');
  });

  it('fingerprint: simulate --pty, test fingerprint with a finger placed, lifted, placed again', async () => {
    const sim = await simulate('fingerprint', '--pty');
    const c = io();
    const test = run(['test', 'fingerprint', '--port', sim.connect, '--json', '--timeout', '20'], c.io);
    await sendControl(sim.control, 'place 4');
    await until(() => c.err().includes('lift the finger'));
    await sendControl(sim.control, 'lift');
    await new Promise((r) => setTimeout(r, 300));
    await sendControl(sim.control, 'place 4');
    expect(await test).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({ capacity: 1000, quality: 'ok', score: 300, matched: true });
  });
});
