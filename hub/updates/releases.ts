// Releases of the kiosk app, per channel: created from the yml electron-builder wrote (pending),
// each artifact it lists uploaded and verified against it (ready), then published — the channel
// serves it from then on. A channel only moves forward: a release must be newer (semver) than the
// one it serves, because kiosks never install an older version (allowDowngrade is off). Rolling
// back is publishing the previous build again under a higher version (docs/deployment.md).
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ReleaseInfo } from '../../contracts/updates.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import type { UpdateFilesTable, UpdateReleasesTable } from '../db/schema.ts';
import type { ArtifactStore } from './artifact-store.ts';
import { UpdateError } from './errors.ts';
import { parseReleaseYml } from './release-yml.ts';
import { isNewer, versionSortKey } from './versions.ts';

export function releaseInfo(r: UpdateReleasesTable, files: readonly UpdateFilesTable[], currentId: string | null): ReleaseInfo {
  const uploaded = files.some((f) => f.uploaded_at !== null);
  return {
    id: r.id,
    channel: r.channel,
    version: r.version,
    state: r.published_at ? 'published' : uploaded ? 'ready' : 'pending',
    current: r.id === currentId,
    files: files.map((f) => ({ name: f.name, size: Number(f.size), sha512: f.sha512, uploadedAt: f.uploaded_at })),
    releaseDate: r.release_date,
    createdAt: r.created_at,
    createdBy: r.created_by,
    publishedAt: r.published_at,
  };
}

async function currentReleaseOf(db: HubTx, channel: string): Promise<UpdateReleasesTable | undefined> {
  const ch = await db.selectFrom('update_channels').select('release_id').where('name', '=', channel).executeTakeFirst();
  if (!ch?.release_id) return undefined;
  return db.selectFrom('update_releases').selectAll().where('id', '=', ch.release_id).executeTakeFirst();
}

function checkNewer(version: string, current: UpdateReleasesTable | undefined, channel: string): void {
  if (current && !isNewer(version, current.version)) {
    throw new UpdateError(
      `version ${version} is not newer than ${current.version}, which channel '${channel}' serves: kiosks never install an older version. To roll back, build the previous version again under a higher number (docs/deployment.md)`,
      'conflict',
    );
  }
}

