// First start: an empty KB gets the embedded starter content, so the kiosk is useful offline from
// the first minute. Never touches a KB that already has articles (a hub sync owns it then).
import { fileURLToPath } from 'node:url';
import { readBundle } from '../../contracts/node/kb-bundle-reader.ts';
import { importBundle, type ImportSummary } from './importer.ts';
import type { KbStore } from './store.ts';

/** The starter KB shipped in resources/ (loaded on first start when the DB is empty). */
export const DEFAULT_KB_DIR = fileURLToPath(new URL('../../resources/kb/default/', import.meta.url));

export function seedDefaultKb(store: KbStore, bundleDir = DEFAULT_KB_DIR): ImportSummary | null {
  if (!store.isEmpty()) return null;
  return importBundle(store, readBundle(bundleDir));
}
