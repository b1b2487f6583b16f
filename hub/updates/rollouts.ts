// Channels and their rollouts, and what the feed serves for each: the channel's current release
// with its staged percentage (0 while paused), or a redirect to an external feed. Kiosks reach a
// channel by their configuration: update.feedUrl = <hub>/updates/<channel>/ (docs/deployment.md).
import type { ChannelInfo } from '../../contracts/updates.ts';
import { nowIso, type HubDb, type HubTx } from '../db/open.ts';
import type { UpdateChannelsTable } from '../db/schema.ts';
import { UpdateError } from './errors.ts';
import { servedYml } from './release-yml.ts';
import { getRelease } from './releases.ts';

export const feedPath = (channel: string) => `/updates/${channel}/`;

async function channelInfo(db: HubTx, row: UpdateChannelsTable): Promise<ChannelInfo> {
  return {
    name: row.name,
    feedPath: feedPath(row.name),
    externalFeedUrl: row.external_feed_url,
    stagingPercentage: Number(row.staging_percentage),
    paused: Number(row.paused) === 1,
    release: row.release_id ? await getRelease(db, row.release_id) : null,
    updatedAt: row.updated_at,
  };
}

export async function listChannels(db: HubTx): Promise<ChannelInfo[]> {
  const rows = await db.selectFrom('update_channels').selectAll().orderBy('name').execute();
  return Promise.all(rows.map((r) => channelInfo(db, r)));
}

export async function getChannel(db: HubTx, name: string): Promise<ChannelInfo> {
  const row = await db.selectFrom('update_channels').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw new UpdateError(`no update channel '${name}'`, 'not_found');
  return channelInfo(db, row);
}

export interface ChannelPatch {
  stagingPercentage?: number;
  paused?: boolean;
  externalFeedUrl?: string | null;
}

/** Changes a channel's rollout (creating the channel on first use). */
export async function updateChannel(hub: HubDb, name: string, patch: ChannelPatch): Promise<ChannelInfo> {
  await hub.write(async (trx) => {
    const at = nowIso();
    const set = {
      ...(patch.stagingPercentage !== undefined ? { staging_percentage: patch.stagingPercentage } : {}),
      ...(patch.paused !== undefined ? { paused: patch.paused ? 1 : 0 } : {}),
      ...(patch.externalFeedUrl !== undefined ? { external_feed_url: patch.externalFeedUrl } : {}),
      updated_at: at,
    };
    await trx
      .insertInto('update_channels')
      .values({ name, release_id: null, staging_percentage: 100, paused: 0, external_feed_url: null, ...set })
      .onConflict((oc) => oc.column('name').doUpdateSet(set))
      .execute();
  });
  return getChannel(hub.db, name);
}

export type FeedAnswer = { kind: 'redirect'; url: string } | { kind: 'yml'; text: string; etag: string } | { kind: 'none'; reason: string };

/** The channel's latest-linux.yml as a kiosk should see it now. */
export async function feedYml(db: HubTx, channel: string): Promise<FeedAnswer> {
  const ch = await db.selectFrom('update_channels').selectAll().where('name', '=', channel).executeTakeFirst();
  if (!ch) return { kind: 'none', reason: `no update channel '${channel}'` };
  if (ch.external_feed_url) return { kind: 'redirect', url: new URL('latest-linux.yml', ensureSlash(ch.external_feed_url)).toString() };
  if (!ch.release_id) return { kind: 'none', reason: `channel '${channel}' has no published release` };
  const release = await db.selectFrom('update_releases').select(['yml', 'version']).where('id', '=', ch.release_id).executeTakeFirstOrThrow();
  const files = await db.selectFrom('update_files').selectAll().where('release_id', '=', ch.release_id).where('uploaded_at', 'is not', null).orderBy('name').execute();
  const percentage = Number(ch.paused) === 1 ? 0 : Number(ch.staging_percentage);
  const text = servedYml(
    release.yml,
    files.map((f) => ({ name: f.name, sha512: f.sha512, size: Number(f.size) })),
    percentage,
  );
  return { kind: 'yml', text, etag: `"${ch.release_id}:${percentage}"` };
}

export type ArtifactAnswer = { kind: 'redirect'; url: string } | { kind: 'file'; sha512: string; size: number } | { kind: 'none' };

/** An artifact of any release this channel has published (a download under way survives a newer publish). */
export async function feedArtifact(db: HubTx, channel: string, name: string): Promise<ArtifactAnswer> {
  const ch = await db.selectFrom('update_channels').select('external_feed_url').where('name', '=', channel).executeTakeFirst();
  if (!ch) return { kind: 'none' };
  if (ch.external_feed_url) return { kind: 'redirect', url: new URL(name, ensureSlash(ch.external_feed_url)).toString() };
  const f = await db
    .selectFrom('update_files')
    .innerJoin('update_releases', 'update_releases.id', 'update_files.release_id')
    .select(['update_files.sha512', 'update_files.size'])
    .where('update_releases.channel', '=', channel)
    .where('update_releases.published_at', 'is not', null)
    .where('update_files.name', '=', name)
    .where('update_files.uploaded_at', 'is not', null)
    .orderBy('update_releases.published_at', 'desc')
    .executeTakeFirst();
  return f ? { kind: 'file', sha512: f.sha512, size: Number(f.size) } : { kind: 'none' };
}

const ensureSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
