import { describe, expect, it } from 'vitest';
import {
  SamCommand, SamError, createSamParser, createSamScanner, decodeIdText, decodeReadData, decodeSamCommand, decodeSamReply,
  encodeIdText, encodeReadData, encodeSamCommand, encodeSamReply, ethnicityName, idCheckCharacter, isValidIdNumber, maskIdNumber,
  maskName, describeSw3,
} from '../../../native/codecs/idcard/index.ts';
import { DecodeError } from '../../../native/errors.ts';
import { CARD_PROFILES } from '../../../native/simulators/profiles.ts';
import { awkwardSplits, hex, toHex } from '../helpers.ts';

describe('SAM frames from PROTOCOLS.md §1', () => {
  it.each([
    ['SAM status', SamCommand.samStatus, 'AA AA AA 96 69 00 03 11 FF ED'],
    ['find card', SamCommand.findCard, 'AA AA AA 96 69 00 03 20 01 22'],
    ['select card', SamCommand.selectCard, 'AA AA AA 96 69 00 03 20 02 21'],
    ['read text+photo', SamCommand.readText, 'AA AA AA 96 69 00 03 30 01 32'],
    ['read text+photo+fingerprint', SamCommand.readTextWithFingerprint, 'AA AA AA 96 69 00 03 30 10 23'],
  ] as const)('%s encodes to %s', (_name, [cmd, para], frame) => {
    expect(toHex(encodeSamCommand(cmd, para))).toBe(frame);
    expect(decodeSamCommand(hex(frame))).toEqual({ cmd, para, data: Buffer.alloc(0) });
  });

  it.each([
    ['SAM OK', 0x90, 0, 'AA AA AA 96 69 00 04 00 00 90 94'],
    ['find OK', 0x9f, 4, 'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97'],
    ['find failed', 0x80, 0, 'AA AA AA 96 69 00 04 00 00 80 84'],
    ['select OK', 0x90, 8, 'AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C'],
    ['select failed', 0x81, 0, 'AA AA AA 96 69 00 04 00 00 81 85'],
    ['read failed', 0x41, 0, 'AA AA AA 96 69 00 04 00 00 41 45'],
  ])('reply %s is %s', (_name, sw3, dataLen, frame) => {
    expect(toHex(encodeSamReply(sw3, Buffer.alloc(dataLen)))).toBe(frame);
    expect(decodeSamReply(hex(frame))).toEqual({ sw1: 0, sw2: 0, sw3, data: Buffer.alloc(dataLen) });
  });

  it('the read reply is 1295 bytes with header AA AA AA 96 69 05 08 00 00 90 01 00 04 00', () => {
    const p = CARD_PROFILES[0]!;
    const frame = encodeSamReply(0x90, encodeReadData({ text: encodeIdText(p), photo: Buffer.alloc(1024, 0x5a) }));
    expect(frame.length).toBe(1295);
    expect(toHex(frame.subarray(0, 14))).toBe('AA AA AA 96 69 05 08 00 00 90 01 00 04 00');
    const reply = decodeSamReply(frame);
    const blocks = decodeReadData(reply.data);
    expect(blocks.text.equals(frame.subarray(14, 270))).toBe(true);
    expect(blocks.photo.equals(frame.subarray(270, 1294))).toBe(true);
    expect(blocks.fingerprint).toBeUndefined();
  });

  it('the read-with-fingerprint reply has header … 09 0A 00 00 90 01 00 04 00 04 00', () => {
    const frame = encodeSamReply(0x90, encodeReadData({ text: encodeIdText(CARD_PROFILES[0]!), photo: Buffer.alloc(1024), fingerprint: Buffer.alloc(1024, 7) }));
    expect(toHex(frame.subarray(0, 16))).toBe('AA AA AA 96 69 09 0A 00 00 90 01 00 04 00 04 00');
    expect(frame.length).toBe(7 + 0x090a);
    expect(decodeReadData(decodeSamReply(frame).data).fingerprint).toEqual(Buffer.alloc(1024, 7));
  });

  it('rejects bad checksum, bad preamble, wrong length with DecodeError codes', () => {
    const good = hex('AA AA AA 96 69 00 04 00 00 90 94');
    const badChk = Buffer.from(good);
    badChk[10] = 0x95;
    expect(() => decodeSamReply(badChk)).toThrow(expect.objectContaining({ code: 'sam-checksum' }));
    expect(() => decodeSamReply(hex('AA AA AB 96 69 00 04 00 00 90 94'))).toThrow(expect.objectContaining({ code: 'sam-preamble' }));
    expect(() => decodeSamReply(hex('AA AA AA 96 69 00 05 00 00 90 94'))).toThrow(expect.objectContaining({ code: 'sam-length' }));
    expect(() => decodeSamReply(hex('AA AA AA 96 69 00'))).toThrow(DecodeError);
    expect(() => decodeReadData(Buffer.alloc(100))).toThrow(expect.objectContaining({ code: 'read-text-length' }));
  });

  it('maps every SW3 code of PROTOCOLS.md to a typed error code', () => {
    const expected: Record<number, string> = {
      0x10: 'bad-checksum', 0x11: 'bad-length', 0x21: 'bad-command', 0x23: 'unauthorized', 0x24: 'unknown-error',
      0x31: 'card-auth-failed', 0x32: 'sam-auth-failed', 0x33: 'verify-error', 0x40: 'unknown-card-type', 0x41: 'read-failed',
      0x47: 'random-failed', 0x60: 'sam-self-test-failed', 0x66: 'sam-not-authorized', 0x80: 'find-failed', 0x81: 'select-failed',
      0x91: 'no-content',
    };
    for (const [sw3, code] of Object.entries(expected)) {
      const err = new SamError(Number(sw3));
      expect(err.code).toBe(code);
      expect(err.device).toBe('idcard');
    }
    expect(describeSw3(0x55).code).toBe('unknown-status');
  });
});

