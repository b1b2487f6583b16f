// Instruction codes, their parameter encodings, confirmation codes and ack payload parsers.
import { DecodeError, DeviceError } from '../../errors.ts';
import { encodePacket, Pid, FP_DEFAULT_ADDRESS } from './packet.ts';

export const Instr = {
  genImg: 0x01,
  img2Tz: 0x02,
  match: 0x03,
  search: 0x04,
  regModel: 0x05,
  store: 0x06,
  loadChar: 0x07,
  upChar: 0x08,
  downChar: 0x09,
  deleteChar: 0x0c,
  empty: 0x0d,
  readSysPara: 0x0f,
  vfyPwd: 0x13,
  templateNum: 0x1d,
} as const;

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const bufferId = (b: 1 | 2): number => {
  if (b !== 1 && b !== 2) throw new RangeError('character buffer must be 1 or 2');
  return b;
};

export type CharBuffer = 1 | 2;

/** Command packets, ready to write. */
export const FpCommand = {
  genImg: (addr?: number) => cmd(Instr.genImg, [], addr),
  img2Tz: (buf: CharBuffer, addr?: number) => cmd(Instr.img2Tz, [bufferId(buf)], addr),
  match: (addr?: number) => cmd(Instr.match, [], addr),
  search: (buf: CharBuffer, start: number, count: number, addr?: number) => cmd(Instr.search, [bufferId(buf), ...u16(start), ...u16(count)], addr),
  regModel: (addr?: number) => cmd(Instr.regModel, [], addr),
  store: (buf: CharBuffer, id: number, addr?: number) => cmd(Instr.store, [bufferId(buf), ...u16(id)], addr),
  loadChar: (buf: CharBuffer, id: number, addr?: number) => cmd(Instr.loadChar, [bufferId(buf), ...u16(id)], addr),
  upChar: (buf: CharBuffer, addr?: number) => cmd(Instr.upChar, [bufferId(buf)], addr),
  downChar: (buf: CharBuffer, addr?: number) => cmd(Instr.downChar, [bufferId(buf)], addr),
  deleteChar: (id: number, count: number, addr?: number) => cmd(Instr.deleteChar, [...u16(id), ...u16(count)], addr),
  empty: (addr?: number) => cmd(Instr.empty, [], addr),
  readSysPara: (addr?: number) => cmd(Instr.readSysPara, [], addr),
  vfyPwd: (password: number, addr?: number) => cmd(Instr.vfyPwd, u32(password), addr),
  templateNum: (addr?: number) => cmd(Instr.templateNum, [], addr),
};

function cmd(code: number, params: number[], addr = FP_DEFAULT_ADDRESS): Buffer {
  return encodePacket(Pid.command, Uint8Array.from([code, ...params]), addr);
}

export const Confirm = {
  ok: 0x00,
  packetError: 0x01,
  noFinger: 0x02,
  captureFailed: 0x03,
  imageMessy: 0x06,
  tooFewFeatures: 0x07,
  noMatch: 0x08,
  notFound: 0x09,
  enrolMismatch: 0x0a,
  badLocation: 0x0b,
  dbReadError: 0x0c,
  uploadFailed: 0x0d,
  packetResponseFailed: 0x0e,
  wrongPassword: 0x13,
  invalidImage: 0x15,
  flashError: 0x18,
} as const;

const CONFIRM_TEXT: Record<number, { code: string; message: string }> = {
  0x01: { code: 'packet-error', message: 'the sensor received a bad packet' },
  0x02: { code: 'no-finger', message: 'no finger on the sensor' },
  0x03: { code: 'capture-failed', message: 'the fingerprint image could not be captured' },
  0x06: { code: 'image-messy', message: 'the fingerprint image is too messy; clean the sensor and try again' },
  0x07: { code: 'too-few-features', message: 'too few features in the fingerprint image; press the finger flatter' },
  0x08: { code: 'no-match', message: 'the fingerprints do not match' },
  0x09: { code: 'not-found', message: 'no matching fingerprint in the library' },
  0x0a: { code: 'enrol-mismatch', message: 'the two captures are not of the same finger' },
  0x0b: { code: 'bad-location', message: 'the template location is out of range' },
  0x0c: { code: 'db-read-error', message: 'reading the template from the library failed' },
  0x0d: { code: 'upload-failed', message: 'uploading the template failed' },
  0x0e: { code: 'packet-response-failed', message: 'the sensor could not receive the data packets' },
  0x13: { code: 'wrong-password', message: 'the sensor password is wrong' },
  0x15: { code: 'invalid-image', message: 'no valid image in the image buffer' },
  0x18: { code: 'flash-error', message: 'the sensor failed to write its flash' },
};

