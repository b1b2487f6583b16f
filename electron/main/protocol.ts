// The renderer is served through app://kiosk/, not file:// (which would grant the page file
// access and a null origin): files of the built renderer only, each response with the kiosk CSP.
import { readFile } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { kioskCsp, securityHeaders } from '../../core/bridge/csp.ts';
import { resolveStaticPath } from '../../core/bridge/static-files.ts';
import { APP_HOST, APP_SCHEME } from '../common/channels.ts';

/** For protocol.registerSchemesAsPrivileged, before app ready. No bypassCSP, no CORS bypass. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: false, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false },
};

export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const headers = securityHeaders(kioskCsp());
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return new Response('not found', { status: 404, headers });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
    const r = resolveStaticPath(root, url.pathname);
    if (!r.ok) return new Response(r.status === 404 ? 'not found' : 'bad request', { status: r.status, headers });
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(r.file));
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': r.mediaType } });
  };
}
