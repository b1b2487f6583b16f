// Structured logs (pino) to size-rotated files, plus the last lines in memory for the staff panel.
// No personal data: the code logs codes, ids of articles and counts — never arguments of customer
// calls — and the redaction list below is the safety net for a field that slips through.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names that may hold personal data anywhere in a log object. */
export const REDACTED_FIELDS = ['pin', 'name', 'idNumber', 'phone', 'code', 'text', 'query', 'prefix', 'comment', 'contact', 'args', 'address', 'customer'];
const redactPaths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

export interface LogLine {
  time: string;
  level: string;
  msg: string;
}

export interface LoggerOptions {
  /** Folder for kiosk.log (rotated to kiosk.log.1 … .N); none: memory only. */
  dir?: string;
  level?: string;
  maxBytes?: number;
  maxFiles?: number;
  /** How many lines the staff panel can see. */
  ringSize?: number;
  /** Also write every line here (stderr while developing). */
  echo?: NodeJS.WritableStream;
}

/** An append-only file that rotates by size. Synchronous: a crash loses no line already logged. */
export class RotatingFile {
  private fd: number;
  private size: number;
  readonly path: string;

  constructor(
    readonly dir: string,
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly maxFiles = 5,
    name = 'kiosk.log',
  ) {
    if (maxBytes < 1024) throw new Error('maxBytes must be at least 1024');
    if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new Error('maxFiles must be a whole number ≥ 1');
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    this.path = join(dir, name);
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = existsSync(this.path) ? statSync(this.path).size : 0;
  }

  write(chunk: string): boolean {
    const bytes = Buffer.byteLength(chunk);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    writeSync(this.fd, chunk);
    this.size += bytes;
    return true;
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.path}.${this.maxFiles}`, { force: true });
    for (let i = this.maxFiles - 1; i >= 1; i--) {
      if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class LogRing {
  private readonly lines: LogLine[] = [];
  constructor(private readonly size = 500) {}

  push(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  recent(limit = 100): LogLine[] {
    return this.lines.slice(-limit);
  }
}

export interface KioskLogger {
  logger: Logger;
  ring: LogRing;
  file: RotatingFile | undefined;
  close(): void;
}

export function createLogger(options: LoggerOptions = {}): KioskLogger {
  const ring = new LogRing(options.ringSize);
  const file = options.dir ? new RotatingFile(options.dir, options.maxBytes, options.maxFiles) : undefined;
  const sink = {
    write(chunk: string): boolean {
      file?.write(chunk);
      options.echo?.write(chunk);
      try {
        const o = JSON.parse(chunk) as { time?: string; level?: string; msg?: string };
        ring.push({ time: String(o.time ?? ''), level: String(o.level ?? ''), msg: String(o.msg ?? '') });
      } catch {
        // not JSON: nothing for the ring
      }
      return true;
    },
  };
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    sink,
  );
  return { logger, ring, file, close: () => file?.close() };
}

/** A logger that writes nowhere (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
