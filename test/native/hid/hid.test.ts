import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HidLineDecoder, usageToChar } from '../../../native/hid/boot-keyboard.ts';
import { HidReader } from '../../../native/hid/hid-reader.ts';
import { KeyboardWedgeDetector, type WedgeEvent } from '../../../native/hid/keyboard-wedge.ts';
import { FUZZ_RUNS } from '../helpers.ts';

const report = (mod: number, ...keys: number[]): Buffer => Buffer.from([mod, 0, ...keys, ...Array(6 - keys.length).fill(0)]);

describe('boot keyboard reports (PROTOCOLS.md §4)', () => {
  it('maps usages 04–1D, 1E–27, 28 and shift', () => {
    expect(usageToChar(0x04, false)).toBe('a');
    expect(usageToChar(0x1d, false)).toBe('z');
    expect(usageToChar(0x04, true)).toBe('A');
    expect(usageToChar(0x1e, false)).toBe('1');
    expect(usageToChar(0x26, false)).toBe('9');
    expect(usageToChar(0x27, false)).toBe('0');
    expect(usageToChar(0x1e, true)).toBe('!');
    expect(usageToChar(0x28, false)).toBe('\n');
    expect(usageToChar(0x2d, false)).toBe('-');
    expect(usageToChar(0x3a, false)).toBeUndefined();
  });

  it('decodes a scan: each key once per press, held keys not repeated, Enter ends the line', () => {
    const d = new HidLineDecoder();
    const lines = [
      report(0x02, 0x0b), report(0x02, 0x0b), report(0), // H (held across two reports)
      report(0, 0x08), report(0), report(0, 0x0f), report(0), report(0, 0x0f), report(0), report(0, 0x12), // e l l o
      report(0, 0x12, 0x1e), report(0), report(0, 0x28), report(0),
    ].flatMap((r) => d.push(r));
    expect(lines).toEqual(['Hello1']);
  });

  it('ascii format: bytes after the offset, CR/LF end a line', () => {
    const d = new HidLineDecoder('ascii', 1);
    expect([...d.push(Buffer.from([0x02, 0x41, 0x42, 0x00])), ...d.push(Buffer.from([0x02, 0x43, 0x0d, 0x00]))]).toEqual(['ABC']);
  });

  it('never throws on arbitrary reports (fuzz)', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), fc.constantFrom('boot-keyboard' as const, 'ascii' as const), (reports, format) => {
      const d = new HidLineDecoder(format);
      for (const r of reports) for (const line of d.push(r)) expect(typeof line).toBe('string');
    }), { numRuns: FUZZ_RUNS });
  });

  it('HidReader emits scans from an injected device and reports unplug', async () => {
    const dev = Object.assign(new EventEmitter(), { closed: false, close() { this.closed = true; } });
    const reader = await HidReader.open({ vendorId: 1, productId: 2 }, async () => dev);
    const scans: string[] = [];
    let closedWith: unknown;
    reader.on('scan', (s: string) => scans.push(s));
    reader.on('close', (e: unknown) => (closedWith = e));
    for (const r of [report(0, 0x1f), report(0), report(0, 0x28), report(0)]) dev.emit('data', r);
    expect(scans).toEqual(['2']);
    dev.emit('error', new Error('could not read from HID device'));
    expect(closedWith).toMatchObject({ code: 'disconnected' });
    expect(dev.closed).toBe(true);
    await expect(HidReader.open({ vendorId: 1, productId: 2 }, async () => { throw new Error('cannot open device with vendor id 0x1 and product id 0x2'); }))
      .rejects.toMatchObject({ code: 'open-failed' });
  });
});

describe('keyboard-wedge detector (renderer-safe)', () => {
  const typeAll = (d: KeyboardWedgeDetector, keys: [string, number][]): WedgeEvent[] => keys.flatMap(([k, t]) => d.key(k, t));

  it('a fast burst ending in Enter is a scan', () => {
    const d = new KeyboardWedgeDetector();
    const keys: [string, number][] = [...'1234567890'].map((k, i) => [k, 1000 + i * 8]);
    expect(typeAll(d, [...keys, ['Enter', 1085]])).toEqual([{ type: 'scan', text: '1234567890' }]);
  });

  it('a person typing is passed through, with Enter', () => {
    const d = new KeyboardWedgeDetector();
    expect(typeAll(d, [['a', 0], ['b', 150], ['c', 320], ['Enter', 500]])).toEqual([
      { type: 'typed', keys: ['a'] }, { type: 'typed', keys: ['b'] }, { type: 'typed', keys: ['c', '\n'] },
    ]);
  });

  it('short bursts are typing; a slow key in a burst splits it; modifiers are ignored', () => {
    const d = new KeyboardWedgeDetector({ minLength: 4 });
    expect(typeAll(d, [['a', 0], ['b', 5], ['Enter', 10]])).toEqual([{ type: 'typed', keys: ['a', 'b', '\n'] }]);
    expect(typeAll(d, [['Shift', 100], ['X', 101], ['Y', 105], ['Z', 109], ['W', 113], ['Enter', 117]])).toEqual([{ type: 'scan', text: 'XYZW' }]);
    expect(typeAll(d, [['1', 200], ['2', 204], ['3', 400], ['4', 404], ['5', 408], ['6', 412], ['Enter', 416]])).toEqual([
      { type: 'typed', keys: ['1', '2'] }, { type: 'scan', text: '3456' },
    ]);
  });

  it('idle releases held keys as typing', () => {
    const d = new KeyboardWedgeDetector();
    d.key('q', 0);
    expect(d.holding).toBe(true);
    expect(d.idle(10)).toEqual([]);
    expect(d.idle(100)).toEqual([{ type: 'typed', keys: ['q'] }]);
    expect(d.holding).toBe(false);
  });

  it('no key is ever lost or duplicated (fuzz)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', '1', 'Enter', 'Shift'), fc.integer({ min: 0, max: 120 })), { maxLength: 40 }), (steps) => {
      const d = new KeyboardWedgeDetector();
      let t = 0;
      const events: WedgeEvent[] = [];
      const typed: string[] = [];
      for (const [k, gap] of steps) {
        t += gap;
        events.push(...d.key(k, t));
        if (k !== 'Shift') typed.push(k === 'Enter' ? '\n' : k);
      }
      events.push(...d.idle(t + 1000));
      const seen = events.flatMap((e) => (e.type === 'scan' ? [...e.text, '\n'] : e.keys));
      expect(seen).toEqual(typed);
    }), { numRuns: FUZZ_RUNS });
  });

  it('has no imports at all (usable in the sandboxed renderer)', () => {
    for (const f of ['keyboard-wedge.ts', 'boot-keyboard.ts']) {
      const src = readFileSync(new URL(`../../../native/hid/${f}`, import.meta.url), 'utf8');
      expect(src).not.toMatch(/^\s*import\s/mu);
      expect(src).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b/u);
    }
  });
});
