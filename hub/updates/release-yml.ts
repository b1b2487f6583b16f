// latest-linux.yml in and out. In: the file electron-builder wrote, parsed with js-yaml (the parser
// electron-updater reads it with) in its core schema — no custom tags, timestamps stay text — and
// validated by contracts/updates.ts; every problem names its field. Out: the file the hub serves
// for a channel: the release's uploaded artifacts only, and the channel's stagingPercentage.
import yaml from 'js-yaml';
import { ReleaseYml, UPDATE_LIMITS } from '../../contracts/updates.ts';
import { UpdateError } from './errors.ts';

export function parseReleaseYml(text: string): ReleaseYml {
  if (Buffer.byteLength(text) > UPDATE_LIMITS.maxYmlBytes) throw new UpdateError(`the yml is larger than ${UPDATE_LIMITS.maxYmlBytes} bytes`, 'too_large');
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.CORE_SCHEMA, json: false });
  } catch (err) {
    throw new UpdateError(`the yml does not parse: ${(err as Error).message.split('\n')[0]!.slice(0, 200)}`, 'bad_request');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UpdateError('the yml must be a mapping (version, files, …) as electron-builder writes latest-linux.yml', 'bad_request');
  const r = ReleaseYml.safeParse(doc);
  if (!r.success) {
    const details = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new UpdateError(`bad yml: ${details[0]!.path ? `field '${details[0]!.path}': ` : ''}${details[0]!.message}`, 'bad_request', details);
  }
  const names = r.data.files.map((f) => f.url);
  if (new Set(names).size !== names.length) throw new UpdateError('bad yml: the same file is listed twice', 'bad_request');
  return r.data;
}

export interface ServedFile {
  name: string;
  sha512: string;
  size: number;
}

/**
 * The yml a kiosk reads: what was uploaded, with `files` cut to the artifacts the hub holds (each
 * URL relative to the feed, so electron-updater fetches it from the same channel folder), the
 * legacy `path`/`sha512` pointing at the first of them, and the rollout's percentage — omitted at
 * 100, because electron-updater offers a release to everyone only when it is absent.
 */
export function servedYml(uploaded: string, files: readonly ServedFile[], stagingPercentage: number): string {
  const doc = parseReleaseYml(uploaded) as Record<string, unknown> & ReleaseYml;
  const byName = new Map(doc.files.map((f) => [f.url, f]));
  const served = files.map((f) => ({ ...byName.get(f.name), url: f.name, sha512: f.sha512, size: f.size }));
  const out: Record<string, unknown> = { ...doc, files: served, path: served[0]!.url, sha512: served[0]!.sha512 };
  delete out.stagingPercentage;
  if (stagingPercentage < 100) out.stagingPercentage = stagingPercentage;
  // the default schema quotes any string electron-updater's yaml.load would read as something else
  // (a releaseDate would otherwise come back as a Date)
  return yaml.dump(out, { lineWidth: -1, noRefs: true });
}
