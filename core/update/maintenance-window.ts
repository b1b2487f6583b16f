// The maintenance window ("02:00-05:00", local time, may wrap past midnight) during which an app
// update may be installed. From the kiosk configuration synced from the hub.
export interface MaintenanceWindow {
  startMin: number;
  endMin: number;
}

export function parseMaintenanceWindow(text: string): MaintenanceWindow {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
  const mins = m ? [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])] : [];
  if (!m || Number(m[1]) > 23 || Number(m[3]) > 24 || Number(m[2]) > 59 || Number(m[4]) > 59 || mins[0] === mins[1] || mins[1]! > 1440) {
    throw new Error(`maintenance window must look like 02:00-05:00, got ${JSON.stringify(text.slice(0, 40))}`);
  }
  return { startMin: mins[0]!, endMin: mins[1]! };
}

export function inMaintenanceWindow(window: MaintenanceWindow | null, at: Date): boolean {
  if (!window) return true;
  const minute = at.getHours() * 60 + at.getMinutes();
  return window.startMin < window.endMin ? minute >= window.startMin && minute < window.endMin : minute >= window.startMin || minute < window.endMin;
}
