// Receipt printer driver (ESC/POS). Status (DLE EOT 1..4) is checked before a job — a printer that
// cannot print gets nothing — and after it, so paper running out mid-job is reported too.
import { decodeStatusByte, isStatusByte, statusRequest, HEALTHY_STATUS, encodeOps, type EscPosOp, type PrinterStatus, type StatusQuery } from '../codecs/escpos/index.ts';
import { DeviceError, TimeoutError, TransportError } from '../errors.ts';
import { silentLogger, type DeviceLogger } from '../log.ts';
import type { Transport } from '../transports/transport.ts';

export class PrinterError extends DeviceError {
  override name = 'PrinterError';
  constructor(code: string, message: string, readonly status?: PrinterStatus) {
    super(code, message, 'printer');
  }
}

/** The problem that stops printing, if any, most specific first. */
export function blockingProblem(s: PrinterStatus): { code: string; message: string } | undefined {
  if (s.coverOpen) return { code: 'cover-open', message: 'the printer cover is open' };
  if (s.paperOut || s.paperEndStop) return { code: 'paper-out', message: 'the printer is out of paper' };
  if (s.cutterError) return { code: 'cutter-error', message: 'the printer cutter is jammed' };
  if (s.unrecoverableError) return { code: 'unrecoverable-error', message: 'the printer has an unrecoverable error; power-cycle it' };
  if (s.offline || s.errorOccurred || s.autoRecoverableError) return { code: 'offline', message: 'the printer is offline' };
  return undefined;
}

export function statusWarnings(s: PrinterStatus): string[] {
  return s.paperNearEnd && !s.paperOut ? ['paper-near-end'] : [];
}

export interface PrintResult {
  bytes: number;
  /** Status after the job (undefined on write-only transports). */
  status: PrinterStatus | undefined;
  warnings: string[];
}

export interface ReceiptPrinterOptions {
  timeoutMs?: number;
  logger?: DeviceLogger;
}

export class ReceiptPrinter {
  private readonly timeoutMs: number;
  private readonly logger: DeviceLogger;
  private inbox: number[] = [];
  private waiter: ((b: number | Error) => void) | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(readonly transport: Transport, options: ReceiptPrinterOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.logger = options.logger ?? silentLogger;
    transport.on('data', (d) => {
      for (const b of d) {
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = undefined;
          w(b);
        } else if (this.inbox.length < 64) this.inbox.push(b);
      }
    });
    transport.on('close', (err) => {
      this.waiter?.(err ?? new TransportError('closed', 'the printer connection was closed', 'printer'));
      this.waiter = undefined;
    });
  }

  get canReadStatus(): boolean {
    return this.transport.readable;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private nextByte(): Promise<number> {
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (!this.transport.isOpen) return Promise.reject(new TransportError('disconnected', 'the printer is disconnected', 'printer'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new TimeoutError(`the printer did not answer a status request within ${this.timeoutMs} ms`, 'printer'));
      }, this.timeoutMs);
      this.waiter = (b) => {
        clearTimeout(timer);
        if (b instanceof Error) reject(b);
        else resolve(b);
      };
    });
  }

  private async queryOne(n: StatusQuery): Promise<Partial<PrinterStatus>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      this.inbox = [];
      await this.transport.write(statusRequest(n));
      const b = await this.nextByte();
      if (isStatusByte(b)) return decodeStatusByte(n, b);
      this.logger.warn({ device: 'printer', n, attempt }, 'status reply is not a status byte; asking again');
    }
    throw new PrinterError('bad-status-reply', 'the printer answers status requests with unexpected bytes');
  }

  private async readStatus(): Promise<PrinterStatus> {
    const s: PrinterStatus = { ...HEALTHY_STATUS };
    for (const n of [1, 2, 3, 4] as const) Object.assign(s, await this.queryOne(n));
    return s;
  }

  /** Real-time status; undefined when the transport cannot be read (device file). */
  status(): Promise<PrinterStatus | undefined> {
    if (!this.transport.readable) return Promise.resolve(undefined);
    return this.exclusive(() => this.readStatus());
  }

  /**
   * Prints a job (bytes or ops). With a readable transport: refuses with a PrinterError if the
   * printer cannot print (nothing is sent), and fails with 'paper-out-during-job' if the paper ran
   * out while printing.
   */
  print(job: Uint8Array | readonly EscPosOp[]): Promise<PrintResult> {
    const bytes = job instanceof Uint8Array ? job : encodeOps(job);
    return this.exclusive(async () => {
      if (this.transport.readable) {
        const before = await this.readStatus();
        const problem = blockingProblem(before);
        if (problem) {
          this.logger.warn({ device: 'printer', code: problem.code }, 'job refused');
          throw new PrinterError(problem.code, problem.message, before);
        }
      }
      await this.transport.write(bytes);
      if (!this.transport.readable) return { bytes: bytes.length, status: undefined, warnings: [] };
      const after = await this.readStatus();
      const problem = blockingProblem(after);
      if (problem) {
        const code = problem.code === 'paper-out' ? 'paper-out-during-job' : problem.code;
        this.logger.warn({ device: 'printer', code }, 'job may be incomplete');
        throw new PrinterError(code, `${problem.message}; the receipt may be incomplete`, after);
      }
      const warnings = statusWarnings(after);
      this.logger.info({ device: 'printer', bytes: bytes.length, warnings }, 'job printed');
      return { bytes: bytes.length, status: after, warnings };
    });
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
