// Where the app-update settings come from: the kiosk configuration synced from the hub (feed URL,
// channel, maintenance window), overridable by environment variables on one machine. Read once at
// start (the shell opens the kiosk database for it before the core): a changed feed applies at the
// next start of the app.
import type { Db } from '../db/open.ts';
import { effectiveConfig } from '../sync/config.ts';
import { parseMaintenanceWindow, type MaintenanceWindow } from './maintenance-window.ts';

export interface UpdateSettings {
  feedUrl: string | null;
  channel: string;
  window: MaintenanceWindow | null;
}

export function updateSettings(db: Db, env: NodeJS.ProcessEnv): UpdateSettings {
  const config = effectiveConfig(db);
  const w = config.maintenanceWindow;
  return {
    feedUrl: env.KIOSK_UPDATE_FEED || config.update?.feedUrl || null,
    channel: env.KIOSK_UPDATE_CHANNEL || config.update?.channel || 'latest',
    window: env.KIOSK_MAINTENANCE_WINDOW ? parseMaintenanceWindow(env.KIOSK_MAINTENANCE_WINDOW) : w ? parseMaintenanceWindow(`${w.start}-${w.end}`) : null,
  };
}
