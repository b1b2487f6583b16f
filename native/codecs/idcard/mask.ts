// Display masks for personal data (PRODUCT.md: "Name shown masked (张*三), ID number masked").
// Pure string functions, safe to use anywhere, including the renderer.

/** 张小三 → 张*三, 张三 → 张*, 欧阳明月 → 欧**月. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** 110101199003071234 → 1101**********1234. Short or odd inputs are masked entirely. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 10) return '*'.repeat(s.length);
  return s.slice(0, 4) + '*'.repeat(s.length - 8) + s.slice(-4);
}
