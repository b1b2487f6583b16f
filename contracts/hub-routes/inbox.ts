// Outbox delivery: what kiosks queued (tickets, ratings, requests, analytics, audit) arrives in the
// hub's inbox, once per idempotency key. Item shapes: contracts/outbox.ts.
import { OutboxBatch, OutboxBatchResult } from '../outbox.ts';
import { json, KIOSK, route } from './define.ts';

export const INBOX_ROUTES = {
  'inbox.deliver': route({
    method: 'POST',
    path: '/v1/outbox',
    auth: KIOSK,
    summary: 'deliver outbox items; per-item acknowledgement',
    body: OutboxBatch,
    responses: { 200: json(OutboxBatchResult, 'one result per item') },
    errors: { 413: 'batch larger than 1 MiB' },
    invalid: 'bad outbox batch',
  }),
} as const;
