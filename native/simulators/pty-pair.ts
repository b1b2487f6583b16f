// Two linked pseudo-terminals from socat (`socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B`):
// real ttys that the real serialport opens. Used by `devices simulate --pty`, tests and the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TransportError } from '../errors.ts';

export interface PtyPair {
  /** Give this end to the kiosk / driver. */
  readonly a: string;
  /** The simulator opens this end. */
  readonly b: string;
  readonly pid: number;
  /** Ends socat (SIGTERM, or SIGKILL for an "unplug" without cleanup) and waits for it. */
  close(signal?: NodeJS.Signals): Promise<void>;
}

export async function createPtyPair(options: { dir?: string; names?: [string, string]; timeoutMs?: number } = {}): Promise<PtyPair> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'kiosk-pty-'));
  const [na, nb] = options.names ?? ['kiosk', 'device'];
  const a = path.join(dir, na);
  const b = path.join(dir, nb);
  let child: ChildProcess;
  try {
    child = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new TransportError('socat-missing', `cannot start socat: ${(err as Error).message}`);
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_r, reject) => child.once('error', (err) => reject(new TransportError('socat-missing', `cannot start socat (is it installed?): ${err.message}`))));
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  const ready = (async (): Promise<void> => {
    while (!(existsSync(a) && existsSync(b))) {
      if (child.exitCode !== null) throw new TransportError('socat-failed', `socat exited: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new TransportError('socat-failed', 'socat did not create the pty pair in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  spawnError.catch(() => undefined);
  return {
    a,
    b,
    pid: child.pid!,
    async close(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
