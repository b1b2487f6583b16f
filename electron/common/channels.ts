// IPC channel names and the app:// origin, shared by main and preload. The channel list is these
// two and nothing else: methods travel as data and are checked against the contract at both ends.
export const IPC_CALL = 'kiosk:call';
export const IPC_EVENT = 'kiosk:event';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
