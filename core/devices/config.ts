// The kiosk's devices config file (contracts/device-config.ts DevicesConfig), read once at start.
// Read synchronously so openKioskCore stays synchronous; a bad file stops the start with one error
// that names the file and the problem, before anything else (KB, logs) is opened.
import { readFileSync } from 'node:fs';
import { DevicesConfig } from '../../contracts/device-config.ts';

export class DevicesConfigError extends Error {
  override name = 'DevicesConfigError';
  constructor(readonly file: string, problem: string) {
    super(`devices config ${file}: ${problem}`);
  }
}

/** Max size of a devices config: 16 devices fit in a few KB; anything bigger is not one. */
const MAX_BYTES = 256 * 1024;

export function loadDevicesConfig(file: string): DevicesConfig {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DevicesConfigError(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? (err as Error).message})`);
  }
  if (raw.length > MAX_BYTES) throw new DevicesConfigError(file, `too large (${raw.length} bytes; at most ${MAX_BYTES})`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    throw new DevicesConfigError(file, err instanceof SyntaxError ? `not valid JSON (${err.message})` : 'not UTF-8 text');
  }
  const parsed = DevicesConfig.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DevicesConfigError(file, problems.join('; '));
  }
  return parsed.data;
}
