// ESC/POS bytes → operations, incrementally (the printer simulator feeds it socket chunks) and
// tolerant: commands it does not model become { op: 'unknown' } and never stop the decode. Text is
// decoded as GB18030 inside FS & … FS ., ASCII (latin1) outside it.
import iconv from 'iconv-lite';
import type { EscPosOp, QrEcc } from './ops.ts';

const ECC_BY_BYTE: Record<number, QrEcc> = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' };
const ALIGN_BY_BYTE = ['left', 'center', 'right'] as const;
/** Commands with one parameter byte that we keep as 'unknown' (so the transcript stays faithful). */
const ESC_ONE_PARAM = new Set([0x21, 0x2d, 0x33, 0x47, 0x4a, 0x4d, 0x52, 0x56, 0x74, 0x7b, 0x20, 0x55, 0x63]);
const GS_ONE_PARAM = new Set([0x42, 0x48, 0x68, 0x77, 0x66, 0x62, 0x61, 0x49, 0x72]);
const FS_ONE_PARAM = new Set([0x21, 0x2d, 0x57]);

const NEED_MORE = -1;

export class EscPosDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private text: number[] = [];
  private chinese = false;
  private qr = { size: 3, ecc: 'L' as QrEcc, data: undefined as Buffer | undefined };

  /** Bytes held back because a command is incomplete. */
  get pendingBytes(): number {
    return this.pending.length + this.text.length;
  }

  push(chunk: Uint8Array): EscPosOp[] {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    const ops: EscPosOp[] = [];
    let i = 0;
    while (i < buf.length) {
      const b = buf[i]!;
      if (b >= 0x20) {
        this.text.push(b);
        i++;
        continue;
      }
      this.flushText(ops);
      const used = this.command(buf, i, ops);
      if (used === NEED_MORE) break;
      i += used;
    }
    this.pending = Buffer.from(buf.subarray(i));
    return ops;
  }

  /** End of input: pending text becomes an op, an incomplete command becomes 'unknown'. */
  end(): EscPosOp[] {
    const ops: EscPosOp[] = [];
    this.flushText(ops);
    if (this.pending.length) ops.push({ op: 'unknown', bytes: [...this.pending] });
    this.pending = Buffer.alloc(0);
    return ops;
  }

  private flushText(ops: EscPosOp[]): void {
    if (this.text.length === 0) return;
    const bytes = Buffer.from(this.text);
    this.text = [];
    ops.push({ op: 'text', text: this.chinese ? iconv.decode(bytes, 'gb18030') : bytes.toString('latin1') });
  }

  /** Decodes the command at buf[i]; returns bytes used or NEED_MORE. */
  private command(buf: Buffer, i: number, ops: EscPosOp[]): number {
    const avail = buf.length - i;
    const at = (k: number): number => buf[i + k]!;
    const unknown = (n: number): number => {
      if (avail < n) return NEED_MORE;
      ops.push({ op: 'unknown', bytes: [...buf.subarray(i, i + n)] });
      return n;
    };
    const b = at(0);
    if (b === 0x0a) {
      ops.push({ op: 'newline' });
      return 1;
    }
    if (b === 0x1b || b === 0x1d || b === 0x1c || b === 0x10) {
      if (avail < 2) return NEED_MORE;
      const c = at(1);
      if (b === 0x1b) return this.esc(c, buf, i, ops, unknown);
      if (b === 0x1d) return this.gs(c, buf, i, ops, unknown);
      if (b === 0x1c) {
        if (c === 0x26) { this.chinese = true; ops.push({ op: 'chinese', on: true }); return 2; }
        if (c === 0x2e) { this.chinese = false; ops.push({ op: 'chinese', on: false }); return 2; }
        return unknown(FS_ONE_PARAM.has(c) ? 3 : 2);
      }
      // DLE
      if (c === 0x04) {
        if (avail < 3) return NEED_MORE;
        const n = at(2);
        if (n >= 1 && n <= 4) { ops.push({ op: 'status', n: n as 1 | 2 | 3 | 4 }); return 3; }
        return unknown(3);
      }
      return unknown(2);
    }
    return unknown(1);
  }

  private esc(c: number, buf: Buffer, i: number, ops: EscPosOp[], unknown: (n: number) => number): number {
    const avail = buf.length - i;
    if (c === 0x40) {
      this.chinese = false;
      ops.push({ op: 'init' });
      return 2;
    }
    if (c === 0x61 || c === 0x45 || c === 0x64) {
      if (avail < 3) return NEED_MORE;
      const n = buf[i + 2]!;
      if (c === 0x61) {
        const align = ALIGN_BY_BYTE[n >= 0x30 ? n - 0x30 : n];
        if (!align) return unknown(3);
        ops.push({ op: 'align', align });
      } else if (c === 0x45) ops.push({ op: 'bold', on: (n & 1) === 1 });
      else ops.push({ op: 'feed', lines: n });
      return 3;
    }
    if (c === 0x70) return unknown(5); // ESC p m t1 t2 (drawer kick)
    if (c === 0x32 || c === 0x3c) return unknown(2);
    return unknown(ESC_ONE_PARAM.has(c) ? 3 : 2);
  }

  private gs(c: number, buf: Buffer, i: number, ops: EscPosOp[], unknown: (n: number) => number): number {
    const avail = buf.length - i;
    const at = (k: number): number => buf[i + k]!;
    if (c === 0x21) {
      if (avail < 3) return NEED_MORE;
      const n = at(2);
      ops.push({ op: 'size', width: ((n >> 4) & 0x07) + 1, height: (n & 0x07) + 1 });
      return 3;
    }
    if (c === 0x56) {
      if (avail < 3) return NEED_MORE;
      const m = at(2);
      if (m === 0 || m === 0x30) { ops.push({ op: 'cut', partial: false }); return 3; }
      if (m === 1 || m === 0x31) { ops.push({ op: 'cut', partial: true }); return 3; }
      if (m === 65 || m === 66) {
        if (avail < 4) return NEED_MORE;
        if (at(3) > 0) ops.push({ op: 'feed', lines: 0 });
        ops.push({ op: 'cut', partial: m === 66 });
        return 4;
      }
      return unknown(3);
    }
    if (c === 0x6b) {
      if (avail < 3) return NEED_MORE;
      const m = at(2);
      if (m <= 6) {
        const end = buf.indexOf(0, i + 3);
        if (end < 0) return NEED_MORE;
        return unknown(end - i + 1);
      }
      if (avail < 4) return NEED_MORE;
      const n = at(3);
      if (avail < 4 + n) return NEED_MORE;
      const data = buf.subarray(i + 4, i + 4 + n).toString('latin1');
      if (m === 73 && data.startsWith('{B')) {
        ops.push({ op: 'code128', data: data.slice(2).replace(/\{\{/gu, '{') });
        return 4 + n;
      }
      return unknown(4 + n);
    }
    if (c === 0x28) {
      if (avail < 5) return NEED_MORE;
      const len = at(3) | (at(4) << 8);
      if (avail < 5 + len) return NEED_MORE;
      if (at(2) === 0x6b && len >= 3 && at(5) === 0x31) this.qrFunction(at(6), buf.subarray(i + 7, i + 5 + len), ops);
      else ops.push({ op: 'unknown', bytes: [...buf.subarray(i, i + 5 + len)] });
      return 5 + len;
    }
    return unknown(GS_ONE_PARAM.has(c) ? 3 : 2);
  }

  private qrFunction(fn: number, params: Buffer, ops: EscPosOp[]): void {
    switch (fn) {
      case 0x41: return; // model
      case 0x43: this.qr.size = params[0] ?? this.qr.size; return;
      case 0x45: this.qr.ecc = ECC_BY_BYTE[params[0] ?? 0] ?? this.qr.ecc; return;
      case 0x50: this.qr.data = Buffer.from(params.subarray(1)); return;
      case 0x51:
        if (this.qr.data) ops.push({ op: 'qr', data: this.qr.data.toString('utf8'), size: this.qr.size, ecc: this.qr.ecc });
        return;
      default: ops.push({ op: 'unknown', bytes: [0x1d, 0x28, 0x6b, fn, ...params] });
    }
  }
}

export function decodeEscPos(bytes: Uint8Array): EscPosOp[] {
  const d = new EscPosDecoder();
  return [...d.push(bytes), ...d.end()];
}

/**
 * A readable transcript: printed text line by line, and one bracketed line per non-text element,
 * e.g. `[QR M 6] https://…`, `[CODE128] R-2024-0001`, `[CUT]`. Style changes are not shown.
 */
export function renderTranscript(ops: readonly EscPosOp[]): string {
  const lines: string[] = [];
  let current = '';
  let open = false;
  const flush = (): void => {
    if (open) lines.push(current);
    current = '';
    open = false;
  };
  for (const op of ops) {
    switch (op.op) {
      case 'text': current += op.text; open = true; break;
      case 'newline': open = true; flush(); break;
      case 'qr': flush(); lines.push(`[QR ${op.ecc} ${op.size}] ${op.data}`); break;
      case 'code128': flush(); lines.push(`[CODE128] ${op.data}`); break;
      case 'cut': flush(); lines.push(op.partial ? '[PARTIAL CUT]' : '[CUT]'); break;
      case 'feed': flush(); if (op.lines > 0) lines.push(`[FEED ${op.lines}]`); break;
      case 'unknown': flush(); lines.push(`[? ${op.bytes.slice(0, 16).map((x) => x.toString(16).padStart(2, '0')).join(' ')}${op.bytes.length > 16 ? ' …' : ''}]`); break;
      default: break;
    }
  }
  flush();
  return lines.join('\n');
}
