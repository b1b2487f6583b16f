// Pinyin for Chinese text (pinyin-pro: context-aware readings for polyphonic characters), toneless.
// "Fuzzy" syllables fold the distinctions many speakers and IMEs blur (z/zh, c/ch, s/sh, n/l,
// -in/-ing, -en/-eng, -an/-ang), so a homophone or near-homophone typo still matches.
import { pinyin } from 'pinyin-pro';

/** One toneless syllable per character of a run of Han characters. */
export function syllables(hanRun: string): string[] {
  if (!hanRun) return [];
  return pinyin(hanRun, { toneType: 'none', type: 'array', v: true }).map((s) => s.toLowerCase());
}

export function fuzzySyllable(s: string): string {
  return s
    .replace(/^([zcs])h/, '$1')
    .replace(/^l/, 'n')
    .replace(/(i|e|a)ng$/, '$1n');
}

/** Full pinyin and initials of a phrase, for suggestions: 密码找回 → mimazhaohui / mmzh. */
export function pinyinKeys(text: string): { full: string; initials: string } {
  const han = [...text].filter((ch) => /\p{Script=Han}/u.test(ch)).join('');
  if (!han) return { full: '', initials: '' };
  const syl = pinyin(han, { toneType: 'none', type: 'array', v: true });
  return { full: syl.join('').toLowerCase(), initials: syl.map((s) => s[0] ?? '').join('').toLowerCase() };
}
