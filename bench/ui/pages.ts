// The bench's baseline pages, written into a folder next to the kiosk build:
//   · paint.html — static HTML, the attract screen's text in the same font files (the @font-face
//     rules of the kiosk's own CSS, pointing at its own woff2 files), a tap that shows a static
//     "home" with a help tile: what first paint and a tap cost with no app at all;
//   · typing.html — a plain <input> and plain <button> keys with the same data-skbtn names as the
//     on-screen keyboard, each key appending its letter: what typing costs with no app.
// Both use the kiosk's data-test names, so the same measuring code drives the kiosk and them.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The @font-face rules of the kiosk build's CSS, with font URLs under /assets/. */
export function fontFaces(kioskOut: string): string {
  const assets = join(kioskOut, 'assets');
  const css = readdirSync(assets)
    .filter((f) => f.endsWith('.css'))
    .map((f) => readFileSync(join(assets, f), 'utf8'))
    .join('\n');
  const faces = css.match(/@font-face\s*\{[^}]*\}/g) ?? [];
  if (faces.length === 0) throw new Error(`${assets}: no @font-face in the kiosk CSS`);
  return faces.map((f) => f.replace(/url\((["']?)\.\//g, 'url($1/assets/')).join('\n') + '\n';
}

const STYLE = `
html { font-family: 'Noto Sans SC', system-ui, sans-serif; font-size: 20px; }
body { margin: 0; }
[hidden] { display: none !important; }
button, input { font: inherit; min-height: 56px; min-width: 56px; border-radius: 12px; }
.attract { width: 100%; min-height: 100vh; border: 0; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 32px; background: #0b5cad; color: #fff; }
.big { font-size: 3.2rem; font-weight: 700; }
.tiles { display: grid; grid-template-columns: repeat(2, 1fr); gap: 24px; padding: 24px 32px; }
.tile { min-height: 200px; }
`;

const PAINT_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8" /><title>baseline</title>
<link rel="stylesheet" href="/fonts.css" /><link rel="stylesheet" href="/page.css" />
<script src="/paint.js" defer></script></head>
<body>
<button class="attract" data-test="attract"><span>示例银行 · Sample Bank</span><span class="big">欢迎 · Welcome</span><span>轻触屏幕开始 · Tap to start</span></button>
<main class="tiles" hidden><button class="tile" data-test="tile-help">帮助中心 Help</button><button class="tile">智能助手 Assistant</button></main>
</body></html>
`;
const PAINT_JS = `document.querySelector('[data-test=attract]').addEventListener('click', (e) => {
  e.currentTarget.hidden = true;
  document.querySelector('.tiles').hidden = false;
});
`;

const KEYS = 'qwertyuiopasdfghjklzxcvbnm';
const TYPING_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8" /><title>baseline typing</title>
<link rel="stylesheet" href="/fonts.css" /><link rel="stylesheet" href="/page.css" />
<script src="/typing.js" defer></script></head>
<body><main class="tiles"><input data-test="search-input" autocomplete="off" />
<div data-test="keyboard">${[...KEYS].map((k) => `<button data-skbtn="${k}">${k}</button>`).join('')}</div></main></body></html>
`;
const TYPING_JS = `const input = document.querySelector('[data-test=search-input]');
for (const b of document.querySelectorAll('[data-skbtn]')) b.addEventListener('click', () => { input.value += b.dataset.skbtn; });
`;

/** Writes the baseline pages into `dir` (served at /, with the kiosk build's assets at /assets/). */
export function writeBaselinePages(dir: string, kioskOut: string): { paint: string; typing: string } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fonts.css'), fontFaces(kioskOut));
  writeFileSync(join(dir, 'page.css'), STYLE);
  writeFileSync(join(dir, 'paint.html'), PAINT_HTML);
  writeFileSync(join(dir, 'paint.js'), PAINT_JS);
  writeFileSync(join(dir, 'typing.html'), TYPING_HTML);
  writeFileSync(join(dir, 'typing.js'), TYPING_JS);
  return { paint: '/paint.html', typing: '/typing.html' };
}
