#!/usr/bin/env node
// `npm run kiosk -- <group> <command> …`: the kiosk's command line. Each group lives in
// commands/<group>.ts and is loaded only when used, so `kb search` never loads serialport.
import { CommandError, UsageError, writeLine, type CliIo, type CommandRunner } from './io.ts';

const GROUPS: Record<string, { summary: string; load: () => Promise<{ run: CommandRunner }> }> = {
  kb: { summary: 'knowledge base: import, search, suggest, eval, stats', load: () => import('./commands/kb.ts') },
  browser: { summary: 'browser mode: kiosk core + loopback bridge + Chromium --kiosk', load: () => import('./commands/browser.ts') },
  update: { summary: 'app updates: check a feed (IT)', load: () => import('./commands/update.ts') },
  devices: { summary: 'card reader, fingerprint sensor, printer: list, test, simulate', load: () => import('./commands/devices.ts') },
  sync: { summary: 'sync the KB and configuration from the hub; status', load: () => import('./commands/sync.ts') },
  outbox: { summary: 'items waiting for the hub: list, retry, add', load: () => import('./commands/outbox.ts') },
};

export const USAGE = [
  'usage: kiosk <group> <command> [options]',
  ...Object.entries(GROUPS).map(([name, g]) => `  ${name.padEnd(8)} ${g.summary}`),
  'Run `kiosk <group> --help` for the commands of a group.',
].join('\n');

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === '--help' || group === '-h' || group === 'help') {
    writeLine(group ? io.stdout : io.stderr, USAGE);
    return group ? 0 : 2;
  }
  const entry = GROUPS[group];
  if (!entry) {
    writeLine(io.stderr, `kiosk: unknown command group '${group}'\n${USAGE}`);
    return 2;
  }
  try {
    const { run } = await entry.load();
    return await run(rest, io);
  } catch (err) {
    return reportFailure(err, io);
  }
}

export function reportFailure(err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    writeLine(io.stderr, `kiosk: ${err.message}`);
    return 2;
  }
  if (err instanceof CommandError) {
    writeLine(io.stderr, `kiosk: ${err.message}`);
    return 1;
  }
  // An unexpected failure is still one line for the user; the stack is for developers who ask.
  const message = err instanceof Error ? err.message : String(err);
  writeLine(io.stderr, `kiosk: ${message}`);
  if (io.env.KIOSK_DEBUG) writeLine(io.stderr, String((err as Error)?.stack ?? ''));
  return 1;
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