describe('SAM scanner (parser) with awkward splits', () => {
  const status = hex('AA AA AA 96 69 00 04 00 00 90 94');
  const find = hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');

  it('yields the same frames whichever way the bytes are cut', () => {
    const stream = Buffer.concat([status, find]);
    for (const parts of awkwardSplits(stream)) {
      const s = createSamScanner();
      const frames = parts.flatMap((p) => s.push(p)).filter((e) => e.type === 'frame').map((e) => (e as { frame: Buffer }).frame);
      expect(frames).toEqual([status, find]);
      expect(s.pending).toBe(0);
    }
  });

  it('skips garbage, a bad-checksum frame and a truncated frame, then resynchronises', () => {
    const bad = Buffer.from(find);
    bad[bad.length - 1]! ^= 1;
    const truncated = status.subarray(0, 8);
    const s = createSamScanner();
    const events = s.push(Buffer.concat([hex('00 13 AA 55'), bad, truncated, status, hex('AA AA')]));
    expect(events).toEqual([
      { type: 'skipped', reason: 'no-preamble', bytes: 4 },
      { type: 'skipped', reason: 'bad-checksum', bytes: 1 },
      { type: 'skipped', reason: 'no-preamble', bytes: bad.length - 1 },
      { type: 'skipped', reason: 'bad-checksum', bytes: 1 },
      { type: 'skipped', reason: 'no-preamble', bytes: truncated.length - 1 },
      { type: 'frame', frame: status },
    ]);
    // The trailing AA AA could start a frame: held, not reported.
    expect(s.pending).toBe(2);
  });

  it('finds a frame that starts inside a frame with an impossible length', () => {
    const s = createSamScanner();
    const events = s.push(Buffer.concat([hex('AA AA AA 96 69 FF FF'), status]));
    expect(events.filter((e) => e.type === 'frame')).toEqual([{ type: 'frame', frame: status }]);
    expect(events[0]).toEqual({ type: 'skipped', reason: 'bad-length', bytes: 1 });
  });

  it('as a Transform: emits whole frames and reports skipped bytes without erroring', async () => {
    const parser = createSamParser();
    const frames: Buffer[] = [];
    const skipped: [string, number][] = [];
    parser.on('data', (f: Buffer) => frames.push(f));
    parser.on('skipped', (reason: string, bytes: number) => skipped.push([reason, bytes]));
    const stream = Buffer.concat([hex('FF FF'), status, find]);
    for (let i = 0; i < stream.length; i += 3) parser.write(stream.subarray(i, i + 3));
    parser.end(hex('AA AA AA 96'));
    await new Promise((r) => parser.on('end', r).resume());
    expect(frames).toEqual([status, find]);
    expect(skipped).toEqual([['no-preamble', 2], ['truncated', 4]]);
  });
});

