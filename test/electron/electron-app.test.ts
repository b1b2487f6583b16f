// The packaged-app path with a real Electron binary, through Playwright's _electron: runs where
// `node_modules/electron` has its binary (npm install without ELECTRON_SKIP_BINARY_DOWNLOAD and a
// reachable download) and an `npm run build` output exists; skipped with the reason otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function electronBinary(): string | undefined {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) return undefined;
  const exe = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? exe : undefined;
}

const exe = electronBinary();
const built = existsSync(join(ROOT, 'out', 'main', 'index.js')) && existsSync(join(ROOT, 'out', 'preload', 'index.cjs'));
const reason = !exe ? 'no Electron binary in node_modules/electron (installed with ELECTRON_SKIP_BINARY_DOWNLOAD)' : !built ? 'no electron-vite build (run `npm run build`)' : '';
if (reason) console.log(`[electron-app] skipped: ${reason}`);

describe.skipIf(!!reason)('Electron app (Playwright _electron)', () => {
  it('opens the kiosk window on app://, sandboxed, with the bridge and no Node', async () => {
    const app = await _electron.launch({
      executablePath: exe!,
      args: [join(ROOT, 'out', 'main', 'index.js'), '--no-sandbox'],
      env: { ...process.env, KIOSK_DEV: '', XDG_CONFIG_HOME: tempDir() },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForSelector('[data-test=attract]');
      expect(page.url()).toMatch(/^app:\/\/kiosk\//);
      expect(await page.evaluate('typeof require')).toBe('undefined');
      expect(await page.evaluate('typeof process')).toBe('undefined');
      expect(await page.evaluate('Object.keys(window.kioskBridge).sort().join()')).toBe('apiVersion,call,on');
      await page.click('[data-test=attract]');
      await page.click('[data-test=tile-help]');
      await page.fill('[data-test=search-input]', 'mmzh');
      await page.locator('[data-test=suggestions] button', { hasText: '密码找回' }).waitFor();
      // Navigation away from app:// is refused.
      await page.evaluate("location.href = 'https://example.com/'").catch(() => {});
      expect(page.url()).toMatch(/^app:\/\/kiosk\//);
    } finally {
      await app.close();
    }
  });
});
