// R30x / AS608 / ZFM-20 packets (PROTOCOLS.md §2):
//   EF 01 · address(4) · PID · LEN(2) · payload · SUM(2)
//   LEN = payload + 2; SUM = (PID + LEN_H + LEN_L + Σpayload) & 0xFFFF
import { DecodeError } from '../../errors.ts';
import { FrameScanner, type FrameSpec } from '../frame-scanner.ts';
import { FrameParser } from '../frame-transform.ts';

export const FP_START: readonly number[] = [0xef, 0x01];
export const FP_HEADER_BYTES = 9;
export const FP_DEFAULT_ADDRESS = 0xffffffff;
/** Largest payload: 256-byte data packets; commands and acks are far smaller. */
export const FP_MAX_PAYLOAD = 256;

export const Pid = { command: 0x01, data: 0x02, ack: 0x07, end: 0x08 } as const;
export type PidValue = (typeof Pid)[keyof typeof Pid];
const PIDS = new Set<number>(Object.values(Pid));

export interface FingerprintPacket {
  address: number;
  pid: PidValue;
  payload: Buffer;
}

export function fpChecksum(buf: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += buf[i]!;
  return sum & 0xffff;
}

export function encodePacket(pid: PidValue, payload: Uint8Array, address = FP_DEFAULT_ADDRESS): Buffer {
  if (payload.length > FP_MAX_PAYLOAD) throw new RangeError(`fingerprint payload of ${payload.length} bytes is too long`);
  const buf = Buffer.alloc(FP_HEADER_BYTES + payload.length + 2);
  buf[0] = 0xef;
  buf[1] = 0x01;
  buf.writeUInt32BE(address >>> 0, 2);
  buf[6] = pid;
  buf.writeUInt16BE(payload.length + 2, 7);
  buf.set(payload, 9);
  buf.writeUInt16BE(fpChecksum(buf, 6, buf.length - 2), buf.length - 2);
  return buf;
}

export function decodePacket(frame: Uint8Array): FingerprintPacket {
  const b = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (b.length < FP_HEADER_BYTES + 2) throw new DecodeError('fp-short', `fingerprint packet of ${b.length} bytes is too short`, 'fingerprint');
  if (b[0] !== 0xef || b[1] !== 0x01) throw new DecodeError('fp-start', 'fingerprint packet does not start with EF 01', 'fingerprint');
  const pid = b[6]!;
  if (!PIDS.has(pid)) throw new DecodeError('fp-pid', `fingerprint packet has unknown PID 0x${pid.toString(16)}`, 'fingerprint');
  const len = b.readUInt16BE(7);
  if (len < 2 || len - 2 > FP_MAX_PAYLOAD || b.length !== FP_HEADER_BYTES + len) {
    throw new DecodeError('fp-length', `fingerprint packet length field ${len} does not match ${b.length} bytes`, 'fingerprint');
  }
  if (fpChecksum(b, 6, b.length - 2) !== b.readUInt16BE(b.length - 2)) {
    throw new DecodeError('fp-checksum', 'fingerprint packet checksum mismatch', 'fingerprint');
  }
  return { address: b.readUInt32BE(2), pid: pid as PidValue, payload: Buffer.from(b.subarray(9, b.length - 2)) };
}

export const FP_FRAME_SPEC: FrameSpec = {
  preamble: FP_START,
  headerBytes: FP_HEADER_BYTES,
  frameLength(buf, at) {
    const len = buf.readUInt16BE(at + 7);
    return len < 2 || len - 2 > FP_MAX_PAYLOAD ? 'bad-length' : FP_HEADER_BYTES + len;
  },
  verify(buf, at, length) {
    if (!PIDS.has(buf[at + 6]!)) return 'bad-header';
    return fpChecksum(buf, at + 6, at + length - 2) === buf.readUInt16BE(at + length - 2) ? true : 'bad-checksum';
  },
};

export const createFingerprintScanner = (): FrameScanner => new FrameScanner(FP_FRAME_SPEC);
export const createFingerprintParser = (): FrameParser => new FrameParser(FP_FRAME_SPEC);
