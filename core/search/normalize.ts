// Text normalisation shared by indexing and querying: NFKC (full-width → half-width, compatibility
// forms), lower case, traditional → simplified Chinese (opencc-js: OpenCC's maintained tables), and
// whitespace folding. Both sides must agree, so everything goes through normalize().
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Convert = (s: string) => string;
let t2s: Convert | undefined;

function toSimplified(text: string): string {
  if (!t2s) {
    const OpenCC = require('opencc-js') as { Converter(o: { from: string; to: string }): Convert };
    t2s = OpenCC.Converter({ from: 't', to: 'cn' });
  }
  // OpenCC's table has a few chains (薴 → 苧 → 苎): convert again until nothing changes, so that
  // normalize() is idempotent. Text that was already simplified costs one pass, as before.
  let out = t2s(text);
  for (let i = 0; i < 3 && out !== text; i++) {
    text = out;
    out = t2s(text);
  }
  return out;
}

const HAN = /\p{Script=Han}/u;
const CONTROL = /[\p{Cc}\p{Cf}]/gu;

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** Normalised text; never throws, bounded by `maxLength` characters (hostile input). */
export function normalize(text: string, maxLength = 100_000): string {
  let s = text.length > maxLength ? text.slice(0, maxLength) : text;
  s = s.normalize('NFKC').toLowerCase().replace(CONTROL, ' ');
  if (hasHan(s)) s = toSimplified(s);
  return s.replace(/\s+/g, ' ').trim();
}
