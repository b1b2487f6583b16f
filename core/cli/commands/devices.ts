// `kiosk devices …`: find devices, test them the way staff would, and run the simulators.
//   list                      serial ports and HID devices
//   test idcard|printer|fingerprint --port …
//   simulate idcard|fingerprint|printer --port … | --pty
// Personal data read from a card is printed masked (张*三, 1101**********1234) and never logged.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { argParser, intOption } from '../args.ts';
import { maskIdNumber, maskName } from '../../../native/codecs/idcard/index.ts';
import { FingerprintSensor } from '../../../native/drivers/fingerprint.ts';
import { IdCardReader } from '../../../native/drivers/idcard.ts';
import { PrinterError, ReceiptPrinter, blockingProblem } from '../../../native/drivers/printer.ts';
import { renderReceiptTemplate } from '../../../native/drivers/receipts.ts';
import { DeviceError, TimeoutError } from '../../../native/errors.ts';
import { hex4, listHidDevices } from '../../../native/hid/hid-reader.ts';
import type { SimulatorEngine } from '../../../native/simulators/engine.ts';
import { FingerprintSimulator } from '../../../native/simulators/fingerprint.ts';
import { SerialHost, TcpHost, attachControl, serveControl } from '../../../native/simulators/host.ts';
import { IdCardSimulator } from '../../../native/simulators/idcard.ts';
import { PrinterSimulator, type PrintedJob } from '../../../native/simulators/printer.ts';
import { CARD_PROFILES } from '../../../native/simulators/profiles.ts';
import { createPtyPair, type PtyPair } from '../../../native/simulators/pty-pair.ts';
import { listSerialPorts } from '../../../native/transports/list.ts';
import { openTransport, parseTransportAddress } from '../../../native/transports/open.ts';
import type { Transport } from '../../../native/transports/transport.ts';
import { CommandError, UsageError, writeLine, type CliIo } from '../io.ts';

const USAGE = `usage: kiosk devices <command> [options]
  list [--json]                                         serial ports and HID devices
  test idcard --port P [--baud 115200] [--timeout S] [--json]
                                                        wait for a card, print it (name and ID masked)
  test printer --port P|tcp://host:port|file:///dev/usb/lp0 [--baud 9600] [--width 32] [--json]
                                                        check status, print the test page (Chinese, QR, cut)
  test fingerprint --port P [--baud 57600] [--password N] [--timeout S] [--json]
                                                        handshake, two captures, match score
  simulate idcard|fingerprint|printer (--port <tty path | tcp port> | --pty) [options]
      --pty                 make a socat pty pair and print the end to give the kiosk
      --control <port>      also take control commands on 127.0.0.1:<port> (0 = any free port)
      --card <profile>      idcard: card on the reader at start (${CARD_PROFILES.map((p) => p.id).join(', ')})
      --transcript <file>   printer: append job transcripts to a file instead of stdout
      --baud <n>            serial speed of the simulated device
      --pace                write replies at the baud rate, like a real UART
    Control commands (stdin or --control; 'help' lists them): insert <profile> · remove ·
    place <n> · lift · paper out|in|low · cover open|close · offline|online · quit`;

const COMMON = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

const parse = argParser(USAGE, COMMON);


function requirePort(port: string | undefined, what: string): string {
  if (!port) throw new UsageError(`${what} needs --port`);
  return port;
}

/** Device failures become one clear line and exit 1. */
function failure(err: unknown, what: string): never {
  if (err instanceof PrinterError && err.code === 'paper-out') throw new CommandError(`${what}: the printer is out of paper; nothing was sent`);
  if (err instanceof PrinterError) throw new CommandError(`${what}: ${err.message} (${err.code})`);
  if (err instanceof TimeoutError) throw new CommandError(`${what}: ${err.message} — is the device connected to this port and switched on?`);
  if (err instanceof DeviceError) throw new CommandError(`${what}: ${err.message} (${err.code})`);
  throw err;
}

async function open(port: string, baudRate: number, what: string): Promise<Transport> {
  try {
    return await openTransport(port, { baudRate });
  } catch (err) {
    return failure(err, what);
  }
}

