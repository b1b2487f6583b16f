// Queue numbers, kiosk side (hub/queue/queue.ts); a counter calls them through admin.queue.call.
import { QUEUE_ROUTES } from '../../../contracts/hub-routes/queue.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(QUEUE_ROUTES, ({ queue }) => ({
  'queue.take': async ({ body, principal }) => queue.take(principal.id, principal.branch, body.service),
}));
