// `kiosk browser [--no-launch] [--port N] [--db F] [--rebuild] [--window] [--chromium PATH]
// [--devices FILE | --simulate-devices]`: browser mode (core/browser-mode/run.ts). Runs until
// interrupted. With --simulate-devices, stdin takes simulator commands ("idcard insert zhang").
import readline from 'node:readline';
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
  --devices FILE     devices config (card reader, fingerprint sensor, printer; default: $KIOSK_DEVICES_CONFIG)
  --simulate-devices start simulated devices on socat pty pairs and use them; control them on stdin
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
        devices: { type: 'string' },
        'simulate-devices': { type: 'boolean', default: false },
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
  if (values.devices !== undefined && values['simulate-devices']) throw new UsageError('use either --devices or --simulate-devices, not both');
  const devicesConfig = values.devices ?? (values['simulate-devices'] ? undefined : io.env.KIOSK_DEVICES_CONFIG || undefined);

  const mode = await startBrowserMode({
    port,
    dbPath: values.db,
    launch: !values['no-launch'],
    rebuild: values.rebuild,
    kiosk: !values.window,
    chromium: values.chromium,
    ...(devicesConfig ? { devicesConfig } : {}),
    simulateDevices: values['simulate-devices'],
    env: io.env,
    log: (line) => writeLine(io.stderr, line),
  });
  writeLine(io.stdout, `kiosk (browser mode) at ${mode.url}`);
  const sim = mode.simulated;
  let closeControl = (): void => {};
  if (sim) {
    writeLine(io.stderr, [`simulated devices (config: ${sim.configPath}); type commands here, e.g.:`, ...sim.help().map((l) => `  ${l}`)].join('\n'));
    const rl = readline.createInterface({ input: io.stdin, terminal: false });
    rl.on('line', (line) => {
      if (!line.trim()) return;
      writeLine(io.stderr, line.trim() === 'help' ? sim.help().join('\n') : sim.control(line));
    });
    closeControl = () => rl.close();
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  closeControl();
  await mode.stop();
  return 0;
}
