// electron-vite: main (ESM), preload (CommonJS — sandboxed preloads cannot be ES modules) and the
// renderer (the same Vite config browser mode builds with). Output in out/{main,preload,renderer}.
// Native modules (better-sqlite3, serialport, node-hid, @node-rs/jieba) stay external dependencies.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: here('./out/main'),
      externalizeDeps: true,
      rollupOptions: { input: { index: here('./electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      // Bundle zod and the contract into the preload: a sandboxed preload can require only electron.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: here('./electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
