// Receipt template + data → ESC/POS operations. Pure: the loader that reads resources/receipts is
// in native/drivers/receipts.ts.
import type { ReceiptBlock, ReceiptData, ReceiptTemplate } from '../../../contracts/device-receipt.ts';
import { DeviceError } from '../../errors.ts';
import { EscPosBuilder, displayWidth, sanitizeText } from './builder.ts';
import type { EscPosOp } from './ops.ts';

export class ReceiptTemplateError extends DeviceError {
  override name = 'ReceiptTemplateError';
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/gu;

/** Field names a template needs (outside `when` blocks they are required). */
export function templateFields(t: ReceiptTemplate): { required: string[]; optional: string[] } {
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const b of t.blocks) {
    const texts = b.type === 'text' ? [b.text] : b.type === 'pair' ? [b.label, b.value] : b.type === 'qr' || b.type === 'code128' ? [b.data] : [];
    const when = 'when' in b ? b.when : undefined;
    for (const s of texts) for (const m of s.matchAll(PLACEHOLDER)) (when ? optional : required).add(m[1]!);
    if (when) optional.add(when);
  }
  for (const r of required) optional.delete(r);
  return { required: [...required].sort(), optional: [...optional].sort() };
}

function fill(s: string, data: ReceiptData): string {
  return s.replace(PLACEHOLDER, (_m, name: string) => String(data[name] ?? ''));
}

const present = (data: ReceiptData, name: string | undefined): boolean =>
  name === undefined || (data[name] !== undefined && String(data[name]).trim() !== '');

/** Greedy wrap by display columns (CJK = 2); words are kept whole when they fit on a line. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let lineW = 0;
    const tokens = para.match(/[\x21-\x7e]+|\s|[^\s\x21-\x7e]/gu) ?? [];
    for (const tok of tokens) {
      const w = displayWidth(tok);
      if (lineW + w <= width) {
        line += tok;
        lineW += w;
        continue;
      }
      if (line.trim()) out.push(line.trimEnd());
      line = '';
      lineW = 0;
      if (/^\s$/u.test(tok)) continue;
      for (const ch of w > width ? [...tok] : [tok]) {
        const cw = displayWidth(ch);
        if (lineW + cw > width) {
          out.push(line);
          line = '';
          lineW = 0;
        }
        line += ch;
        lineW += cw;
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

function pairLine(label: string, value: string, width: number): string[] {
  const lw = displayWidth(label);
  const vw = displayWidth(value);
  if (lw + 1 + vw <= width) return [label + ' '.repeat(width - lw - vw) + value];
  return [...wrapText(label, width), ...wrapText(value, width).map((l) => ' '.repeat(Math.max(0, width - displayWidth(l))) + l)];
}

export function renderReceipt(t: ReceiptTemplate, data: ReceiptData): EscPosOp[] {
  const { required } = templateFields(t);
  const missing = required.filter((f) => !present(data, f));
  if (missing.length) throw new ReceiptTemplateError('receipt-missing-fields', `receipt '${t.id}' needs: ${missing.join(', ')}`, 'printer');
  const ops: EscPosOp[] = [{ op: 'init' }];
  const width = t.width;
  const block = (b: ReceiptBlock): void => {
    if ('when' in b && !present(data, b.when)) return;
    switch (b.type) {
      case 'text': {
        const size = b.size ?? [1, 1];
        ops.push({ op: 'align', align: b.align ?? 'left' });
        if (b.bold) ops.push({ op: 'bold', on: true });
        if (size[0] !== 1 || size[1] !== 1) ops.push({ op: 'size', width: size[0], height: size[1] });
        for (const l of wrapText(sanitizeText(fill(b.text, data)), Math.max(1, Math.floor(width / size[0])))) ops.push({ op: 'text', text: l }, { op: 'newline' });
        if (size[0] !== 1 || size[1] !== 1) ops.push({ op: 'size', width: 1, height: 1 });
        if (b.bold) ops.push({ op: 'bold', on: false });
        return;
      }
      case 'pair':
        ops.push({ op: 'align', align: 'left' });
        for (const l of pairLine(sanitizeText(fill(b.label, data)), sanitizeText(fill(b.value, data)), width)) ops.push({ op: 'text', text: l }, { op: 'newline' });
        return;
      case 'rule':
        ops.push({ op: 'align', align: 'left' }, { op: 'text', text: (b.char ?? '-').repeat(width) }, { op: 'newline' });
        return;
      case 'qr':
        ops.push({ op: 'align', align: b.align ?? 'center' }, { op: 'qr', data: fill(b.data, data), size: b.size ?? 6, ecc: b.ecc ?? 'M' }, { op: 'newline' });
        return;
      case 'code128':
        ops.push({ op: 'align', align: b.align ?? 'center' }, { op: 'code128', data: fill(b.data, data) }, { op: 'newline' });
        return;
      case 'feed':
        ops.push({ op: 'feed', lines: b.lines });
        return;
      case 'cut':
        ops.push({ op: 'cut', partial: b.partial ?? false });
        return;
    }
  };
  for (const b of t.blocks) block(b);
  return ops;
}

export function encodeOps(ops: readonly EscPosOp[]): Buffer {
  const b = new EscPosBuilder();
  for (const op of ops) {
    try {
      b.op(op);
    } catch (err) {
      throw new ReceiptTemplateError('receipt-invalid', `receipt element '${op.op}' is invalid: ${(err as Error).message}`, 'printer', { cause: err });
    }
  }
  return b.encode();
}
