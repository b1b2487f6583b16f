// An incremental, resynchronising frame scanner shared by the SAM and fingerprint codecs.
// Bytes in (any chunking), events out: whole checked frames, and "skipped" reports for bytes that
// could not be part of a frame (garbage before a preamble, impossible length, bad checksum).
// After a bad frame the scanner drops ONE byte and searches again, so a real frame that starts
// inside the bad one is still found. Pure: no I/O, no timers — callers that wait for bytes own the
// deadline and call reset() when it passes (a corrupt length could otherwise hold a partial frame).

export interface FrameSpec {
  readonly preamble: readonly number[];
  /** Bytes needed (from the preamble on) before the frame length is known. */
  readonly headerBytes: number;
  /** Total frame length from the header, or a reason it is impossible. */
  frameLength(buf: Buffer, at: number): number | 'bad-length';
  /** Whether the complete frame buf[at, at+length) passes its checksum (and any other check). */
  verify(buf: Buffer, at: number, length: number): true | 'bad-checksum' | 'bad-header';
}

export type SkipReason = 'no-preamble' | 'bad-length' | 'bad-checksum' | 'bad-header';
export type ScanEvent = { type: 'frame'; frame: Buffer } | { type: 'skipped'; reason: SkipReason; bytes: number };

export class FrameScanner {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly spec: FrameSpec) {}

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): number {
    const dropped = this.buf.length;
    this.buf = Buffer.alloc(0);
    return dropped;
  }

  push(chunk: Uint8Array): ScanEvent[] {
    const events: ScanEvent[] = [];
    let buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    let garbage = 0;
    const flushGarbage = (reason: SkipReason = 'no-preamble'): void => {
      if (garbage > 0) events.push({ type: 'skipped', reason, bytes: garbage });
      garbage = 0;
    };
    const { preamble, headerBytes } = this.spec;
    for (;;) {
      const start = findPreamble(buf, pos, preamble);
      if (start < 0) {
        // Keep the longest tail that could still become a preamble.
        const keep = partialPreambleTail(buf, pos, preamble);
        garbage += buf.length - pos - keep;
        pos = buf.length - keep;
        break;
      }
      garbage += start - pos;
      pos = start;
      if (buf.length - pos < headerBytes) break;
      const length = this.spec.frameLength(buf, pos);
      if (length === 'bad-length') {
        flushGarbage();
        events.push({ type: 'skipped', reason: 'bad-length', bytes: 1 });
        pos += 1;
        continue;
      }
      if (buf.length - pos < length) break;
      const verdict = this.spec.verify(buf, pos, length);
      if (verdict !== true) {
        flushGarbage();
        events.push({ type: 'skipped', reason: verdict, bytes: 1 });
        pos += 1;
        continue;
      }
      flushGarbage();
      events.push({ type: 'frame', frame: Buffer.from(buf.subarray(pos, pos + length)) });
      pos += length;
    }
    flushGarbage();
    buf = buf.subarray(pos);
    this.buf = Buffer.from(buf);
    return mergeSkips(events);
  }
}

function findPreamble(buf: Buffer, from: number, preamble: readonly number[]): number {
  const first = preamble[0]!;
  for (let i = buf.indexOf(first, from); i >= 0 && i <= buf.length - preamble.length; i = buf.indexOf(first, i + 1)) {
    let ok = true;
    for (let j = 1; j < preamble.length; j++) {
      if (buf[i + j] !== preamble[j]) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
  }
  return -1;
}

function partialPreambleTail(buf: Buffer, from: number, preamble: readonly number[]): number {
  const max = Math.min(preamble.length - 1, buf.length - from);
  for (let keep = max; keep > 0; keep--) {
    let ok = true;
    for (let j = 0; j < keep; j++) {
      if (buf[buf.length - keep + j] !== preamble[j]) {
        ok = false;
        break;
      }
    }
    if (ok) return keep;
  }
  return 0;
}

/** Consecutive skips of the same reason become one event (a burst of noise is one report). */
function mergeSkips(events: ScanEvent[]): ScanEvent[] {
  const out: ScanEvent[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e.type === 'skipped' && last?.type === 'skipped' && last.reason === e.reason) last.bytes += e.bytes;
    else out.push(e);
  }
  return out;
}
