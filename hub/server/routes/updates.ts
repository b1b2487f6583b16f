// App updates (hub/updates/): the public feed electron-updater reads, releases uploaded by central
// IT (the artifact as the raw request body, streamed to disk — this plugin's content-type parser
// hands the handler the stream instead of buffering it), channels and rollouts, adoption.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { UPDATES_ROUTES } from '../../../contracts/hub-routes/updates.ts';
import { ArtifactName } from '../../../contracts/updates.ts';
import { fleetScope } from '../../fleet/scope.ts';
import { adoption } from '../../updates/adoption.ts';
import { createRelease, deleteRelease, getRelease, listReleases, publishRelease, uploadArtifact } from '../../updates/releases.ts';
import { feedArtifact, feedYml, getChannel, listChannels, updateChannel } from '../../updates/rollouts.ts';
import { areaPlugin } from '../area-plugin.ts';
import { parseByteRange, rangeError } from '../byte-range.ts';
import type { HubContext } from '../context.ts';
import { HttpError } from '../errors.ts';

const routes = areaPlugin(UPDATES_ROUTES, ({ hub, artifacts, events, fleet }) => {
  const releaseChanged = async (id: string) => {
    const release = await getRelease(hub.db, id);
    events.publish({ type: 'release.changed', branch: null, data: { release } });
    return release;
  };
  const rolloutChanged = async (channel: string) => {
    const info = await getChannel(hub.db, channel);
    events.publish({ type: 'rollout.changed', branch: null, data: { channel: info } });
    return info;
  };
  return {
    'updates.feed.yml': async ({ params, reply }) => {
      const a = await feedYml(hub.db, params.channel);
      if (a.kind === 'none') throw new HttpError(404, 'not_found', a.reason);
      if (a.kind === 'redirect') return reply.redirect(a.url, 302);
      return reply.header('content-type', 'text/yaml; charset=utf-8').header('cache-control', 'no-cache').header('etag', a.etag).send(a.text);
    },
    'updates.feed.artifact': async ({ params, req, reply }) => {
      // electron-updater asks for <channel>-linux.yml when the kiosk's configuration names the channel too
      if (params.file === `${params.channel}-linux.yml`) {
        const a = await feedYml(hub.db, params.channel);
        if (a.kind === 'none') throw new HttpError(404, 'not_found', a.reason);
        if (a.kind === 'redirect') return reply.redirect(a.url, 302);
        return reply.header('content-type', 'text/yaml; charset=utf-8').header('cache-control', 'no-cache').header('etag', a.etag).send(a.text);
      }
      if (!ArtifactName.safeParse(params.file).success) throw new HttpError(404, 'not_found', `no artifact '${params.file.slice(0, 64)}' in channel '${params.channel}'`);
      const a = await feedArtifact(hub.db, params.channel, params.file);
      if (a.kind === 'none' || (a.kind === 'file' && !artifacts.has(a.sha512))) throw new HttpError(404, 'not_found', `no artifact '${params.file}' in channel '${params.channel}'`);
      if (a.kind === 'redirect') return reply.redirect(a.url, 302);
      const path = artifacts.pathOf(a.sha512);
      const range = parseByteRange(req.headers.range, a.size);
      if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${a.size}`).send(rangeError(req.headers.range, a.size));
      reply.header('content-type', 'application/octet-stream').header('accept-ranges', 'bytes').header('etag', `"${Buffer.from(a.sha512, 'base64').toString('hex').slice(0, 32)}"`).header('cache-control', 'no-cache');
      if (range) return reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${a.size}`).header('content-length', range.end - range.start + 1).send(createReadStream(path, range));
      return reply.header('content-length', a.size).send(createReadStream(path));
    },
    'updates.channels.list': async () => ({ channels: await listChannels(hub.db) }),
    'updates.channels.update': async ({ params, body }) => {
      await updateChannel(hub, params.channel, body);
      return { channel: await rolloutChanged(params.channel) };
    },
    'updates.adoption': async ({ query, principal }) => adoption(hub.db, fleetScope(principal), await fleet.clock(), query.branch),
    'updates.releases.list': async ({ query }) => ({ releases: await listReleases(hub.db, query.channel) }),
    'updates.releases.get': async ({ params }) => ({ release: await getRelease(hub.db, params.id) }),
    'updates.releases.create': async ({ body, principal }) => {
      const release = await createRelease(hub, { channel: body.channel, yml: body.yml, createdBy: principal.name });
      events.publish({ type: 'release.changed', branch: null, data: { release } });
      return { release };
    },
    'updates.releases.upload': async ({ params, req }) => {
      const length = req.headers['content-length'];
      await uploadArtifact(hub, artifacts, params.id, params.file, req.body as Readable, length === undefined ? undefined : Number(length));
      return { release: await releaseChanged(params.id) };
    },
    'updates.releases.publish': async ({ params, body }) => {
      const release = await publishRelease(hub, params.id, body);
      await rolloutChanged(release.channel);
      return { release: await releaseChanged(params.id) };
    },
    'updates.releases.delete': async ({ params }) => {
      const release = await deleteRelease(hub, artifacts, params.id);
      events.publish({ type: 'release.changed', branch: null, data: { release } });
      return { release };
    },
  };
});

/** The area plugin with a content-type parser for artifact uploads: the body stays a stream. */
const updates: FastifyPluginAsync<HubContext> = async (app, ctx) => {
  app.addContentTypeParser('application/octet-stream', { bodyLimit: ctx.artifacts.maxBytes }, (_req, payload, done) => done(null, payload));
  // An upload refused before its body was read (too large, unknown release, wrong type): the
  // connection closes after the answer instead of waiting for bytes nobody will read.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method === 'PUT' && !req.raw.complete) reply.header('connection', 'close');
    return payload;
  });
  await routes(app, ctx);
};
export default updates;
