// Properties of the analyser over arbitrary text: it never throws, is deterministic, and only ever
// emits tokens that FTS5's ascii tokenizer keeps whole (so no user text can become query syntax).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../core/search/analyze.ts';
import { Lexicon } from '../../../core/search/lexicon-index.ts';
import { normalize } from '../../../core/search/normalize.ts';

const lexicon = new Lexicon([{ key: 'k1', terms: ['银行卡', '储蓄卡'] }]);
const RUNS = process.env.SOAK ? 100_000 : 2_000;
// FTS5's ascii tokenizer keeps [a-z0-9_] (tokenchars) and every non-ASCII character inside a token.
const SAFE_TOKEN = /^(?:[a-z0-9_]|\P{ASCII})+$/u;

// Text a customer, a bundle or an attacker could produce: CJK, latin, digits, FTS operators, emoji, controls.
const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('密码', '找回', '怎么办', '银行卡', '储蓄卡', '花唄', 'ＡＢＣ', '"', '*', 'AND', 'NEAR(', 'OR', '^', ':', '(', ')', '\u0000', '😀', '\ud800', ' '),
);
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

describe('analyze (property)', () => {
  it('never throws and emits only whole-token characters', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (t, fuzzy) => {
        const a = analyze(t, lexicon, { fuzzy });
        for (const tokens of Object.values(a)) for (const token of tokens) expect(token).toMatch(SAFE_TOKEN);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(analyze(t, lexicon, { fuzzy: true })).toEqual(analyze(t, lexicon, { fuzzy: true }));
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('normalize is idempotent', () => {
    fc.assert(
      fc.property(text, (t) => {
        const once = normalize(t);
        expect(normalize(once)).toBe(once);
      }),
      { numRuns: RUNS },
    );
    // Found by the property above (seed -898597830): OpenCC maps 薴 → 苧 and 苧 → 苎.
    for (const chain of ['薴', '苧', '薴苧苎']) expect(normalize(normalize(chain))).toBe(normalize(chain));
  });

  it('known examples', () => {
    const a = analyze('银行卡密码忘了怎么办', lexicon, { fuzzy: true });
    expect(a.words).toContain('银行卡');
    expect(a.bigrams).toContain('密码');
    expect(a.unigrams).not.toContain('了');
    expect(a.concepts).toEqual(expect.arrayContaining(['qw_how', 'syn_k1']));
    expect(a.fuzzy).toContain('py_mi_ma');
    // Traditional and simplified meet.
    expect(analyze('密碼', lexicon).bigrams).toEqual(['密码']);
  });
});
