// ESC/POS encoder (PROTOCOLS.md §3). Chinese text is GB18030 inside FS & (Chinese mode), entered
// the first time non-ASCII text appears. Text never carries control bytes: anything below 0x20
// except LF is dropped, so text typed by a customer cannot smuggle a command (cut, drawer kick…).
import iconv from 'iconv-lite';
import type { Align, EscPosOp, QrEcc } from './ops.ts';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };
const ECC: Record<QrEcc, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };
export const QR_MAX_BYTES = 7089;

export interface EscPosBuilderOptions {
  /** Emit FS & before the first non-ASCII text (printers in "Chinese mode"). Default true. */
  chineseMode?: boolean;
}

export class EscPosBuilder {
  private readonly parts: Buffer[] = [];
  private inChinese = false;
  private readonly chineseMode: boolean;

  constructor(options: EscPosBuilderOptions = {}) {
    this.chineseMode = options.chineseMode ?? true;
  }

  init(): this {
    this.inChinese = false;
    return this.bytes(ESC, 0x40);
  }

  align(align: Align): this {
    return this.bytes(ESC, 0x61, ALIGN[align]);
  }

  bold(on: boolean): this {
    return this.bytes(ESC, 0x45, on ? 1 : 0);
  }

  /** Character magnification 1..8 in each direction (GS !). */
  size(width: number, height: number): this {
    for (const v of [width, height]) if (!Number.isInteger(v) || v < 1 || v > 8) throw new RangeError('size must be an integer 1..8');
    return this.bytes(GS, 0x21, ((width - 1) << 4) | (height - 1));
  }

  /** Text without a line break; '\n' in the text becomes LF. */
  text(text: string): this {
    const clean = sanitizeText(text);
    if (clean.length === 0) return this;
    if (this.chineseMode && !this.inChinese && /[\u0080-\u{10ffff}]/u.test(clean)) {
      this.bytes(FS, 0x26);
      this.inChinese = true;
    }
    this.parts.push(this.inChinese ? iconv.encode(clean, 'gb18030') : Buffer.from(clean.replace(/[\u0080-\u{10ffff}]/gu, '?'), 'latin1'));
    return this;
  }

  line(text = ''): this {
    return this.text(text).bytes(0x0a);
  }

  feed(lines: number): this {
    if (!Number.isInteger(lines) || lines < 0 || lines > 255) throw new RangeError('feed lines must be 0..255');
    return this.bytes(ESC, 0x64, lines);
  }

  cut(partial = false): this {
    return this.bytes(GS, 0x56, partial ? 1 : 0);
  }

  chinese(on: boolean): this {
    this.inChinese = on;
    return on ? this.bytes(FS, 0x26) : this.bytes(FS, 0x2e);
  }

  /** QR code, model 2, via GS ( k. size = module size 1..16. */
  qr(data: string, options: { size?: number; ecc?: QrEcc } = {}): this {
    const size = options.size ?? 6;
    const ecc = options.ecc ?? 'M';
    if (!Number.isInteger(size) || size < 1 || size > 16) throw new RangeError('QR module size must be 1..16');
    const payload = Buffer.from(data, 'utf8');
    if (payload.length === 0 || payload.length > QR_MAX_BYTES) throw new RangeError(`QR payload must be 1..${QR_MAX_BYTES} bytes`);
    const storeLen = payload.length + 3;
    this.bytes(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00);
    this.bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, size);
    this.bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, ECC[ecc]);
    this.bytes(GS, 0x28, 0x6b, storeLen & 0xff, storeLen >> 8, 0x31, 0x50, 0x30);
    this.parts.push(payload);
    return this.bytes(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30);
  }

  /** CODE128 code set B (printable ASCII); '{' is escaped as '{{'. */
  code128(data: string): this {
    if (!/^[\x20-\x7e]+$/u.test(data)) throw new RangeError('CODE128-B data must be printable ASCII');
    const body = Buffer.from('{B' + data.replace(/\{/gu, '{{'), 'latin1');
    if (body.length > 255) throw new RangeError('CODE128 data is too long');
    return this.bytes(GS, 0x6b, 73, body.length).push(body);
  }

  raw(bytes: Uint8Array): this {
    return this.push(Buffer.from(bytes));
  }

  op(op: EscPosOp): this {
    switch (op.op) {
      case 'init': return this.init();
      case 'align': return this.align(op.align);
      case 'bold': return this.bold(op.on);
      case 'size': return this.size(op.width, op.height);
      case 'text': return this.text(op.text);
      case 'newline': return this.bytes(0x0a);
      case 'feed': return this.feed(op.lines);
      case 'cut': return this.cut(op.partial);
      case 'chinese': return this.chinese(op.on);
      case 'qr': return this.qr(op.data, { size: op.size, ecc: op.ecc });
      case 'code128': return this.code128(op.data);
      case 'status': return this.bytes(0x10, 0x04, op.n);
      case 'unknown': return this.raw(Uint8Array.from(op.bytes));
    }
  }

  encode(): Buffer {
    return Buffer.concat(this.parts);
  }

  private bytes(...b: number[]): this {
    this.parts.push(Buffer.from(b));
    return this;
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
}

/** Drops control characters (keeps LF), normalises CRLF/CR to LF. */
export function sanitizeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/gu, '\n').replace(/[\x00-\x09\x0b-\x1f\x7f]/gu, '');
}

/** Columns a string takes on the printer: CJK and other wide characters take two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
