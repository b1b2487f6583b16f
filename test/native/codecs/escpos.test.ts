import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  EscPosBuilder, EscPosDecoder, decodeEscPos, decodeStatusByte, displayWidth, encodeStatusByte, isStatusByte, renderTranscript,
  sanitizeText, statusRequest, HEALTHY_STATUS, type PrinterStatus,
} from '../../../native/codecs/escpos/index.ts';
import { toHex } from '../helpers.ts';

describe('ESC/POS commands from PROTOCOLS.md §3', () => {
  const b = (): EscPosBuilder => new EscPosBuilder();
  it.each([
    ['init', b().init(), '1B 40'],
    ['align center', b().align('center'), '1B 61 01'],
    ['align right', b().align('right'), '1B 61 02'],
    ['bold on', b().bold(true), '1B 45 01'],
    ['size 2x2', b().size(2, 2), '1D 21 11'],
    ['size 3x1', b().size(3, 1), '1D 21 20'],
    ['feed 3', b().feed(3), '1B 64 03'],
    ['full cut', b().cut(), '1D 56 00'],
    ['partial cut', b().cut(true), '1D 56 01'],
    ['enter Chinese', b().chinese(true), '1C 26'],
    ['leave Chinese', b().chinese(false), '1C 2E'],
    ['CODE128', b().code128('AB{1'), '1D 6B 49 07 7B 42 41 42 7B 7B 31'],
  ])('%s → %s', (_n, builder, bytes) => {
    expect(toHex(builder.encode())).toBe(bytes);
  });

  it('QR code: model 2, size, ECC, store (pL pH = len+3), print', () => {
    expect(toHex(new EscPosBuilder().qr('ABC', { size: 6, ecc: 'M' }).encode())).toBe(
      [
        '1D 28 6B 04 00 31 41 32 00',
        '1D 28 6B 03 00 31 43 06',
        '1D 28 6B 03 00 31 45 31',
        '1D 28 6B 06 00 31 50 30 41 42 43',
        '1D 28 6B 03 00 31 51 30',
      ].join(' '),
    );
    const long = new EscPosBuilder().qr('x'.repeat(300)).encode();
    // 303 = 0x012F → pL 2F pH 01
    expect(toHex(long.subarray(25, 33))).toBe('1D 28 6B 2F 01 31 50 30');
    expect(() => new EscPosBuilder().qr('')).toThrow(RangeError);
    expect(() => new EscPosBuilder().qr('x', { size: 17 })).toThrow(RangeError);
  });

  it('Chinese text: FS & then GB18030 bytes, once', () => {
    const bytes = new EscPosBuilder().text('Hi ').line('退款').line('申请').encode();
    expect(toHex(bytes)).toBe(`48 69 20 1C 26 ${toHex(iconv.encode('退款', 'gb18030'))} 0A ${toHex(iconv.encode('申请', 'gb18030'))} 0A`);
    expect(toHex(iconv.encode('退', 'gb18030'))).toBe('CD CB');
    // a character outside GBK still encodes (4-byte GB18030)
    expect(iconv.encode('𠀀', 'gb18030').length).toBe(4);
  });

  it('text cannot smuggle commands: control bytes are dropped, CRLF becomes LF', () => {
    expect(sanitizeText('a\x1bd\x05b\x1dV\x00c\r\nd\re')).toBe('adbVc\nd\ne');
    const ops = decodeEscPos(new EscPosBuilder().line('x\x1dV\x00y').encode());
    expect(ops).toEqual([{ op: 'text', text: 'xVy' }, { op: 'newline' }]);
    expect(() => new EscPosBuilder().code128('bad\x1b')).toThrow(RangeError);
  });

  it('display width counts CJK as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('退款abc')).toBe(7);
    expect(displayWidth('，')).toBe(2);
  });
});

