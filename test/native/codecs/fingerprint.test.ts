import { describe, expect, it } from 'vitest';
import {
  FingerprintError, FpCommand, Pid, createFingerprintScanner, decodePacket, encodeAck, encodeDataPackets, encodePacket,
  encodeSysParams, parseAck, parseSysParams,
} from '../../../native/codecs/fingerprint/index.ts';
import { awkwardSplits, hex, toHex } from '../helpers.ts';

describe('fingerprint packets from PROTOCOLS.md §2', () => {
  it('GenImg, Img2Tz(1) and ack OK are byte-exact', () => {
    expect(toHex(FpCommand.genImg())).toBe('EF 01 FF FF FF FF 01 00 03 01 00 05');
    expect(toHex(FpCommand.img2Tz(1))).toBe('EF 01 FF FF FF FF 01 00 04 02 01 00 08');
    expect(toHex(encodeAck(0))).toBe('EF 01 FF FF FF FF 07 00 03 00 00 0A');
  });

  it('encodes every instruction with its parameters (checksum = PID+LEN+payload)', () => {
    expect(toHex(FpCommand.vfyPwd(0))).toBe('EF 01 FF FF FF FF 01 00 07 13 00 00 00 00 00 1B');
    expect(toHex(FpCommand.readSysPara())).toBe('EF 01 FF FF FF FF 01 00 03 0F 00 13');
    expect(toHex(FpCommand.match())).toBe('EF 01 FF FF FF FF 01 00 03 03 00 07');
    expect(toHex(FpCommand.search(1, 0, 1000))).toBe('EF 01 FF FF FF FF 01 00 08 04 01 00 00 03 E8 00 F9');
    expect(toHex(FpCommand.regModel())).toBe('EF 01 FF FF FF FF 01 00 03 05 00 09');
    expect(toHex(FpCommand.store(1, 5))).toBe('EF 01 FF FF FF FF 01 00 06 06 01 00 05 00 13');
    expect(toHex(FpCommand.upChar(1))).toBe('EF 01 FF FF FF FF 01 00 04 08 01 00 0E');
    expect(toHex(FpCommand.downChar(2))).toBe('EF 01 FF FF FF FF 01 00 04 09 02 00 10');
    expect(toHex(FpCommand.deleteChar(1, 1))).toBe('EF 01 FF FF FF FF 01 00 07 0C 00 01 00 01 00 16');
    expect(toHex(FpCommand.empty())).toBe('EF 01 FF FF FF FF 01 00 03 0D 00 11');
    expect(toHex(FpCommand.templateNum())).toBe('EF 01 FF FF FF FF 01 00 03 1D 00 21');
    expect(toHex(FpCommand.genImg(0x12345678))).toBe('EF 01 12 34 56 78 01 00 03 01 00 05');
    expect(() => FpCommand.img2Tz(3 as 1)).toThrow(RangeError);
  });

  it('decodes an ack with data (Match score 0x00C8)', () => {
    const p = decodePacket(hex('EF 01 FF FF FF FF 07 00 05 00 00 C8 00 D4'));
    expect(p).toEqual({ address: 0xffffffff, pid: Pid.ack, payload: hex('00 00 C8') });
    expect(parseAck(p.payload)).toEqual({ confirmation: 0, data: hex('00 C8') });
  });

  it('rejects damaged packets with DecodeError codes', () => {
    expect(() => decodePacket(hex('EF 01 FF FF FF FF 07 00 03 00 00 0B'))).toThrow(expect.objectContaining({ code: 'fp-checksum' }));
    expect(() => decodePacket(hex('EF 02 FF FF FF FF 07 00 03 00 00 0A'))).toThrow(expect.objectContaining({ code: 'fp-start' }));
    expect(() => decodePacket(hex('EF 01 FF FF FF FF 05 00 03 00 00 08'))).toThrow(expect.objectContaining({ code: 'fp-pid' }));
    expect(() => decodePacket(hex('EF 01 FF FF FF FF 07 00 04 00 00 0A'))).toThrow(expect.objectContaining({ code: 'fp-length' }));
    expect(() => parseAck(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'fp-ack-empty' }));
  });

  it('round-trips system parameters (16 bytes; packet size code, baud ÷ 9600)', () => {
    const params = { statusRegister: 4, systemId: 9, capacity: 1000, securityLevel: 3, address: 0xffffffff, packetSize: 128, baudRate: 57600 };
    const bytes = encodeSysParams(params);
    expect(toHex(bytes)).toBe('00 04 00 09 03 E8 00 03 FF FF FF FF 00 02 00 06');
    expect(parseSysParams(bytes)).toEqual(params);
    expect(() => parseSysParams(Buffer.alloc(15))).toThrow(expect.objectContaining({ code: 'fp-syspara-length' }));
  });

  it('splits a 512-byte template into 02 packets and a final 08 packet', () => {
    const tpl = Buffer.from(Array.from({ length: 512 }, (_, i) => i & 0xff));
    const packets = encodeDataPackets(tpl, 128);
    expect(packets.map((p) => p[6])).toEqual([Pid.data, Pid.data, Pid.data, Pid.end]);
    expect(Buffer.concat(packets.map((p) => decodePacket(p).payload))).toEqual(tpl);
    expect(encodeDataPackets(Buffer.alloc(100), 64).map((p) => decodePacket(p).payload.length)).toEqual([64, 36]);
    expect(() => encodeDataPackets(tpl, 100)).toThrow(RangeError);
    expect(() => encodePacket(Pid.data, Buffer.alloc(257))).toThrow(RangeError);
  });

  it('names confirmation codes', () => {
    expect(new FingerprintError(0x02).code).toBe('no-finger');
    expect(new FingerprintError(0x0a).code).toBe('enrol-mismatch');
    expect(new FingerprintError(0x13).code).toBe('wrong-password');
    expect(new FingerprintError(0x77).code).toBe('unknown-confirmation');
  });

  it('the scanner recovers packets across every split and after garbage', () => {
    const stream = Buffer.concat([hex('EF 00 EF'), FpCommand.genImg(), encodeAck(0), hex('EF 01 FF')]);
    for (const parts of awkwardSplits(stream)) {
      const s = createFingerprintScanner();
      const events = parts.flatMap((p) => s.push(p));
      expect(events.filter((e) => e.type === 'frame').map((e) => (e as { frame: Buffer }).frame)).toEqual([FpCommand.genImg(), encodeAck(0)]);
      expect(events.filter((e) => e.type === 'skipped').reduce((n, e) => n + (e as { bytes: number }).bytes, 0)).toBe(3);
      expect(s.pending).toBe(3);
    }
  });
});