const timeoutSignal = (seconds: number): AbortSignal => AbortSignal.timeout(seconds * 1000);

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    writeLine(command ? io.stdout : io.stderr, USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'list':
      return listCommand(rest, io);
    case 'test':
      return testCommand(rest, io);
    case 'simulate':
      return simulateCommand(rest, io);
    default:
      throw new UsageError(`unknown devices command '${command}'\n${USAGE}`);
  }
}

// ---------------------------------------------------------------------------------------- list

async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (values.help) return help(io);
  if (positionals.length) throw new UsageError('devices list takes no arguments');
  const serial = await listSerialPorts();
  let hid: Awaited<ReturnType<typeof listHidDevices>> = [];
  let hidNote: string | undefined;
  try {
    hid = await listHidDevices();
  } catch (err) {
    hidNote = `HID devices could not be listed: ${(err as Error).message}`;
  }
  if (values.json) {
    writeLine(io.stdout, JSON.stringify({ serial: serial.ports, hid: hid.map((h) => ({ ...h, vendorId: hex4(h.vendorId), productId: hex4(h.productId) })), notes: [serial.note, hidNote].filter(Boolean) }));
    return 0;
  }
  writeLine(io.stdout, `Serial ports (${serial.ports.length}):`);
  for (const p of serial.ports) {
    const extra = [p.alias, p.manufacturer, p.vendorId && `${p.vendorId}:${p.productId}`].filter(Boolean).join('  ');
    writeLine(io.stdout, `  ${p.path}${extra ? `  ${extra}` : ''}`);
  }
  if (serial.ports.length === 0) writeLine(io.stdout, '  (none)');
  writeLine(io.stdout, `HID devices (${hid.length}):`);
  for (const h of hid) writeLine(io.stdout, `  ${hex4(h.vendorId)}:${hex4(h.productId)}  ${[h.manufacturer, h.product].filter(Boolean).join(' ')}${h.path ? `  ${h.path}` : ''}`);
  if (hid.length === 0) writeLine(io.stdout, '  (none)');
  for (const note of [serial.note, hidNote]) if (note) writeLine(io.stderr, `note: ${note}`);
  return 0;
}

function help(io: CliIo): number {
  writeLine(io.stdout, USAGE);
  return 0;
}

// ---------------------------------------------------------------------------------------- test

async function testCommand(argv: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = argv;
  switch (kind) {
    case 'idcard':
      return testIdCard(rest, io);
    case 'printer':
      return testPrinter(rest, io);
    case 'fingerprint':
      return testFingerprint(rest, io);
    default:
      throw new UsageError(`devices test needs idcard, printer or fingerprint\n${USAGE}`);
  }
}

async function testIdCard(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, baud: { type: 'string' }, timeout: { type: 'string' } });
  if (values.help) return help(io);
  const port = requirePort(values.port, 'devices test idcard');
  const baud = intOption(values.baud, 'baud', 115200, 1200, 921600);
  const timeout = intOption(values.timeout, 'timeout', 60, 1, 3600);
  const transport = await open(port, baud, 'card reader');
  const reader = new IdCardReader(transport);
  try {
    await reader.samStatus().catch((err) => failure(err, 'card reader'));
    writeLine(io.stderr, `card reader ready on ${transport.description}; place an ID card on it (waiting up to ${timeout} s)…`);
    const card = await reader.waitForCard({ signal: timeoutSignal(timeout) }).catch((err) => {
      if (err instanceof DeviceError && err.code === 'aborted') throw new CommandError(`card reader: no card within ${timeout} s`);
      return failure(err, 'card reader');
    });
    const t = card.text;
    const out = {
      name: maskName(t.name), idNumber: maskIdNumber(t.idNumber), gender: t.gender, ethnicity: t.ethnicity ?? t.ethnicityCode,
      birthDate: t.birthDate, validFrom: t.validFrom, validTo: t.validTo, checkDigitOk: t.checkDigitOk,
    };
    if (values.json) writeLine(io.stdout, JSON.stringify(out));
    else {
      writeLine(io.stdout, `name        ${out.name}`);
      writeLine(io.stdout, `ID number   ${out.idNumber}  (check digit ${out.checkDigitOk ? 'OK' : 'WRONG'})`);
      writeLine(io.stdout, `gender      ${out.gender}`);
      writeLine(io.stdout, `ethnicity   ${out.ethnicity}`);
      writeLine(io.stdout, `birth date  ${out.birthDate}`);
      writeLine(io.stdout, `valid       ${out.validFrom} – ${out.validTo}`);
    }
    return out.checkDigitOk ? 0 : 1;
  } finally {
    await reader.close();
  }
}

