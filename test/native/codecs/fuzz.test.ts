// Property tests: every decoder takes arbitrary bytes without crashing, never invents a frame,
// accounts for every byte, and recovers valid frames hidden in noise, however the stream is cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameScanner } from '../../../native/codecs/frame-scanner.ts';
import {
  checkSamFrame, createSamScanner, decodeIdText, decodeReadData, decodeSamReply, encodeIdText, encodeSamFrame,
} from '../../../native/codecs/idcard/index.ts';
import { createFingerprintScanner, decodePacket, encodePacket, Pid } from '../../../native/codecs/fingerprint/index.ts';
import { EscPosBuilder, EscPosDecoder, decodeEscPos, decodeStatusByte, type EscPosOp } from '../../../native/codecs/escpos/index.ts';
import { DecodeError } from '../../../native/errors.ts';
import { FUZZ_RUNS } from '../helpers.ts';

const runs = { numRuns: FUZZ_RUNS };
const bytes = (max = 200): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });

/** Cuts a buffer at the given (sorted, deduplicated) offsets. */
function cutAt(buf: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(buf.subarray(prev, p));
    prev = p;
  }
  parts.push(buf.subarray(prev));
  return parts;
}

function scanAll(scanner: FrameScanner, parts: Buffer[]): { frames: Buffer[]; skipped: number } {
  const frames: Buffer[] = [];
  let skipped = 0;
  for (const p of parts) {
    for (const e of scanner.push(p)) {
      if (e.type === 'frame') frames.push(e.frame);
      else skipped += e.bytes;
    }
  }
  return { frames, skipped };
}

const onlyDecodeErrors = (fn: () => unknown): void => {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
};

describe.each([
  {
    name: 'SAM scanner',
    make: createSamScanner,
    frame: fc.uint8Array({ minLength: 2, maxLength: 300 }).map((body) => encodeSamFrame(body)),
    valid: (f: Buffer) => checkSamFrame(f),
    // Noise without the preamble's first byte cannot hide or fake a frame start.
    noise: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b.filter((x) => x !== 0xaa))),
  },
  {
    name: 'fingerprint scanner',
    make: createFingerprintScanner,
    frame: fc.tuple(fc.constantFrom(Pid.command, Pid.data, Pid.ack, Pid.end), fc.uint8Array({ maxLength: 256 }), fc.integer({ min: 0, max: 0xffffffff })).map(([pid, payload, addr]) => encodePacket(pid, payload, addr)),
    valid: (f: Buffer) => decodePacket(f),
    noise: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b.filter((x) => x !== 0xef))),
  },
])('$name (fuzz)', ({ make, frame, valid, noise }) => {
  it('accounts for every byte of random input and only ever yields checked frames', () => {
    fc.assert(
      fc.property(bytes(400), fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const s = make();
        const { frames, skipped } = scanAll(s, cutAt(Buffer.from(input), cuts));
        for (const f of frames) valid(f);
        expect(frames.reduce((n, f) => n + f.length, 0) + skipped + s.pending).toBe(input.length);
      }),
      runs,
    );
  });

  it('recovers every valid frame interleaved with noise, in order, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, frame), { minLength: 1, maxLength: 5 }), noise, fc.array(fc.nat(), { maxLength: 8 }), (pieces, tail, cuts) => {
        const stream = Buffer.concat([...pieces.flatMap(([n, f]) => [n, f]), tail]);
        const s = make();
        const { frames } = scanAll(s, cutAt(stream, cuts));
        expect(frames).toEqual(pieces.map(([, f]) => f));
      }),
      runs,
    );
  });

  it('a frame with one corrupted byte is never accepted as that frame', () => {
    fc.assert(
      fc.property(frame, fc.nat(), fc.integer({ min: 1, max: 255 }), (f, at, flip) => {
        const bad = Buffer.from(f);
        const i = at % bad.length;
        bad[i] = bad[i]! ^ flip;
        const { frames } = scanAll(make(), [bad]);
        for (const got of frames) expect(got.equals(f)).toBe(false);
      }),
      runs,
    );
  });
});

