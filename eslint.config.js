// Import boundaries are data here (the layer graph of docs/ARCHITECTURE.md):
//   common → (nothing)          contracts → (zod only)
//   core → common, contracts, native      native → common, contracts (never electron)
//   hub → contracts             renderer → contracts (never Node, never electron)
//   electron → core, contracts, native
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'worker_threads', 'stream'];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'bench/results/**', 'coverage/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Single-file components get the same rules and boundaries as the renderer's .ts files.
  ...pluginVue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // contracts/node/: reference implementations of a contract that need Node (the KB bundle
    // reader), shared by the kiosk core and the hub. Still nothing of the project beyond contracts.
    files: ['contracts/**'],
    ignores: ['contracts/node/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', ...nodeBuiltins], 'contracts are runtime-neutral: no Node, no electron'),
        pattern(['**/core/**', '**/native/**', '**/hub/**', '**/renderer/**', '**/electron/**'], 'contracts import nothing of the project'),
      ] }],
    },
  },
  {
    files: ['contracts/node/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*'], 'contracts never import electron'),
        pattern(['**/core/**', '**/native/**', '**/hub/**', '**/renderer/**', '**/electron/**'], 'contracts import nothing of the project'),
      ] }],
    },
  },
  {
    // common/: small runtime-neutral helpers (backoff, percentile) that core, native and benches
    // share; like vscode's base/common it imports nothing of the project and nothing of Node.
    files: ['common/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*', ...nodeBuiltins], 'common/ is runtime-neutral: no Node, no electron'),
        pattern(['**/contracts/**', '**/core/**', '**/native/**', '**/hub/**', '**/renderer/**', '**/electron/**'], 'common/ imports nothing of the project'),
      ] }],
    },
  },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*'], 'the kiosk core runs in plain Node: no electron'),
        pattern(['**/hub/**', '**/renderer/**', '**/electron/**'], 'core may import contracts and native only'),
      ] }],
    },
  },
  {
    files: ['native/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*'], 'native/ never imports electron'),
        pattern(['**/core/**', '**/hub/**', '**/renderer/**', '**/electron/**'], 'native may import contracts only'),
      ] }],
    },
  },
  {
    files: ['hub/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*'], 'the hub is a server: no electron'),
        pattern(['**/core/**', '**/native/**', '**/renderer/**', '**/electron/**'], 'the hub shares only contracts with the kiosk'),
      ] }],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*', ...nodeBuiltins, 'better-sqlite3', 'serialport', 'node-hid'], 'the renderer is sandboxed: no Node, no electron'),
        pattern(['**/core/**', '**/native/**', '**/hub/**', '**/electron/**'], 'the renderer talks to the core only through the kiosk API contract'),
      ] }],
    },
  },
);
