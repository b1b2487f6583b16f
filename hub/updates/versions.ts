// Versions ordered the way electron-updater orders them (semver), also inside SQL: a sort key of
// zero-padded numbers so that 1.10.0 sorts after 1.9.0 and a release after its pre-releases.
import semver from 'semver';

/** Sortable text for a version; versions that are not semver sort first, by their text. */
export function versionSortKey(version: string): string {
  const v = semver.parse(version);
  if (!v) return `!${version}`;
  const n = (x: number) => String(Math.min(x, 999_999_999)).padStart(9, '0');
  // '~' sorts after '-': 1.2.0 after 1.2.0-beta.1
  return `${n(v.major)}.${n(v.minor)}.${n(v.patch)}${v.prerelease.length ? `-${v.prerelease.join('.')}` : '~'}`;
}

/** Newest first (semver), then anything that is not semver, then null. */
export function compareVersionsDesc(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const ka = versionSortKey(a);
  const kb = versionSortKey(b);
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

export const isNewer = (candidate: string, than: string): boolean => semver.gt(candidate, than);