describe('one-shot decoders (fuzz)', () => {
  it('SAM reply, fingerprint packet, read data, text block: DecodeError or a value, nothing else', () => {
    fc.assert(
      fc.property(bytes(300), (input) => {
        onlyDecodeErrors(() => decodeSamReply(input));
        onlyDecodeErrors(() => decodePacket(input));
        onlyDecodeErrors(() => decodeReadData(input));
        onlyDecodeErrors(() => decodeIdText(input));
      }),
      runs,
    );
  });

  it('any 256-byte text block decodes to strings and a boolean check', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (block) => {
        const t = decodeIdText(block);
        expect(typeof t.name).toBe('string');
        expect(typeof t.checkDigitOk).toBe('boolean');
        if (t.checkDigitOk) expect(t.idNumber).toMatch(/^\d{17}[\dX]$/u);
      }),
      runs,
    );
  });

  it('text block encode → decode is the identity for fitting fields', () => {
    const field = (max: number) => fc.string({ unit: fc.constantFrom(...'张王李赵明月华国小三0123456789X汉长期'.split('')), maxLength: max });
    fc.assert(
      fc.property(fc.record({
        name: field(15), genderCode: fc.constantFrom('0', '1', '2', '9'), ethnicityCode: fc.constantFrom('01', '08', '56', '97'), birthDate: field(8),
        address: field(35), idNumber: field(18), authority: field(15), validFrom: field(8), validTo: field(8),
      }), (input) => {
        const t = decodeIdText(encodeIdText(input));
        expect({ ...t, gender: undefined, ethnicity: undefined, checkDigitOk: undefined }).toEqual({ ...input, gender: undefined, ethnicity: undefined, checkDigitOk: undefined });
      }),
      runs,
    );
  });

  it('DLE EOT status: every byte for every n decodes or throws DecodeError', () => {
    for (const n of [1, 2, 3, 4] as const) for (let b = 0; b < 256; b++) onlyDecodeErrors(() => decodeStatusByte(n, b));
  });
});

describe('ESC/POS decoder (fuzz)', () => {
  it('never throws on arbitrary bytes, and chunking does not change the result', () => {
    fc.assert(
      fc.property(bytes(300), fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const whole = decodeEscPos(input);
        const d = new EscPosDecoder();
        const parts = cutAt(Buffer.from(input), cuts);
        expect([...parts.flatMap((p) => d.push(p)), ...d.end()]).toEqual(whole);
      }),
      runs,
    );
  });

  const opArb: fc.Arbitrary<EscPosOp> = fc.oneof(
    fc.constant<EscPosOp>({ op: 'init' }),
    fc.constantFrom<EscPosOp>({ op: 'align', align: 'left' }, { op: 'align', align: 'center' }, { op: 'align', align: 'right' }),
    fc.boolean().map<EscPosOp>((on) => ({ op: 'bold', on })),
    fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 })).map<EscPosOp>(([width, height]) => ({ op: 'size', width, height })),
    fc.string({ unit: fc.constantFrom(...'ab Z9退款申请，。𠀀é'.split(/(?:)/u)), minLength: 1, maxLength: 20 }).map<EscPosOp>((text) => ({ op: 'text', text })),
    fc.constant<EscPosOp>({ op: 'newline' }),
    fc.integer({ min: 0, max: 255 }).map<EscPosOp>((lines) => ({ op: 'feed', lines })),
    fc.boolean().map<EscPosOp>((partial) => ({ op: 'cut', partial })),
    fc.tuple(fc.string({ minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 16 }), fc.constantFrom('L', 'M', 'Q', 'H' as const)).map<EscPosOp>(([data, size, ecc]) => ({ op: 'qr', data, size, ecc })),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 60 }).map<EscPosOp>((data) => ({ op: 'code128', data })),
    fc.constantFrom<EscPosOp>({ op: 'status', n: 1 }, { op: 'status', n: 4 }),
  );

  /** What the decoder reports for a builder's ops: auto FS & added, adjacent texts merged, after init Chinese resets. */
  function expected(ops: EscPosOp[]): EscPosOp[] {
    const out: EscPosOp[] = [];
    let chinese = false;
    for (const op of ops) {
      if (op.op === 'init') chinese = false;
      if (op.op === 'text') {
        if (!chinese && /[\u0080-\u{10ffff}]/u.test(op.text)) {
          out.push({ op: 'chinese', on: true });
          chinese = true;
        }
        const last = out[out.length - 1];
        if (last?.op === 'text') last.text += op.text;
        else out.push({ ...op });
        continue;
      }
      out.push(op);
    }
    return out;
  }

  it('builder → bytes → decoder round-trips any operation list', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), (ops) => {
        const b = new EscPosBuilder();
        for (const op of ops) b.op(op);
        expect(decodeEscPos(b.encode())).toEqual(expected(ops));
      }),
      runs,
    );
  });
});
