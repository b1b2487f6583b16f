// The kiosk's effective configuration: defaults ← fleet ← branch ← kiosk layers from the hub, as
// last synced. Each layer is validated again on read; a layer that does not validate (written by a
// newer hub, say) is skipped rather than breaking the kiosk.
import { KioskConfigLayer, mergeKioskConfig, type KioskConfig } from '../../contracts/sync-config.ts';
import { CONFIG_KEYS } from '../../contracts/sync-protocol.ts';
import type { Db } from '../db/open.ts';
import { CONFIG_PREFIX } from './apply.ts';

export function configLayers(db: Db): Partial<Record<(typeof CONFIG_KEYS)[number], KioskConfigLayer>> {
  const out: Partial<Record<(typeof CONFIG_KEYS)[number], KioskConfigLayer>> = {};
  for (const key of CONFIG_KEYS) {
    const row = db.prepare('SELECT value FROM config WHERE key = ?').get(CONFIG_PREFIX + key) as { value: string } | undefined;
    if (!row) continue;
    const parsed = KioskConfigLayer.safeParse(JSON.parse(row.value));
    if (parsed.success) out[key] = parsed.data;
  }
  return out;
}

export function effectiveConfig(db: Db): KioskConfig {
  const l = configLayers(db);
  return mergeKioskConfig(l.fleet, l.branch, l.kiosk);
}
