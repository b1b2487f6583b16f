// One `Range: bytes=…` header against a size (blobs, update artifacts): a single range
// (first-last, first-, -suffix) is served as 206; anything else, several ranges included, is 416.
export type ByteRange = { start: number; end: number };

/** null: no range (send everything); 'unsatisfiable': 416. */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return 'unsatisfiable';
  let start = m[1] ? Number(m[1]) : NaN;
  let end = m[2] ? Number(m[2]) : size - 1;
  if (!m[1] && m[2]) {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  }
  if (!Number.isFinite(start) || start > end || start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/** The 416 body. */
export const rangeError = (header: string | undefined, size: number) => ({
  error: { code: 'range_not_satisfiable', message: `range ${String(header).slice(0, 50)} is outside 0-${size - 1}` },
});
