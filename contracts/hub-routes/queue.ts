// Queue numbers, kiosk side: take the branch's next number for a service. A counter calls the next
// one through admin.queue.call. Shapes: contracts/queue.ts.
import { QueueTakeRequest, QueueTicket } from '../queue.ts';
import { json, KIOSK, route } from './define.ts';

export const QUEUE_ROUTES = {
  'queue.take': route({
    method: 'POST',
    path: '/v1/queue/take',
    auth: KIOSK,
    summary: "take the branch's next queue number for a service (per branch, service and day; with the kiosk's offline letter)",
    body: QueueTakeRequest,
    responses: { 200: json(QueueTicket, 'the number') },
    invalid: 'bad queue request',
  }),
} as const;
