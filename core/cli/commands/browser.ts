// `kiosk browser [--no-launch] [--port N] [--db F] [--rebuild] [--window] [--chromium PATH]`:
// browser mode (core/browser-mode/run.ts). Runs until interrupted.
import { parseArgs } from 'node:util';
import { startBrowserMode } from '../../browser-mode/run.ts';
import { UsageError, writeLine, type CliIo } from '../io.ts';

const USAGE = `usage: kiosk browser [options]      (npm run kiosk:browser -- [options])
  --no-launch        start the core, bridge and static server and print the URL; do not open Chromium
  --port N           loopback port (default: any free port)
  --db FILE          KB file (default: the kiosk's data file; seeded with the starter KB)
  --rebuild          rebuild the renderer even if the build is up to date
  --window           open Chromium as a normal window instead of --kiosk (development)
  --chromium PATH    the Chromium executable (default: $KIOSK_CHROMIUM, then /usr/bin/chromium …)
Staff PIN: KIOSK_STAFF_PIN_HASH (scrypt hash) or, for development, KIOSK_STAFF_PIN.`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'no-launch': { type: 'boolean', default: false },
        port: { type: 'string' },
        db: { type: 'string' },
        rebuild: { type: 'boolean', default: false },
        window: { type: 'boolean', default: false },
        chromium: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a whole number from 0 to 65535');

  const mode = await startBrowserMode({
    port,
    dbPath: values.db,
    launch: !values['no-launch'],
    rebuild: values.rebuild,
    kiosk: !values.window,
    chromium: values.chromium,
    env: io.env,
    log: (line) => writeLine(io.stderr, line),
  });
  writeLine(io.stdout, `kiosk (browser mode) at ${mode.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await mode.stop();
  return 0;
}
