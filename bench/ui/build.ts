// Builds for the UI bench: the kiosk renderer (its own vite config, into a folder of the bench's
// so running E2E tests keep out/renderer) and a minimal Vue 3 app built the same way (same plugin,
// target and asset settings), and what the first screen of a build loads: the entry's script, its
// modulepreloads and the static import graph with their CSS — never chunks imported lazily.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { z } from 'zod';
import { RENDERER_CONFIG, ROOT_DIR } from '../../core/browser-mode/build.ts';
import { rendererConfig } from '../../renderer/vite.config.ts';

/** Vite's .vite/manifest.json: one entry per chunk, keyed by source; `imports` are static. */
const Manifest = z.record(
  z.string(),
  z.object({
    file: z.string(),
    isEntry: z.boolean().optional(),
    imports: z.array(z.string()).optional(),
    dynamicImports: z.array(z.string()).optional(),
    css: z.array(z.string()).optional(),
  }),
);

export interface LoadedFile {
  file: string;
  kind: 'js' | 'css';
  bytes: number;
  gzipBytes: number;
  /** How the first screen reaches it: the HTML entry, a modulepreload, a static import, or CSS. */
  via: string;
  /** CSS only: gzip size of its @font-face rules alone (the bundled CJK font's subsets). */
  fontFaceGzipBytes?: number;
}

export interface FirstScreen {
  files: LoadedFile[];
  jsGzip: number;
  cssGzip: number;
  /** Of cssGzip: the @font-face rules (compressed on their own). */
  fontFaceGzip: number;
  totalGzip: number;
  totalBytes: number;
  /** Chunks only reachable through import(): not loaded by the first screen. */
  lazyChunks: string[];
}

async function viteBuild(config: Record<string, unknown>): Promise<void> {
  const { build } = await import('vite');
  await build({ logLevel: 'silent', ...config });
}

/** Per chunk: which packages (or the app's own sources) its code comes from, rendered bytes. */
export type ChunkContents = Record<string, Record<string, number>>;

interface RenderedChunk {
  type: string;
  fileName: string;
  modules?: Record<string, { renderedLength: number }>;
}

/** node_modules/<pkg> (scoped too) or the repo folder a module comes from. */
export function moduleOrigin(id: string): string {
  const path = id.replace(/^\0/, '').replace(/\?.*$/, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  const rel = path.startsWith(ROOT_DIR) ? path.slice(ROOT_DIR.length) : path;
  const top = rel.split('/').slice(0, rel.startsWith('renderer/src/') ? 3 : 1).join('/');
  return top || '(virtual)';
}

/** The kiosk renderer, built with renderer/vite.config.ts into `outDir` (plus a manifest);
 *  returns what each JS chunk is made of (rendered, before minification). */
export async function buildKioskRenderer(outDir: string): Promise<ChunkContents> {
  const contents: ChunkContents = {};
  const collect = {
    name: 'bench-ui-chunk-contents',
    generateBundle(_options: unknown, bundle: Record<string, RenderedChunk>) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.modules) continue;
        const by: Record<string, number> = (contents[chunk.fileName] = {});
        for (const [id, m] of Object.entries(chunk.modules)) by[moduleOrigin(id)] = (by[moduleOrigin(id)] ?? 0) + m.renderedLength;
      }
    },
  };
  await viteBuild({ configFile: RENDERER_CONFIG, plugins: [collect], build: { outDir, emptyOutDir: true, manifest: true } });
  return contents;
}

