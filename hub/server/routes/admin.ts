// Central IT's API: kiosks and their commands, configuration layers, inbox and analytics,
// compaction, calling the next queue number.
import { ADMIN_ROUTES } from '../../../contracts/hub-routes/admin.ts';
import { OUTBOX_KINDS, type OutboxKind } from '../../../contracts/outbox.ts';
import { createCommand, listCommands } from '../../fleet/commands.ts';
import { setConfig } from '../../fleet/config.ts';
import { announceConfig } from '../../fleet/config-editor.ts';
import { addKiosk, findKiosk, listKiosks, revokeKiosk } from '../../fleet/kiosks.ts';
import { listInbox, searchStats } from '../../inbox/inbox.ts';
import { compact } from '../../sync/gc.ts';
import { areaPlugin } from '../area-plugin.ts';
import { HttpError } from '../errors.ts';

const kioskName = (name: string) => name.slice(0, 64);

export default areaPlugin(ADMIN_ROUTES, ({ hub, head, auth, queue, events, fleet }) => ({
  'admin.kiosks.list': async () => ({ kiosks: await listKiosks(hub.db) }),
  'admin.kiosks.create': async ({ body }) => {
    const r = await addKiosk(hub, body.name, body.branch ?? null);
    await fleet.announceKiosk(r.kiosk.name, 'kiosk.enrolled');
    return r;
  },
  'admin.kiosks.revoke': async ({ params }) => {
    const kiosk = await revokeKiosk(hub, params.name);
    auth.tokens.forget();
    await fleet.announceKiosk(kiosk.name, 'kiosk.revoked');
    return { kiosk };
  },
  'admin.kiosks.commands.create': async ({ params, body }) => {
    const command = await createCommand(hub, kioskName(params.name), body.type);
    events.publish({ type: 'command.updated', branch: (await findKiosk(hub.db, command.kiosk))?.branch ?? null, data: { command } });
    return { command };
  },
  'admin.kiosks.commands.list': async ({ params, query }) => ({ commands: await listCommands(hub.db, kioskName(params.name), query.limit ?? 100) }),
  'admin.config.set': async ({ body }) => {
    const result = await setConfig(hub, body.target, body.config);
    head.invalidate();
    if (result.puts + result.deletes > 0) await announceConfig(hub, events, body.target);
    return result;
  },
  'admin.inbox.list': async ({ params, query }) => {
    if (!OUTBOX_KINDS.includes(params.kind as OutboxKind)) throw new HttpError(404, 'not_found', `no item kind '${params.kind.slice(0, 64)}'`);
    return { items: await listInbox(hub.db, params.kind as OutboxKind, query.limit ?? 100) };
  },
  'admin.analytics.searches': async ({ query: q }) => ({
    searches: await searchStats(hub.db, { noResults: q.noResults === 'true' || q.noResults === '1', limit: q.limit ?? 50, locale: q.locale }),
  }),
  'admin.gc': async ({ body }) => {
    const result = await compact(hub, { olderThanMs: body.olderThanDays * 86_400_000 });
    head.invalidate();
    return result;
  },
  'admin.queue.call': async ({ body }) => queue.callNext(body.branch, body.service),
}));
