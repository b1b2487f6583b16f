// The CLIs and `hub serve` as child processes, for tests and for plain scripts (npm run screens):
// nothing here registers vitest hooks.
import { spawn } from 'node:child_process';

/**
 * Runs `kiosk …` or `hub …` as a separate process without blocking this one (an in-process hub
 * must keep answering while the CLI talks to it; test/helpers/cli.ts uses spawnSync).
 */
export function runCli(
  which: 'kiosk' | 'hub',
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = new URL('../../', import.meta.url).pathname;
  const entry = which === 'kiosk' ? 'core/cli/main.ts' : 'hub/cli/main.ts';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface HubProcess {
  url: string;
  output: () => string;
  /** The last match of `re` in the hub's output, waiting up to 30 s for one. */
  waitForOutput(re: RegExp, what: string): Promise<RegExpExecArray>;
  stop: () => Promise<void>;
}

/** `hub serve` as its own process on a free loopback port; resolves once it prints its URL.
 *  `quiet: false` keeps the request log (the demo SMS sender writes its codes there); `env` adds
 *  to the environment (SSO settings, NODE_EXTRA_CA_CERTS). */
export async function startHubProcess(args: string[], options: { quiet?: boolean; env?: Record<string, string> } = {}): Promise<HubProcess> {
  const root = new URL('../../', import.meta.url).pathname;
  const quiet = options.quiet === false ? [] : ['--quiet'];
  // HUB_CHECK_RESPONSES: the hub answers 500 (and logs why) when an answer does not match the route table.
  const server = spawn(process.execPath, ['--import', 'tsx', 'hub/cli/main.ts', 'serve', '--port', '0', ...quiet, ...args], { cwd: root, env: { ...process.env, HUB_CHECK_RESPONSES: '1', ...options.env } });
  let out = '';
  server.stdout.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hub did not start: ${out}`)), 30_000);
      const check = () => {
        const m = /hub listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      server.stdout.on('data', check);
      server.once('exit', () => reject(new Error(`hub exited: ${out}`)));
    });
    const waitForOutput = async (re: RegExp, what: string): Promise<RegExpExecArray> => {
      for (let i = 0; i < 600; i++) {
        const all = [...out.matchAll(new RegExp(re.source, 'g'))];
        if (all.length) return all[all.length - 1]!;
        if (server.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`hub: no ${what} in its output: ${out.slice(-2000)}`);
    };
    return { url, output: () => out, waitForOutput, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