async function testPrinter(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, baud: { type: 'string' }, width: { type: 'string' } });
  if (values.help) return help(io);
  const port = requirePort(values.port, 'devices test printer');
  try {
    parseTransportAddress(port);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const baud = intOption(values.baud, 'baud', 9600, 1200, 921600);
  const width = intOption(values.width, 'width', 32, 16, 64);
  const ops = await renderReceiptTemplate('test-page', {
    branchName: 'Lobby Kiosk', printedAt: new Date().toISOString().slice(0, 16).replace('T', ' '), qrData: 'https://lobby-kiosk.invalid/printer-test', testId: String(Date.now() % 100000),
  }, { width });
  const transport = await open(port, baud, 'printer');
  const printer = new ReceiptPrinter(transport);
  try {
    const before = await printer.status().catch((err) => failure(err, 'printer'));
    const problem = before && blockingProblem(before);
    if (problem) failure(new PrinterError(problem.code, problem.message, before), 'printer');
    const result = await printer.print(ops).catch((err) => failure(err, 'printer'));
    if (values.json) writeLine(io.stdout, JSON.stringify({ printed: true, bytes: result.bytes, status: result.status ?? null, warnings: result.warnings }));
    else {
      writeLine(io.stdout, `printed the test page (${result.bytes} bytes) on ${transport.description}`);
      if (!result.status) writeLine(io.stdout, 'status: unknown (write-only device file)');
      for (const w of result.warnings) writeLine(io.stdout, `warning: ${w === 'paper-near-end' ? 'paper is nearly out' : w}`);
    }
    return 0;
  } finally {
    await printer.close();
  }
}

async function testFingerprint(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, baud: { type: 'string' }, password: { type: 'string' }, timeout: { type: 'string' } });
  if (values.help) return help(io);
  const port = requirePort(values.port, 'devices test fingerprint');
  const baud = intOption(values.baud, 'baud', 57600, 9600, 115200);
  const password = values.password === undefined ? 0 : intOption(values.password, 'password', 0, 0, 0xffffffff);
  const timeout = intOption(values.timeout, 'timeout', 60, 1, 3600);
  const transport = await open(port, baud, 'fingerprint sensor');
  const sensor = new FingerprintSensor(transport, { password });
  const signal = timeoutSignal(timeout);
  const step = async <T>(p: Promise<T>): Promise<T> =>
    p.catch((err) => {
      if (err instanceof DeviceError && err.code === 'aborted') throw new CommandError(`fingerprint sensor: no finger within ${timeout} s`);
      return failure(err, 'fingerprint sensor');
    });
  try {
    const params = await step(sensor.handshake(signal));
    const templates = await step(sensor.templateCount(signal));
    writeLine(io.stderr, `sensor ready (capacity ${params.capacity}, ${templates} stored); place a finger…`);
    await step(sensor.waitForFinger({ signal }));
    await step(sensor.extract(1, signal));
    writeLine(io.stderr, 'image OK; lift the finger and place the same finger again…');
    await step(sensor.waitForLift({ signal }));
    await step(sensor.waitForFinger({ signal }));
    await step(sensor.extract(2, signal));
    const score = await step(sensor.match(signal));
    const matched = score >= sensor.matchThreshold;
    const out = { capacity: params.capacity, storedTemplates: templates, packetSize: params.packetSize, securityLevel: params.securityLevel, quality: 'ok', score, matched };
    if (values.json) writeLine(io.stdout, JSON.stringify(out));
    else writeLine(io.stdout, `captures OK; match score ${score} (${matched ? 'same finger' : 'no match'}, threshold ${sensor.matchThreshold})`);
    return 0;
  } finally {
    await sensor.close();
  }
}

// ------------------------------------------------------------------------------------ simulate