export async function getRelease(db: HubTx, id: string): Promise<ReleaseInfo> {
  const r = await db.selectFrom('update_releases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new UpdateError(`no release ${id}`, 'not_found');
  const files = await db.selectFrom('update_files').selectAll().where('release_id', '=', id).orderBy('name').execute();
  const ch = await db.selectFrom('update_channels').select('release_id').where('name', '=', r.channel).executeTakeFirst();
  return releaseInfo(r, files, ch?.release_id ?? null);
}

/** Newest version first. */
export async function listReleases(db: HubTx, channel?: string): Promise<ReleaseInfo[]> {
  let q = db.selectFrom('update_releases').selectAll();
  if (channel) q = q.where('channel', '=', channel);
  const rows = await q.orderBy('channel').orderBy('version_key', 'desc').limit(500).execute();
  if (rows.length === 0) return [];
  const files = await db
    .selectFrom('update_files')
    .selectAll()
    .where(
      'release_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('name')
    .execute();
  const channels = await db.selectFrom('update_channels').select(['name', 'release_id']).execute();
  const current = new Map(channels.map((c) => [c.name, c.release_id]));
  return rows.map((r) => releaseInfo(r, files.filter((f) => f.release_id === r.id), current.get(r.channel) ?? null));
}

/** A pending release from the uploaded yml; its artifacts come next (uploadArtifact). */
export async function createRelease(hub: HubDb, input: { channel: string; yml: string; createdBy: string }): Promise<ReleaseInfo> {
  const yml = parseReleaseYml(input.yml);
  return hub.write(async (trx) => {
    const dup = await trx.selectFrom('update_releases').select('id').where('channel', '=', input.channel).where('version', '=', yml.version).executeTakeFirst();
    if (dup) throw new UpdateError(`channel '${input.channel}' already has a release ${yml.version} (${dup.id}); delete it first or use a new version`, 'conflict');
    checkNewer(yml.version, await currentReleaseOf(trx, input.channel), input.channel);
    const row: UpdateReleasesTable = {
      id: randomUUID(),
      channel: input.channel,
      version: yml.version,
      version_key: versionSortKey(yml.version),
      yml: input.yml,
      release_date: yml.releaseDate ?? null,
      created_at: nowIso(),
      created_by: input.createdBy,
      published_at: null,
    };
    await trx.insertInto('update_releases').values(row).execute();
    const files: UpdateFilesTable[] = yml.files.map((f) => ({ release_id: row.id, name: f.url, sha512: f.sha512, size: f.size, uploaded_at: null }));
    await trx.insertInto('update_files').values(files).execute();
    return releaseInfo(row, files, null);
  });
}

/**
 * Streams one artifact of a release into the store, verified against the yml (hub/updates/
 * artifact-store.ts). `declaredLength` (Content-Length) is checked before a byte is read.
 */
export async function uploadArtifact(hub: HubDb, store: ArtifactStore, releaseId: string, name: string, body: Readable, declaredLength?: number): Promise<ReleaseInfo> {
  const file = await hub.db.selectFrom('update_files').selectAll().where('release_id', '=', releaseId).where('name', '=', name).executeTakeFirst();
  if (!file) {
    const release = await hub.db.selectFrom('update_releases').select('id').where('id', '=', releaseId).executeTakeFirst();
    throw new UpdateError(release ? `release ${releaseId} lists no file '${name}'` : `no release ${releaseId}`, 'not_found');
  }
  const size = Number(file.size);
  if (size > store.maxBytes) throw new UpdateError(`${name} is ${size} bytes; this hub accepts artifacts up to ${store.maxBytes} bytes (hub serve --max-artifact-mb)`, 'too_large');
  if (declaredLength !== undefined && declaredLength !== size) throw new UpdateError(`${name}: the request carries ${declaredLength} bytes, the yml gives ${size}`, 'bad_request');
  await store.receive(body, { name, size, sha512: file.sha512 });
  await hub.write(async (trx) => {
    await trx.updateTable('update_files').set({ uploaded_at: nowIso() }).where('release_id', '=', releaseId).where('name', '=', name).execute();
  });
  return getRelease(hub.db, releaseId);
}

/** Makes the release its channel's current one, at `stagingPercentage` (default: the yml's, else 100). */
export async function publishRelease(hub: HubDb, id: string, options: { stagingPercentage?: number } = {}): Promise<ReleaseInfo> {
  await hub.write(async (trx) => {
    const r = await trx.selectFrom('update_releases').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new UpdateError(`no release ${id}`, 'not_found');
    const files = await trx.selectFrom('update_files').selectAll().where('release_id', '=', id).execute();
    if (!files.some((f) => f.uploaded_at !== null)) throw new UpdateError(`release ${r.version} has no artifact yet: upload ${files.map((f) => f.name).join(' or ')} first`, 'conflict');
    const current = await currentReleaseOf(trx, r.channel);
    if (current?.id === id) return;
    checkNewer(r.version, current, r.channel);
    const percentage = options.stagingPercentage ?? parseReleaseYml(r.yml).stagingPercentage ?? 100;
    const at = nowIso();
    await trx.updateTable('update_releases').set({ published_at: at }).where('id', '=', id).execute();
    await trx
      .insertInto('update_channels')
      .values({ name: r.channel, release_id: id, staging_percentage: Math.round(percentage), paused: 0, external_feed_url: null, updated_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ release_id: id, staging_percentage: Math.round(percentage), paused: 0, updated_at: at }))
      .execute();
  });
  return getRelease(hub.db, id);
}

/** Deletes a release that is not being served, and its artifacts no other release uses. */
export async function deleteRelease(hub: HubDb, store: ArtifactStore, id: string): Promise<ReleaseInfo> {
  const info = await getRelease(hub.db, id);
  if (info.current) throw new UpdateError(`release ${info.version} is what channel '${info.channel}' serves; publish a newer one first`, 'conflict');
  const orphaned = await hub.write(async (trx) => {
    await trx.deleteFrom('update_files').where('release_id', '=', id).execute();
    await trx.deleteFrom('update_releases').where('id', '=', id).execute();
    const still = await trx
      .selectFrom('update_files')
      .select('sha512')
      .where(
        'sha512',
        'in',
        info.files.map((f) => f.sha512),
      )
      .execute();
    const used = new Set(still.map((s) => s.sha512));
    return info.files.map((f) => f.sha512).filter((h) => !used.has(h));
  });
  for (const h of orphaned) store.remove(h);
  return info;
}
