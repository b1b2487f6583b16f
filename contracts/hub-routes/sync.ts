// Sync protocol v1 (docs/sync-protocol.md): pages of changes and the blobs they refer to. The
// shapes are in contracts/sync-protocol.ts, which the kiosk's sync engine parses pages with.
import { z } from 'zod';
import { KIOSK_HEADERS, Sha256Hex, SyncPage, SyncQuery } from '../sync-protocol.ts';
import { binary, json, KIOSK, noBody, route } from './define.ts';

const optional = (description: string) => z.string().optional().meta({ description });

/** What a kiosk reports with each poll (the fleet view); a malformed value is ignored, never refused. */
export const KioskStatusHeaders = z.object({
  [KIOSK_HEADERS.appVersion]: optional('the kiosk app version'),
  [KIOSK_HEADERS.outboxBacklog]: optional('items waiting in the kiosk outbox'),
  [KIOSK_HEADERS.updateState]: optional('the app updater state (idle, downloading, downloaded, …)'),
  [KIOSK_HEADERS.deviceHealth]: optional('device health codes (contracts/device-health.ts)'),
  [KIOSK_HEADERS.uptime]: optional('seconds since the kiosk core started'),
});

export const SYNC_ROUTES = {
  'sync.changes': route({
    method: 'GET',
    path: '/v1/sync/changes',
    auth: KIOSK,
    summary: 'one page of a sync (since → to]; 304 from memory when nothing changed',
    query: SyncQuery,
    headers: KioskStatusHeaders.extend({
      'if-none-match': optional('"<hubId>:<cursor>": 304 when the hub’s head is still that'),
      'accept-encoding': optional('gzip: the page is compressed when it is larger than 1 KiB'),
    }),
    responses: { 200: json(SyncPage, 'a page; gzip when asked'), 304: noBody('nothing changed since the cursor in If-None-Match') },
    errors: {
      409: 'snapshot_expired: start again from the committed cursor',
      410: 'reset_required: the cursor is older than the tombstone horizon or from another hub; sync from 0',
    },
    invalid: 'bad sync query',
  }),
  'sync.blob': route({
    method: 'GET',
    path: '/v1/blobs/:sha256',
    auth: KIOSK,
    summary: 'a content-addressed file (Range supported)',
    params: z.strictObject({ sha256: Sha256Hex }),
    headers: z.object({ range: optional('bytes=<start>-<end>, bytes=<start>- or bytes=-<suffix>') }),
    responses: { 200: binary('the bytes'), 206: binary('the requested range') },
    errors: { 404: 'no such blob', 416: 'range not satisfiable' },
    invalid: 'bad blob digest',
  }),
} as const;
