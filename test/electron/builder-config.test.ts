// electron-builder.yml validated by electron-builder itself (its JSON schema, via app-builder-lib's
// validateConfiguration), plus the properties the deployment relies on.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
type Config = Record<string, unknown> & { electronFuses?: Record<string, unknown> };
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(dir: string, path: string, options: null): Promise<Config>;
  validateConfiguration(config: Config, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", async () => {
    const config = await getConfig(ROOT, `${ROOT}electron-builder.yml`, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check can fail (a wrong fuse type is refused)', async () => {
    const config = await getConfig(ROOT, `${ROOT}electron-builder.yml`, null);
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNode: 'off' } }, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('AppImage + deb (with libusb), NSIS per machine, native modules unpacked, generic feed from the environment', async () => {
    const c = (await getConfig(ROOT, `${ROOT}electron-builder.yml`, null)) as Config & {
      linux: { target: string[] };
      deb: { depends: string[] };
      win: { target: string[] };
      nsis: { perMachine: boolean };
      asarUnpack: string[];
      publish: { provider: string; url: string };
    };
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.deb.depends).toContain('libusb-1.0-0');
    expect(c.win.target).toEqual(['nsis']);
    expect(c.nsis.perMachine).toBe(true);
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**']));
    expect(c.publish.provider).toBe('generic');
    expect(c.publish.url).toContain('${env.');
  });
});
