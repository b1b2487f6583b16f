// Where the app-update settings come from: the kiosk configuration synced from the hub (feed URL,
// channel, maintenance window), overridable by environment variables on one machine. Read once at
// start: a changed feed applies at the next start of the app.
import { effectiveConfig } from '../sync/config.ts';
import { openDatabase } from '../kb/db.ts';
import { parseMaintenanceWindow, type MaintenanceWindow } from './maintenance-window.ts';

export interface UpdateSettings {
  feedUrl: string | null;
  channel: string;
  window: MaintenanceWindow | null;
}

export function updateSettings(dbFile: string, env: NodeJS.ProcessEnv): UpdateSettings {
  const db = openDatabase(dbFile);
  try {
    const config = effectiveConfig(db);
    const w = config.maintenanceWindow;
    return {
      feedUrl: env.KIOSK_UPDATE_FEED || config.update?.feedUrl || null,
      channel: env.KIOSK_UPDATE_CHANNEL || config.update?.channel || 'latest',
      window: env.KIOSK_MAINTENANCE_WINDOW ? parseMaintenanceWindow(env.KIOSK_MAINTENANCE_WINDOW) : w ? parseMaintenanceWindow(`${w.start}-${w.end}`) : null,
    };
  } finally {
    db.close();
  }
}
