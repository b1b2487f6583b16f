// Argument parsing shared by the CLI's command groups: node:util parseArgs in strict mode, with
// every parse problem turned into a UsageError (exit 2) that carries the group's usage text.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A parser for one command group: its shared options plus each command's own. */
export function argParser<C extends Options>(usage: string, common: C) {
  return function parse<O extends Options>(argv: string[], options: O) {
    try {
      return parseArgs({ args: argv, options: { ...common, ...options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${usage}`);
    }
  };
}

/** A whole-number option within [min, max], or `fallback` when absent. */
export function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}