const BASELINE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>baseline</title></head>
<body><div id="app"></div><script type="module" src="./main.ts"></script></body></html>
`;
const BASELINE_MAIN = `import { createApp } from 'vue';
import App from './App.vue';
createApp(App).mount('#app');
`;
const BASELINE_APP = `<script setup lang="ts">
import { ref } from 'vue';
const n = ref(0);
</script>
<template><button data-test="attract" @click="n++">Tap {{ n }}</button></template>
`;

/** A minimal Vue 3 app (one SFC, one ref) built with the renderer's plugins, target and asset
 *  settings. Its sources live under the repo's out/ so that 'vue' resolves from node_modules. */
export async function buildBaselineVue(outDir: string): Promise<void> {
  const src = join(ROOT_DIR, 'out', 'bench-ui', 'baseline-vue-src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'index.html'), BASELINE_HTML);
  writeFileSync(join(src, 'main.ts'), BASELINE_MAIN);
  writeFileSync(join(src, 'App.vue'), BASELINE_APP);
  const { build: rb, define } = rendererConfig;
  await viteBuild({
    configFile: false,
    root: src,
    base: './',
    plugins: [vue()],
    define,
    build: { ...rb, outDir, emptyOutDir: true, manifest: true, rollupOptions: { input: join(src, 'index.html') } },
  });
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];

/** Script/link URLs the built index.html makes the browser fetch at once. */
export function htmlEntries(html: string): { scripts: string[]; preloads: string[]; styles: string[] } {
  const scripts: string[] = [];
  const preloads: string[] = [];
  const styles: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src && attr(tag, 'type') === 'module') scripts.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attr(tag, 'rel');
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel === 'modulepreload') preloads.push(href);
    if (rel === 'stylesheet') styles.push(href);
  }
  return { scripts, preloads, styles };
}

const clean = (url: string) => posix.normalize(url.replace(/^\.\//, '').replace(/[?#].*$/, ''));

/** What the first screen of the build in `outDir` loads (JS + CSS, sizes raw and gzip -9). */
export function firstScreen(outDir: string): FirstScreen {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const manifest = Manifest.parse(JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')));
  const byFile = new Map(Object.entries(manifest).map(([key, chunk]) => [chunk.file, { key, chunk }]));
  const entries = htmlEntries(html);
  if (entries.scripts.length === 0) throw new Error(`${join(outDir, 'index.html')}: no <script type="module" src>`);

  const seen = new Map<string, string>();
  const visit = (file: string, via: string) => {
    if (seen.has(file)) return;
    seen.set(file, via);
    const node = byFile.get(file);
    if (!node) return; // a file the manifest does not list (copied from public/)
    for (const css of node.chunk.css ?? []) if (!seen.has(css)) seen.set(css, `css of ${file}`);
    for (const key of node.chunk.imports ?? []) {
      const dep = manifest[key];
      if (!dep) throw new Error(`manifest: ${key} (imported by ${file}) is not listed`);
      visit(dep.file, `import from ${file}`);
    }
  };
  for (const s of entries.scripts) visit(clean(s), 'html entry');
  for (const p of entries.preloads) visit(clean(p), 'modulepreload');
  for (const s of entries.styles) if (!seen.has(clean(s))) seen.set(clean(s), 'html stylesheet');

  const files = [...seen].map(([file, via]): LoadedFile => {
    const body = readFileSync(join(outDir, file));
    const gz = (b: Buffer | string) => gzipSync(b, { level: 9 }).length;
    if (!file.endsWith('.css')) return { file, kind: 'js', bytes: body.length, gzipBytes: gz(body), via };
    const faces = (body.toString('utf8').match(/@font-face\s*\{[^}]*\}/g) ?? []).join('');
    return { file, kind: 'css', bytes: body.length, gzipBytes: gz(body), via, fontFaceGzipBytes: faces ? gz(faces) : 0 };
  });
  const sum = (kind?: 'js' | 'css') => files.filter((f) => !kind || f.kind === kind).reduce((n, f) => n + f.gzipBytes, 0);
  const lazyChunks = Object.values(manifest)
    .map((c) => c.file)
    .filter((f) => f.endsWith('.js') && !seen.has(f));
  const fontFaceGzip = files.reduce((n, f) => n + (f.fontFaceGzipBytes ?? 0), 0);
  return { files, jsGzip: sum('js'), cssGzip: sum('css'), fontFaceGzip, totalGzip: sum(), totalBytes: files.reduce((n, f) => n + f.bytes, 0), lazyChunks };
}