describe('DLE EOT status', () => {
  it('requests are 10 04 n', () => {
    expect(toHex(statusRequest(4))).toBe('10 04 04');
  });

  it('0x12 is healthy for every n', () => {
    for (const n of [1, 2, 3, 4] as const) expect(Object.values(decodeStatusByte(n, 0x12)).every((v) => v === false)).toBe(true);
  });

  it('decodes the bits of PROTOCOLS.md', () => {
    expect(decodeStatusByte(1, 0x1a)).toEqual({ offline: true });
    expect(decodeStatusByte(2, 0x16)).toMatchObject({ coverOpen: true });
    expect(decodeStatusByte(2, 0x32)).toMatchObject({ paperEndStop: true });
    expect(decodeStatusByte(2, 0x52)).toMatchObject({ errorOccurred: true });
    expect(decodeStatusByte(3, 0x1a)).toMatchObject({ cutterError: true });
    expect(decodeStatusByte(3, 0x32)).toMatchObject({ unrecoverableError: true });
    expect(decodeStatusByte(4, 0x1e)).toEqual({ paperNearEnd: true, paperOut: false });
    expect(decodeStatusByte(4, 0x72)).toEqual({ paperNearEnd: false, paperOut: true });
    expect(decodeStatusByte(4, 0x7e)).toEqual({ paperNearEnd: true, paperOut: true });
  });

  it('rejects bytes without the fixed bits (1 and 4 set, 0 and 7 clear)', () => {
    const valid = Array.from({ length: 256 }, (_, i) => i).filter(isStatusByte);
    expect(valid.length).toBe(16);
    for (const x of [0x00, 0x10, 0x02, 0x13, 0x92, 0xff]) expect(() => decodeStatusByte(1, x)).toThrow(expect.objectContaining({ code: 'escpos-status' }));
  });

  it('encode/decode round-trip for every single flag', () => {
    const flags: (keyof PrinterStatus)[] = ['offline', 'coverOpen', 'paperEndStop', 'errorOccurred', 'cutterError', 'unrecoverableError', 'autoRecoverableError', 'paperNearEnd', 'paperOut'];
    for (const f of flags) {
      const s = { ...HEALTHY_STATUS, [f]: true };
      const merged = { ...HEALTHY_STATUS };
      for (const n of [1, 2, 3, 4] as const) Object.assign(merged, decodeStatusByte(n, encodeStatusByte(n, s)));
      expect(merged).toEqual(s);
    }
  });
});

describe('ESC/POS decoder and transcript', () => {
  const job = new EscPosBuilder()
    .init().align('center').bold(true).size(2, 2).line('退款申请回执').size(1, 1).bold(false)
    .align('left').line('Ref: R-0001').qr('https://k.example/r/R-0001', { size: 5, ecc: 'Q' }).code128('R-0001').feed(3).cut(true).encode();

  it('turns bytes back into operations', () => {
    expect(decodeEscPos(job)).toEqual([
      { op: 'init' }, { op: 'align', align: 'center' }, { op: 'bold', on: true }, { op: 'size', width: 2, height: 2 },
      { op: 'chinese', on: true }, { op: 'text', text: '退款申请回执' }, { op: 'newline' }, { op: 'size', width: 1, height: 1 },
      { op: 'bold', on: false }, { op: 'align', align: 'left' }, { op: 'text', text: 'Ref: R-0001' }, { op: 'newline' },
      { op: 'qr', data: 'https://k.example/r/R-0001', size: 5, ecc: 'Q' }, { op: 'code128', data: 'R-0001' },
      { op: 'feed', lines: 3 }, { op: 'cut', partial: true },
    ]);
  });

  it('renders a readable transcript', () => {
    expect(renderTranscript(decodeEscPos(job))).toBe(
      ['退款申请回执', 'Ref: R-0001', '[QR Q 5] https://k.example/r/R-0001', '[CODE128] R-0001', '[FEED 3]', '[PARTIAL CUT]'].join('\n'),
    );
  });

  it('gives the same operations whichever way the job is chunked', () => {
    const whole = decodeEscPos(job);
    for (let cut = 0; cut <= job.length; cut++) {
      const d = new EscPosDecoder();
      expect([...d.push(job.subarray(0, cut)), ...d.push(job.subarray(cut)), ...d.end()]).toEqual(whole);
    }
  });

  it('keeps unknown commands and incomplete tails as unknown ops', () => {
    expect(decodeEscPos(Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa, 0x41, 0x0a, 0x1d]))).toEqual([
      { op: 'unknown', bytes: [0x1b, 0x70, 0x00, 0x19, 0xfa] }, { op: 'text', text: 'A' }, { op: 'newline' }, { op: 'unknown', bytes: [0x1d] },
    ]);
    expect(decodeEscPos(Buffer.from([0x10, 0x04, 0x04]))).toEqual([{ op: 'status', n: 4 }]);
  });
});
