// `npm run demo`: the whole product on one machine, for a first look or a training session. A
// demo hub process (fresh SQLite file: starter KB published, demo customers with orders in every
// state, one kiosk token) and the kiosk in browser mode pointed at it, with the card reader,
// fingerprint sensor and printer simulated on socat pty pairs. This script only orchestrates the
// two documented CLIs as child processes (the hub never shares code with the kiosk); lines typed
// here go to the simulators ("idcard insert zhang", "printer paper out").
// Options: everything after `--` goes to `kiosk browser` (e.g. `npm run demo -- --no-launch`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const STAFF_PIN = '123456';
const dir = mkdtempSync(join(tmpdir(), 'lobby-kiosk-demo-'));
const hubDb = join(dir, 'hub.db');
const children: ChildProcess[] = [];

function cli(which: 'hub' | 'kiosk', args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${which}/cli/main.ts`, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${which} ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

function stop(code: number): never {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  const say = (line: string) => process.stderr.write(`demo: ${line}\n`);
  cli('hub', ['kb', 'import', join(ROOT, 'resources/kb/default'), '--db', hubDb]);
  cli('hub', ['demo', 'seed', '--db', hubDb]);
  const token = cli('hub', ['kiosk', 'add', 'demo-kiosk', '--db', hubDb]);

  // Not --quiet: the demo SMS sender prints the codes in the hub's log, which is shown here.
  const hub = spawn(process.execPath, ['--import', 'tsx', 'hub/cli/main.ts', 'serve', '--port', '0', '--db', hubDb], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(hub);
  const hubUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-4000);
      for (const m of d.toString().matchAll(/sms code (\d{4,8}) for (\S+)/g)) say(`SMS to ${m[2]}: code ${m[1]}`);
      const url = /hub listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve(url);
    };
    hub.stdout!.on('data', onData);
    hub.stderr!.on('data', onData);
    hub.once('exit', (code) => reject(new Error(`the demo hub exited (${code}): ${out.slice(-500)}`)));
  });
  say(`hub ${hubUrl} (data in ${dir}, removed on exit)`);
  say(`staff PIN ${STAFF_PIN} (5 taps in the top-left corner within 3 s)`);
  say('customers: 张小三 (card "zhang", phone 13800138001, finger 1), 李四 (card "li", 13800138002, finger 2), 欧阳明月 (card "ouyang", 13800138003)');
  say('fingerprint: "fingerprint place 1" when the screen asks for the finger; card: "idcard insert zhang", "idcard remove"');

  const kiosk = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'browser', '--simulate-devices', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, KIOSK_DATA_DIR: join(dir, 'kiosk'), KIOSK_HUB_URL: hubUrl, KIOSK_HUB_TOKEN: token, KIOSK_STAFF_PIN: STAFF_PIN },
  });
  children.push(kiosk);
  process.stdin.pipe(kiosk.stdin!);
  kiosk.once('exit', (code) => stop(code ?? 0));
  hub.once('exit', (code) => {
    say(`the hub stopped (${code}); stopping the kiosk`);
    stop(1);
  });
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop(0));
main().catch((err: Error) => {
  process.stderr.write(`demo: ${err.message}\n`);
  stop(1);
});
