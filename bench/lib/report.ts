// Small helpers for bench output: aligned text tables and number formatting.
import { cpus } from 'node:os';

export type Cell = string | number | null | undefined;

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly Cell[][]): string {
  const text = rows.map((r) => headers.map((_, i) => cellText(r[i])));
  const widths = headers.map((h, i) => Math.max(width(h), ...text.map((r) => width(r[i]!))));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? padEnd(c, widths[i]!) : padStart(c, widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

function cellText(c: Cell): string {
  if (c === null || c === undefined) return '—';
  return typeof c === 'number' ? String(c) : c;
}

/** Display width: CJK and other wide characters take two columns. */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;

/** Fixed decimals, as a number (for JSON) — `round(1.23456, 2)` → 1.23. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function cpuModel(): string {
  const list = cpus();
  return `${list[0]?.model?.trim() ?? 'unknown CPU'} (${list.length} cores)`;
}

/** Milliseconds since `t0` (performance.now()) in seconds. */
export const secondsSince = (t0: number) => (performance.now() - t0) / 1000;