async function simulateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    port: { type: 'string' }, pty: { type: 'boolean', default: false }, control: { type: 'string' }, card: { type: 'string' },
    transcript: { type: 'string' }, baud: { type: 'string' }, pace: { type: 'boolean', default: false },
  });
  if (values.help) return help(io);
  const [kind, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (kind !== 'idcard' && kind !== 'fingerprint' && kind !== 'printer') throw new UsageError(`devices simulate needs idcard, fingerprint or printer\n${USAGE}`);
  if (!values.port === !values.pty) throw new UsageError('devices simulate needs exactly one of --port or --pty');
  if (values.card && kind !== 'idcard') throw new UsageError('--card is for the idcard simulator');
  if (values.transcript && kind !== 'printer') throw new UsageError('--transcript is for the printer simulator');
  if (values.card && !CARD_PROFILES.some((p) => p.id === values.card)) {
    throw new UsageError(`unknown card profile '${values.card}' (known: ${CARD_PROFILES.map((p) => p.id).join(', ')})`);
  }
  const defaultBaud = kind === 'idcard' ? 115200 : kind === 'fingerprint' ? 57600 : 9600;
  const baudRate = intOption(values.baud, 'baud', defaultBaud, 1200, 921600);
  const controlPort = values.control === undefined ? undefined : intOption(values.control, 'control', 0, 0, 65535);

  const engine: SimulatorEngine = kind === 'idcard' ? new IdCardSimulator(values.card) : kind === 'fingerprint' ? new FingerprintSimulator() : new PrinterSimulator();
  engine.on('activity', (line: string) => writeLine(io.stderr, `sim: ${line}`));
  let transcriptFile: WriteStream | undefined;
  if (engine instanceof PrinterSimulator) {
    if (values.transcript) transcriptFile = createWriteStream(values.transcript, { flags: 'a' });
    const out = transcriptFile ?? io.stdout;
    engine.on('job', (job: PrintedJob) => {
      out.write(`----- job ${job.index}${job.lostOps ? ` (${job.lostOps} elements NOT printed)` : ''}${job.cut ? '' : ' (no cut)'} -----\n${job.transcript}\n`);
    });
  }

  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async (): Promise<void> => {
    while (closers.length) await closers.pop()!().catch(() => undefined);
  };
  let address: string;
  try {
    let pair: PtyPair | undefined;
    let path = values.port;
    if (values.pty) {
      pair = await createPtyPair();
      closers.push(() => pair!.close());
      path = pair.b;
    }
    const tcpPort = path !== undefined && /^(tcp:\/\/[^:]+:)?\d{1,5}$/u.test(path) ? Number(path.replace(/^tcp:\/\/[^:]+:/u, '')) : undefined;
    if (tcpPort !== undefined) {
      if (tcpPort > 65535) throw new UsageError('--port must be a TCP port 0..65535 or a tty path');
      const host = await TcpHost.start(engine, tcpPort);
      closers.push(() => host.close());
      address = host.description;
    } else {
      const host = await SerialHost.start(engine, { path: path!, baudRate, pace: values.pace, persistent: true });
      closers.push(() => host.close());
      address = pair ? pair.a : `the other end of ${path}`;
    }
    let control: Awaited<ReturnType<typeof serveControl>> | undefined;
    let quit!: () => void;
    const done = new Promise<void>((resolve) => (quit = resolve));
    if (controlPort !== undefined) {
      control = await serveControl(engine, controlPort, () => quit());
      closers.push(() => control!.close());
    }
    const detach = attachControl(engine, io.stdin, io.stderr, () => quit());
    closers.push(async () => detach());
    const onSignal = (): void => quit();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    closers.push(async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    writeLine(
      io.stderr,
      `${kind} simulator ready: connect the kiosk to ${address}${control ? `; control port 127.0.0.1:${control.port}` : ''}; type 'help' for control commands, 'quit' to stop`,
    );
    if (values.json) writeLine(io.stdout, JSON.stringify({ kind, connect: address, controlPort: control?.port ?? null }));
    await done;
  } catch (err) {
    await closeAll();
    if (err instanceof UsageError || err instanceof CommandError) throw err;
    return failure(err, `${kind} simulator`);
  }
  await closeAll();
  await new Promise<void>((resolve) => (transcriptFile ? transcriptFile.end(resolve) : resolve()));
  return 0;
}
