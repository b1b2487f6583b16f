// What every hub command gets, and the two kinds of failure the CLI knows. Exit codes: 0 ok,
// 1 failure, 2 usage; one clear line on stderr for either failure. Secrets (tokens) are printed
// once and never logged.
import type { HubDb } from '../db/open.ts';
import type { HubOptions } from './args.ts';
import { USAGE } from './usage.ts';

export interface HubIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** For commands that read secrets or data from stdin. */
  stdin?: NodeJS.ReadableStream;
}

/** Wrong arguments: exit 2. */
export class UsageError extends Error {}
/** The command ran and failed for a reason the user can act on: exit 1. */
export class CommandError extends Error {}

/** One command line, parsed: `p` the positionals (p[0] the group), `o` the options. */
export interface HubCommandContext {
  p: string[];
  o: HubOptions;
  io: HubIo;
  /** --db, else $HUB_DB, else the default file. */
  dbSpec: string;
  /** Opens the database once; the dispatcher closes it after the command. */
  open(): Promise<HubDb>;
}

export type HubCommand = (ctx: HubCommandContext) => Promise<number>;

export const line = (s: NodeJS.WritableStream, text: string) => s.write(text + '\n');

export function unknownCommand(p: string[]): UsageError {
  return new UsageError(`unknown command '${p.join(' ').slice(0, 60)}'\n${USAGE}`);
}

/** A whole-number option within [min, max], or `fallback` when absent. */
export function intOption(v: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Rows as aligned columns (the first row is the header). */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
