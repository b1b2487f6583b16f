// Outbox delivery: each item applied once by its key (hub/inbox/inbox.ts).
import { INBOX_ROUTES } from '../../../contracts/hub-routes/inbox.ts';
import { acceptBatch } from '../../inbox/inbox.ts';
import { applyQueuedOrderRequests } from '../../orders/queued.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(INBOX_ROUTES, ({ hub, orders }) => ({
  'inbox.deliver': async ({ body: batch, principal, req }) => {
    const results = await acceptBatch(hub, principal.id, batch);
    // Order requests queued while the hub was unreachable take effect now (idempotent by item key).
    for (const o of await applyQueuedOrderRequests(hub, orders, principal.id, batch, results)) {
      if (!o.applied) req.log.warn({ key: o.key, reason: o.reason }, 'queued order request not applied; it stays in the inbox for staff');
    }
    return { results };
  },
}));
