// Resolving a request path to a file of the built renderer: nothing outside the root, no dot files,
// no directory listings. Shared by the browser-mode static server and Electron's app:// protocol.
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export type Resolved = { ok: true; file: string; mediaType: string; immutable: boolean } | { ok: false; status: 400 | 404 };

export function resolveStaticPath(root: string, urlPath: string): Resolved {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400 };
  const parts = decoded.split('/').filter(Boolean);
  if (parts.some((p) => p === '..' || p.startsWith('.'))) return { ok: false, status: 404 };
  const base = resolve(root);
  let file = normalize(join(base, ...parts));
  if (file !== base && !file.startsWith(base + sep)) return { ok: false, status: 404 };
  if (parts.length === 0) file = join(base, 'index.html');
  if (!existsSync(file) || !statSync(file).isFile()) return { ok: false, status: 404 };
  const mediaType = MEDIA_TYPES[extname(file).toLowerCase()];
  if (!mediaType) return { ok: false, status: 404 };
  return { ok: true, file, mediaType, immutable: parts[0] === 'assets' };
}
