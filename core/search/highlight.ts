// Highlighted text as segments, never HTML: the renderer makes text nodes and <mark>s from them, so
// article text cannot inject markup. toSafeHtml() is for the CLI preview and tests.
export interface TextSegment {
  text: string;
  hit: boolean;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function toSafeHtml(segments: readonly TextSegment[]): string {
  return segments.map((s) => (s.hit ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text))).join('');
}

/** Marks every occurrence of any needle in `text` (case-insensitive), longest needles first. */
export function highlight(text: string, needles: readonly string[]): TextSegment[] {
  const terms = [...new Set(needles.filter((n) => n.length > 0))].sort((a, b) => b.length - a.length);
  if (!text) return [];
  if (terms.length === 0) return [{ text, hit: false }];
  const lower = text.toLowerCase();
  const hits = new Uint8Array(text.length);
  for (const term of terms) {
    const t = term.toLowerCase();
    for (let i = lower.indexOf(t); i !== -1; i = lower.indexOf(t, i + t.length)) hits.fill(1, i, i + t.length);
  }
  const out: TextSegment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || hits[i] !== hits[start]) {
      out.push({ text: text.slice(start, i), hit: hits[start] === 1 });
      start = i;
    }
  }
  return out;
}

/** A window of about `width` characters around the densest hits of `text`, with ellipses. */
export function snippet(text: string, needles: readonly string[], width = 80): TextSegment[] {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (plain.length <= width) return highlight(plain, needles);
  const lower = plain.toLowerCase();
  let best = 0;
  let bestScore = -1;
  const positions: number[] = [];
  for (const n of needles) {
    if (!n) continue;
    for (let i = lower.indexOf(n.toLowerCase()); i !== -1 && positions.length < 500; i = lower.indexOf(n.toLowerCase(), i + 1)) positions.push(i);
  }
  positions.sort((a, b) => a - b);
  for (const p of positions) {
    const score = positions.filter((q) => q >= p && q < p + width).length;
    if (score > bestScore) {
      bestScore = score;
      best = Math.max(0, p - Math.floor(width / 4));
    }
  }
  const end = Math.min(plain.length, best + width);
  const segs = highlight(plain.slice(best, end), needles);
  if (best > 0) segs.unshift({ text: '…', hit: false });
  if (end < plain.length) segs.push({ text: '…', hit: false });
  return segs;
}
