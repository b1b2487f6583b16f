// SAM (GA/T 467) serial framing, both directions (see PROTOCOLS.md §1):
//   AA AA AA 96 69 · Len(2, BE) · body · CHK      Len = body length + 1 (CHK); frame = 7 + Len bytes
//   CHK = XOR of Len1..last body byte (preamble excluded)
// Host→reader body = CMD · Para · data; reader→host body = SW1 · SW2 · SW3 · data.
import { DecodeError } from '../../errors.ts';

export const SAM_PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
export const SAM_HEADER_BYTES = 7;
/** Smallest legal Len: CMD Para CHK. */
export const SAM_MIN_LEN = 3;
/** Largest Len we accept: the text+photo+fingerprint reply is 0x090A; anything far above is garbage. */
export const SAM_MAX_LEN = 0x0c00;

export const SamCommand = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readText: [0x30, 0x01],
  readTextWithFingerprint: [0x30, 0x10],
} as const satisfies Record<string, readonly [number, number]>;

export function samChecksum(bytes: Uint8Array, from: number, to: number): number {
  let chk = 0;
  for (let i = from; i < to; i++) chk ^= bytes[i]!;
  return chk;
}

/** Wraps a body into a complete frame (preamble, length, checksum). */
export function encodeSamFrame(body: Uint8Array): Buffer {
  const len = body.length + 1;
  if (len < SAM_MIN_LEN || len > SAM_MAX_LEN) throw new RangeError(`SAM body of ${body.length} bytes is out of range`);
  const frame = Buffer.alloc(SAM_HEADER_BYTES + len);
  frame.set(SAM_PREAMBLE, 0);
  frame.writeUInt16BE(len, 5);
  frame.set(body, SAM_HEADER_BYTES);
  frame[frame.length - 1] = samChecksum(frame, 5, frame.length - 1);
  return frame;
}

export function encodeSamCommand(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  const body = Buffer.alloc(2 + data.length);
  body[0] = cmd & 0xff;
  body[1] = para & 0xff;
  body.set(data, 2);
  return encodeSamFrame(body);
}

export function encodeSamReply(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0x00, sw2 = 0x00): Buffer {
  const body = Buffer.alloc(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return encodeSamFrame(body);
}

export interface SamCommandFrame {
  cmd: number;
  para: number;
  data: Buffer;
}

export interface SamReplyFrame {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Buffer;
}

/** Checks a whole frame and returns its body (without CHK). Throws DecodeError. */
export function checkSamFrame(frame: Uint8Array): Buffer {
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length < SAM_HEADER_BYTES + SAM_MIN_LEN) throw new DecodeError('sam-short', `SAM frame of ${buf.length} bytes is too short`, 'idcard');
  for (let i = 0; i < SAM_PREAMBLE.length; i++) {
    if (buf[i] !== SAM_PREAMBLE[i]) throw new DecodeError('sam-preamble', 'SAM frame does not start with AA AA AA 96 69', 'idcard');
  }
  const len = buf.readUInt16BE(5);
  if (len < SAM_MIN_LEN || len > SAM_MAX_LEN || buf.length !== SAM_HEADER_BYTES + len) {
    throw new DecodeError('sam-length', `SAM frame length field ${len} does not match ${buf.length} bytes`, 'idcard');
  }
  const chk = samChecksum(buf, 5, buf.length - 1);
  if (chk !== buf[buf.length - 1]) throw new DecodeError('sam-checksum', 'SAM frame checksum mismatch', 'idcard');
  return buf.subarray(SAM_HEADER_BYTES, buf.length - 1);
}

export function decodeSamCommand(frame: Uint8Array): SamCommandFrame {
  const body = checkSamFrame(frame);
  return { cmd: body[0]!, para: body[1]!, data: Buffer.from(body.subarray(2)) };
}

export function decodeSamReply(frame: Uint8Array): SamReplyFrame {
  const body = checkSamFrame(frame);
  if (body.length < 3) throw new DecodeError('sam-length', 'SAM reply is shorter than SW1 SW2 SW3', 'idcard');
  return { sw1: body[0]!, sw2: body[1]!, sw3: body[2]!, data: Buffer.from(body.subarray(3)) };
}
