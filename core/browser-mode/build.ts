// Browser mode serves the built renderer (out/renderer). From a clean clone it is built on first
// start, and again whenever a renderer or contract source is newer than the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_OUT = join(ROOT_DIR, 'out', 'renderer');
export const RENDERER_CONFIG = join(ROOT_DIR, 'renderer', 'vite.config.ts');
const SOURCES = ['renderer', 'contracts'];

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function rendererIsStale(outDir = RENDERER_OUT): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(ROOT_DIR, s)) > built);
}

/** Builds the renderer with Vite (a development dependency: deployments ship out/renderer built). */
export async function buildRenderer(outDir = RENDERER_OUT): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: RENDERER_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export async function ensureRendererBuilt(options: { force?: boolean; outDir?: string; onBuild?: () => void } = {}): Promise<boolean> {
  const outDir = options.outDir ?? RENDERER_OUT;
  if (!options.force && !rendererIsStale(outDir)) return false;
  options.onBuild?.();
  await buildRenderer(outDir);
  return true;
}
