// The renderer build (Vue 3 + Pinia), shared by browser mode (vite build → out/renderer) and
// electron-vite (electron.vite.config.ts reuses this config for its renderer section).
import vue from '@vitejs/plugin-vue';
import { defineConfig, type UserConfig } from 'vite';

// Paths from this file's URL (no node:url here: renderer/ may not import Node modules, and Vite
// runs this file in Node on POSIX build machines, where a file URL's pathname is the path).
const path = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname);
const root = path('.');

export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [vue()],
  // vue-i18n without its message compiler: the CSP forbids eval and renderer/src/i18n.ts hands it
  // message functions, so nothing is left to compile.
  resolve: { alias: [{ find: /^vue-i18n$/, replacement: 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' }] },
  // The CSP has no data: for fonts or scripts: every asset is a file of its own.
  build: {
    outDir: path('../out/renderer'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'chrome120',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
    rollupOptions: { input: path('./index.html') },
  },
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
};

export default defineConfig(rendererConfig);
