// Rebooting the PC is a configured argv (e.g. ["systemctl","reboot"]), run without a shell: no
// string built from input ever reaches a command line.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export function rebootArgv(env: NodeJS.ProcessEnv): string[] | undefined {
  if (!env.KIOSK_REBOOT_ARGV) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(env.KIOSK_REBOOT_ARGV);
  } catch {
    v = null;
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s.length > 0 && !s.includes('\0'))) {
    throw new Error('KIOSK_REBOOT_ARGV must be a JSON array of strings, e.g. ["systemctl","reboot"]');
  }
  return v as string[];
}

export function rebootCommand(argv: string[] | undefined, run = promisify(execFile)): (() => Promise<void>) | undefined {
  if (!argv) return undefined;
  return async () => {
    await run(argv[0]!, argv.slice(1), { shell: false } as never);
  };
}