export class FingerprintError extends DeviceError {
  override name = 'FingerprintError';
  constructor(readonly confirmation: number) {
    const t = CONFIRM_TEXT[confirmation] ?? { code: 'unknown-confirmation', message: `the sensor answered with unknown code 0x${confirmation.toString(16).padStart(2, '0')}` };
    super(t.code, t.message, 'fingerprint');
  }
}

export interface Ack {
  confirmation: number;
  data: Buffer;
}

export function parseAck(payload: Buffer): Ack {
  if (payload.length < 1) throw new DecodeError('fp-ack-empty', 'fingerprint ack has no confirmation code', 'fingerprint');
  return { confirmation: payload[0]!, data: Buffer.from(payload.subarray(1)) };
}

export function encodeAck(confirmation: number, data: Uint8Array = new Uint8Array(0), addr = FP_DEFAULT_ADDRESS): Buffer {
  return encodePacket(Pid.ack, Buffer.concat([Buffer.from([confirmation]), data]), addr);
}

export interface SysParams {
  statusRegister: number;
  systemId: number;
  capacity: number;
  securityLevel: number;
  address: number;
  /** Data packet payload size in bytes (32/64/128/256). */
  packetSize: number;
  baudRate: number;
}

export const PACKET_SIZES = [32, 64, 128, 256] as const;

export function parseSysParams(data: Buffer): SysParams {
  if (data.length !== 16) throw new DecodeError('fp-syspara-length', `system parameters are ${data.length} bytes, expected 16`, 'fingerprint');
  const sizeCode = data.readUInt16BE(12);
  const packetSize = PACKET_SIZES[sizeCode];
  if (packetSize === undefined) throw new DecodeError('fp-syspara-packet-size', `unknown packet size code ${sizeCode}`, 'fingerprint');
  return {
    statusRegister: data.readUInt16BE(0),
    systemId: data.readUInt16BE(2),
    capacity: data.readUInt16BE(4),
    securityLevel: data.readUInt16BE(6),
    address: data.readUInt32BE(8),
    packetSize,
    baudRate: data.readUInt16BE(14) * 9600,
  };
}

export function encodeSysParams(p: SysParams): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16BE(p.statusRegister, 0);
  b.writeUInt16BE(p.systemId, 2);
  b.writeUInt16BE(p.capacity, 4);
  b.writeUInt16BE(p.securityLevel, 6);
  b.writeUInt32BE(p.address >>> 0, 8);
  b.writeUInt16BE(PACKET_SIZES.indexOf(p.packetSize as (typeof PACKET_SIZES)[number]), 12);
  b.writeUInt16BE(Math.round(p.baudRate / 9600), 14);
  return b;
}

/** Splits a template into data packets: PID 02 for all but the last, PID 08 for the last. */
export function encodeDataPackets(data: Uint8Array, packetSize: number, addr = FP_DEFAULT_ADDRESS): Buffer[] {
  if (!PACKET_SIZES.includes(packetSize as (typeof PACKET_SIZES)[number])) throw new RangeError(`packet size ${packetSize} is not 32/64/128/256`);
  if (data.length === 0) throw new RangeError('no data to send');
  const packets: Buffer[] = [];
  for (let off = 0; off < data.length; off += packetSize) {
    const last = off + packetSize >= data.length;
    packets.push(encodePacket(last ? Pid.end : Pid.data, data.subarray(off, off + packetSize), addr));
  }
  return packets;
}
