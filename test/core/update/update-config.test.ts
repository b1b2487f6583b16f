// Update settings come from the configuration synced from the hub; environment variables override
// them on one machine.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKbStore, openKioskDatabase } from '../../../core/kiosk-db.ts';
import { CONFIG_PREFIX } from '../../../core/sync/apply.ts';
import { updateSettings } from '../../../core/update/update-config.ts';
import { tempDir } from '../../helpers/tmp.ts';

function kioskWithConfig(layer: object | null): string {
  const file = join(tempDir(), 'kiosk.db');
  const store = openKbStore(file);
  if (layer) store.db.prepare('INSERT INTO config (key, value, updated_at) VALUES (?, ?, ?)').run(`${CONFIG_PREFIX}fleet`, JSON.stringify(layer), new Date().toISOString());
  store.close();
  return file;
}

/** What the shell does at start: open the kiosk database, read the settings, close it. */
function settingsOf(file: string, env: NodeJS.ProcessEnv) {
  const db = openKioskDatabase(file);
  try {
    return updateSettings(db, env);
  } finally {
    db.close();
  }
}

describe('update settings', () => {
  it('come from the synced configuration', () => {
    const file = kioskWithConfig({ update: { feedUrl: 'https://updates.example.test/kiosk/', channel: 'beta' }, maintenanceWindow: { start: '23:30', end: '04:00' } });
    expect(settingsOf(file, {})).toEqual({ feedUrl: 'https://updates.example.test/kiosk/', channel: 'beta', window: { startMin: 23 * 60 + 30, endMin: 240 } });
  });
  it('environment variables win on one machine', () => {
    const file = kioskWithConfig({ update: { feedUrl: 'https://updates.example.test/kiosk/' } });
    expect(settingsOf(file, { KIOSK_UPDATE_FEED: 'http://127.0.0.1:9999/', KIOSK_MAINTENANCE_WINDOW: '01:00-02:00' })).toMatchObject({
      feedUrl: 'http://127.0.0.1:9999/',
      channel: 'latest',
      window: { startMin: 60, endMin: 120 },
    });
  });
  it('no feed anywhere: updates stay off; the default window still applies', () => {
    expect(settingsOf(kioskWithConfig(null), {})).toEqual({ feedUrl: null, channel: 'latest', window: { startMin: 120, endMin: 300 } });
  });
  it('a layer with an invalid update section is ignored, not half-applied', () => {
    const file = kioskWithConfig({ update: { feedUrl: 'ftp://nope', channel: 'Bad Channel' }, branchName: 'x' });
    expect(settingsOf(file, {}).feedUrl).toBeNull();
  });
});
