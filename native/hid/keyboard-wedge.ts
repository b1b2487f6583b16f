// Keyboard-wedge reader detection (barcode/QR/RFID readers that type like a keyboard). node-hid cannot
// read such devices — the OS owns keyboards — so the renderer sees their input as key events.
// A reader types a whole code within a few milliseconds per key and ends with Enter; a person
// types far slower. This file is pure (no Node, no DOM) so the renderer can use it as is.

export interface WedgeOptions {
  /** Largest gap between keys of one scan (ms). Readers: 1–20 ms; people: 80+ ms. */
  maxGapMs?: number;
  /** Fewest characters a scan has (shorter bursts are treated as typing). */
  minLength?: number;
  /** Longest scan accepted. */
  maxLength?: number;
}

export type WedgeEvent =
  | { type: 'scan'; text: string }
  /** Keys that turned out to be typed by a person, in order (Enter included as '\n'). */
  | { type: 'typed'; keys: string[] };

export class KeyboardWedgeDetector {
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private keys: string[] = [];
  private lastAt = -Infinity;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 35;
    this.minLength = options.minLength ?? 4;
    this.maxLength = options.maxLength ?? 512;
  }

  /**
   * One key event: `key` as in KeyboardEvent.key ('a', '7', 'Enter', 'Shift'…), `at` in ms.
   * Modifier and other named keys are ignored; printable single characters are collected.
   */
  key(key: string, at: number): WedgeEvent[] {
    const out: WedgeEvent[] = [];
    const fast = at - this.lastAt <= this.maxGapMs;
    if (key === 'Enter') {
      if (fast && this.keys.length >= this.minLength && this.keys.length <= this.maxLength) {
        out.push({ type: 'scan', text: this.keys.join('') });
        this.keys = [];
      } else {
        out.push({ type: 'typed', keys: [...this.keys, '\n'] });
        this.keys = [];
      }
      this.lastAt = -Infinity;
      return out;
    }
    if ([...key].length !== 1) return out;
    if (!fast && this.keys.length > 0) {
      out.push({ type: 'typed', keys: this.keys });
      this.keys = [];
    }
    this.keys.push(key);
    this.lastAt = at;
    return out;
  }

  /** Call from a timer: keys held longer than the gap were typed by a person. */
  idle(now: number): WedgeEvent[] {
    if (this.keys.length === 0 || now - this.lastAt <= this.maxGapMs) return [];
    const keys = this.keys;
    this.keys = [];
    this.lastAt = -Infinity;
    return [{ type: 'typed', keys }];
  }

  /** Whether keys are being held back (the UI should not echo them yet). */
  get holding(): boolean {
    return this.keys.length > 0;
  }
}