describe('ID card text block', () => {
  it('decodes fields at their GA 490 offsets, trims padding, checks the ID number', () => {
    const p = CARD_PROFILES.find((c) => c.id === 'zhang')!;
    const block = encodeIdText(p);
    expect(block.length).toBe(256);
    // name at 0, UCS-2 LE, space padded
    expect(block.subarray(0, 6).toString('utf16le')).toBe('张小三');
    expect(toHex(block.subarray(6, 8))).toBe('20 00');
    expect(block.subarray(122, 158).toString('utf16le')).toBe('110101199003071233');
    const t = decodeIdText(block);
    expect(t).toEqual({
      name: '张小三', genderCode: '1', gender: 'male', ethnicityCode: '01', ethnicity: '汉', birthDate: '19900307',
      address: '北京市东城区示例胡同1号', idNumber: '110101199003071233', authority: '北京市公安局东城分局', validFrom: '20150101',
      validTo: '20350101', checkDigitOk: true,
    });
  });

  it('reads 长期, NUL padding, X check characters and a wrong check digit', () => {
    const li = decodeIdText(encodeIdText(CARD_PROFILES.find((c) => c.id === 'li')!));
    expect(li.validTo).toBe('长期');
    expect(li.gender).toBe('female');
    expect(li.ethnicity).toBe('回');
    const ou = decodeIdText(encodeIdText(CARD_PROFILES.find((c) => c.id === 'ouyang')!));
    expect(ou.idNumber.endsWith('X')).toBe(true);
    expect(ou.checkDigitOk).toBe(true);
    expect(decodeIdText(encodeIdText(CARD_PROFILES.find((c) => c.id === 'bad-check')!)).checkDigitOk).toBe(false);
    const nul = encodeIdText(CARD_PROFILES[0]!);
    nul.fill(0, 6, 30);
    expect(decodeIdText(nul).name).toBe('张小三');
  });

  it('computes ISO 7064 MOD 11-2 check characters', () => {
    expect(idCheckCharacter('11010119900307123')).toBe('3');
    expect(idCheckCharacter('44030519721130789')).toBe('X');
    expect(idCheckCharacter('1101011990030712')).toBeUndefined();
    expect(isValidIdNumber('11010519491231002X')).toBe(true); // the standard's own example
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
  });

  it('names ethnicity codes 01–56, 97 and 98', () => {
    expect(ethnicityName('01')).toBe('汉');
    expect(ethnicityName('56')).toBe('基诺');
    expect(ethnicityName('97')).toBe('其他');
    expect(ethnicityName('98')).toBe('外国血统中国籍人士');
    expect(ethnicityName('57')).toBeUndefined();
    expect(ethnicityName('00')).toBeUndefined();
  });

  it('rejects blocks of the wrong size and fields that do not fit', () => {
    expect(() => decodeIdText(Buffer.alloc(255))).toThrow(expect.objectContaining({ code: 'idtext-length' }));
    expect(() => encodeIdText({ ...CARD_PROFILES[0]!, name: '长'.repeat(16) })).toThrow(RangeError);
  });

  it('every simulator profile except bad-check has a valid ID number', () => {
    for (const p of CARD_PROFILES) expect(isValidIdNumber(p.idNumber)).toBe(p.id !== 'bad-check');
  });
});

describe('masks', () => {
  it('masks names and ID numbers as the product shows them', () => {
    expect(maskName('张小三')).toBe('张*三');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳明月')).toBe('欧**月');
    expect(maskName('')).toBe('');
    expect(maskIdNumber('110101199003071234')).toBe('1101**********1234');
    expect(maskIdNumber('123')).toBe('***');
  });
});
