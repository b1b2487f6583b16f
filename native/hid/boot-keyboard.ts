// Decoding reports of HID readers in data mode (PROTOCOLS.md §4): boot-keyboard layout
// `[modifier, 0, k1..k6]` (usages 04–1D a–z, 1E–26 1–9, 27 0, 28 Enter; shift = modifier 0x02/0x20),
// or plain ASCII bytes. Pure: no Node, no DOM.

const SHIFTED_DIGITS = '!@#$%^&*()';
const PUNCT: Record<number, [string, string]> = {
  0x2c: [' ', ' '], 0x2d: ['-', '_'], 0x2e: ['=', '+'], 0x2f: ['[', '{'], 0x30: [']', '}'], 0x31: ['\\', '|'],
  0x33: [';', ':'], 0x34: ["'", '"'], 0x35: ['`', '~'], 0x36: [',', '<'], 0x37: ['.', '>'], 0x38: ['/', '?'],
};

/** Character for a usage, '\n' for Enter, undefined for keys that type nothing. */
export function usageToChar(usage: number, shift: boolean): string | undefined {
  if (usage >= 0x04 && usage <= 0x1d) {
    const c = String.fromCharCode(0x61 + usage - 0x04);
    return shift ? c.toUpperCase() : c;
  }
  if (usage >= 0x1e && usage <= 0x27) {
    const i = usage - 0x1e;
    return shift ? SHIFTED_DIGITS[i] : String((i + 1) % 10);
  }
  if (usage === 0x28 || usage === 0x58) return '\n';
  const p = PUNCT[usage];
  return p ? p[shift ? 1 : 0] : undefined;
}

/**
 * Turns a stream of reports into lines (a scan ends with Enter). Keys count once per press: a key
 * still down in the next report is not repeated (boot reports list the keys currently held).
 */
export class HidLineDecoder {
  private held = new Set<number>();
  private line = '';

  constructor(private readonly format: 'boot-keyboard' | 'ascii' = 'boot-keyboard', private readonly offset = 0, private readonly maxLine = 1024) {}

  push(report: Uint8Array): string[] {
    const lines: string[] = [];
    const type = (ch: string): void => {
      if (ch === '\n' || ch === '\r') {
        if (this.line) lines.push(this.line);
        this.line = '';
      } else if (this.line.length < this.maxLine) this.line += ch;
    };
    if (this.format === 'ascii') {
      for (let i = this.offset; i < report.length; i++) {
        const b = report[i]!;
        if (b === 0) continue;
        if (b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f)) type(String.fromCharCode(b));
      }
      return lines;
    }
    const r = report.subarray(this.offset);
    if (r.length < 3) return lines;
    const shift = (r[0]! & 0x22) !== 0;
    const now = new Set<number>();
    for (let i = 2; i < Math.min(r.length, 8); i++) {
      const u = r[i]!;
      if (u <= 0x03) continue; // no key / rollover error
      now.add(u);
      if (!this.held.has(u)) {
        const ch = usageToChar(u, shift);
        if (ch !== undefined) type(ch);
      }
    }
    this.held = now;
    return lines;
  }
}
