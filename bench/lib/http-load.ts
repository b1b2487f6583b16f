// Load over loopback for the hub benches: a server as its own process (the URL it prints), and
// autocannon against it for BENCH_SECONDS (default 5) per measurement.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from './report.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

export function startProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        // Started: later output is drained, not kept (a chatty server must not slow the load generator).
        child.stdout!.off('data', onData).resume();
        child.stderr!.off('data', onData).resume();
        resolve({ child, url: m[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
}

export async function load(url: string, connections: number, headers: Record<string, string>, init: { method?: 'GET' | 'POST'; body?: string } = {}): Promise<Load> {
  const r = await autocannon({ url, connections, duration: DURATION, headers, pipelining: 1, ...init });
  const statuses: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = (v as { count: number }).count;
  return { rps: round(r.requests.average, 0), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, statuses };
}

