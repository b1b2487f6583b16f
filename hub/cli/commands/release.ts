// `hub release add|list` and `hub rollout`: central IT's update releases from the command line —
// the same checks as the API (the yml validated, the artifact streamed into the updates folder,
// its size, type and sha512 matched). The folder must be the one `hub serve` uses (--updates-dir,
// $HUB_UPDATES_DIR, else beside an SQLite database).
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ChannelName, UPDATE_LIMITS, UpdateChannelRequest } from '../../../contracts/updates.ts';
import { ArtifactStore, defaultUpdatesDir } from '../../updates/artifact-store.ts';
import { UpdateError } from '../../updates/errors.ts';
import { createRelease, deleteRelease, listReleases, publishRelease, uploadArtifact } from '../../updates/releases.ts';
import { getChannel, listChannels, updateChannel } from '../../updates/rollouts.ts';
import { CommandError, intOption, line, table, unknownCommand, UsageError, type HubCommand, type HubCommandContext } from '../io.ts';

function channelOf(v: string | undefined): string {
  const c = ChannelName.safeParse(v ?? 'latest');
  if (!c.success) throw new UsageError(`--channel: ${c.error.issues[0]!.message}`);
  return c.data;
}

export function artifactStoreFor(ctx: Pick<HubCommandContext, 'o' | 'io' | 'dbSpec'>): ArtifactStore {
  const mb = intOption(ctx.o['max-artifact-mb'], 'max-artifact-mb', UPDATE_LIMITS.defaultMaxArtifactBytes / 1024 / 1024, 1, 64 * 1024);
  return new ArtifactStore(ctx.o['updates-dir'] ?? defaultUpdatesDir(ctx.dbSpec, ctx.io.env), mb * 1024 * 1024);
}

/** UpdateErrors are the user's to act on: one line, exit 1. */
async function refusing<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof UpdateError) throw new CommandError(err.message);
    throw err;
  }
}

export const run: HubCommand = async (ctx) => {
  const { p, o, io, open } = ctx;
  if (p[0] === 'rollout') {
    if (p.length !== 2) throw new UsageError('rollout needs exactly one channel');
    const channel = channelOf(p[1]);
    const hub = await open();
    if (o.pause && o.resume) throw new UsageError('--pause and --resume exclude each other');
    if (o['external-feed'] !== undefined && o.hosted) throw new UsageError('--external-feed and --hosted exclude each other');
    const external = o['external-feed'] === undefined ? undefined : UpdateChannelRequest.shape.externalFeedUrl.safeParse(o['external-feed']);
    if (external && !external.success) throw new UsageError(`--external-feed: ${external.error.issues[0]!.message}`);
    const patch = {
      ...(o.staging !== undefined ? { stagingPercentage: intOption(o.staging, 'staging', 100, 0, 100) } : {}),
      ...(o.pause ? { paused: true } : o.resume ? { paused: false } : {}),
      ...(external ? { externalFeedUrl: external.data ?? null } : o.hosted ? { externalFeedUrl: null } : {}),
    };
    const info = Object.keys(patch).length ? await refusing(updateChannel(hub, channel, patch)) : await refusing(getChannel(hub.db, channel));
    line(io.stdout, o.json ? JSON.stringify(info) : `${info.name}: ${info.externalFeedUrl ? `redirected to ${info.externalFeedUrl}` : `${info.release ? info.release.version : 'no release'} at ${info.paused ? '0 % (paused)' : `${info.stagingPercentage} %`}`}`);
    return 0;
  }
  switch (p[1]) {
    case 'add': {
      if (p.length < 4) throw new UsageError('release add needs the yml and at least one artifact: release add latest-linux.yml lobby-kiosk_1.4.0_amd64.deb [--channel C] [--staging N]');
      const channel = channelOf(o.channel);
      const staging = o.staging === undefined ? {} : { stagingPercentage: intOption(o.staging, 'staging', 100, 0, 100) };
      const yml = readFileSync(p[2]!, 'utf8');
      const hub = await open();
      const store = artifactStoreFor(ctx);
      const release = await refusing(createRelease(hub, { channel, yml, createdBy: `cli:${io.env.USER ?? 'unknown'}` }));
      try {
        for (const file of p.slice(3)) {
          const name = basename(file);
          await refusing(uploadArtifact(hub, store, release.id, name, createReadStream(file), statSync(file).size));
        }
      } catch (err) {
        // nothing half-added: the pending release goes with the failed upload
        await deleteRelease(hub, store, release.id).catch(() => {});
        throw err;
      }
      const published = await refusing(publishRelease(hub, release.id, staging));
      const info = await getChannel(hub.db, channel);
      line(io.stdout, o.json ? JSON.stringify({ release: published, channel: info }) : `release ${published.version} published on '${channel}' at ${info.stagingPercentage} % (feed: ${info.feedPath})`);
      return 0;
    }
    case 'list': {
      const hub = await open();
      const releases = await listReleases(hub.db, o.channel === undefined ? undefined : channelOf(o.channel));
      if (o.json) line(io.stdout, JSON.stringify({ releases, channels: await listChannels(hub.db) }));
      else if (releases.length === 0) line(io.stdout, 'no releases; add one with `hub release add <yml> <artifact>`');
      else line(io.stdout, table([['CHANNEL', 'VERSION', 'STATE', 'SERVED', 'FILES', 'PUBLISHED', 'ID'], ...releases.map((r) => [r.channel, r.version, r.state, r.current ? 'yes' : '-', r.files.map((f) => f.name).join(' '), r.publishedAt ?? '-', r.id])]));
      return 0;
    }
    default:
      throw unknownCommand(p);
  }
};
