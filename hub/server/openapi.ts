// OpenAPI 3.1 description of the hub, generated from the same zod schemas the server validates
// with (served at /v1/openapi.json, printed by `hub openapi`, summarised in docs/hub-api.md).
import { z } from 'zod';
import { CommandInfo, CreateCommandRequest, CreateKioskRequest, CreateKioskResponse, GcRequest, HealthResponse, InboxEntry, KioskInfo, PublishSummary, SearchStat, SetConfigRequest } from '../../contracts/hub-api.ts';
import { OutboxBatch, OutboxBatchResult } from '../../contracts/outbox.ts';
import { QueueCallRequest, QueueCallResult, QueueTakeRequest, QueueTicket } from '../../contracts/queue.ts';
import { FleetCommandResult, FleetCommandResultResponse, HubErrorBody, OpenFleetCommands, SyncPage } from '../../contracts/sync-protocol.ts';
import {
  CustomerSessionGrant,
  IdCardIdentifyRequest,
  OrderChangeRequest,
  OrderRequestResult,
  OrderView,
  RefundRequest,
  SmsRequest,
  SmsRequestResponse,
  SmsVerifyRequest,
} from '../../contracts/identity.ts';
import {
  FingerprintChallengeRequest,
  FingerprintChallengeResponse,
  FingerprintEnrolRequest,
  FingerprintEnrolResponse,
  FingerprintRelease,
  FingerprintResultRequest,
} from '../../contracts/fingerprint.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: 'any', io: 'output', target: 'draft-2020-12' });
const json = (s: z.ZodType) => ({ 'application/json': { schema: schema(s) } });
const error = (description: string) => ({ description, content: json(HubErrorBody) });
const query = (name: string, description: string, required = false) => ({ name, in: 'query', required, description, schema: { type: 'integer', minimum: 0 } });

export function buildOpenApi(): Record<string, unknown> {
  const kiosk = [{ kioskToken: [] }];
  const admin = [{ adminToken: [] }];
  const common = { '400': error('invalid request (details name each bad field)'), '401': error('missing, unknown or revoked token'), '429': error('rate limited') };
  return {
    openapi: '3.1.0',
    info: { title: 'Lobby Kiosk hub', version: '1', description: 'Sync protocol v1 (docs/sync-protocol.md), outbox delivery and the admin API.' },
    components: {
      securitySchemes: {
        kioskToken: { type: 'http', scheme: 'bearer', description: 'device token printed once by `hub kiosk add`' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'admin token printed once by `hub admin-token`' },
      },
    },
    paths: {
      '/v1/health': { get: { summary: 'liveness, hub id and head', responses: { '200': { description: 'ok', content: json(HealthResponse) } } } },
      '/v1/sync/changes': {
        get: {
          summary: 'one page of a sync (since → to]',
          security: kiosk,
          parameters: [
            query('since', 'the kiosk’s committed cursor (0 = full sync)', true),
            query('after', 'resume after this seq (the previous page’s `next`)'),
            query('to', 'the snapshot fixed by the first page'),
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            { name: 'If-None-Match', in: 'header', schema: { type: 'string' }, description: '"<hubId>:<cursor>": 304 when the hub’s head is still that' },
          ],
          responses: {
            '200': { description: 'a page; gzip when asked', content: json(SyncPage) },
            '304': { description: 'nothing changed since the cursor in If-None-Match' },
            '409': error('snapshot_expired: start again from the committed cursor'),
            '410': error('reset_required: the cursor is older than the tombstone horizon or from another hub; sync from 0'),
            ...common,
          },
        },
      },
      '/v1/fleet/commands': {
        get: { summary: 'this kiosk’s open commands, oldest first (fetched after each sync poll)', security: kiosk, responses: { '200': { description: 'open commands', content: json(OpenFleetCommands) }, ...common } },
      },
      '/v1/fleet/commands/{id}/result': {
        post: {
          summary: 'report a command’s outcome; idempotent (the first final report wins)',
          security: kiosk,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: true, content: json(FleetCommandResult) },
          responses: { '200': { description: 'recorded (duplicate: a retry that changed nothing)', content: json(FleetCommandResultResponse) }, '404': error('no such command for this kiosk'), '409': error('already finished with another outcome'), ...common },
        },
      },
      '/v1/blobs/{sha256}': {
        get: {
          summary: 'a content-addressed file (Range supported)',
          security: kiosk,
          parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }, { name: 'Range', in: 'header', schema: { type: 'string' } }],
          responses: { '200': { description: 'the bytes' }, '206': { description: 'the requested range' }, '404': error('no such blob'), '416': error('range not satisfiable'), ...common },
        },
      },
      '/v1/outbox': {
        post: {
          summary: 'deliver outbox items; per-item acknowledgement',
          security: kiosk,
          requestBody: { required: true, content: json(OutboxBatch) },
          responses: { '200': { description: 'one result per item', content: json(OutboxBatchResult) }, '413': error('batch larger than 1 MiB'), ...common },
        },
      },
      '/v1/identity/idcard': {
        post: {
          summary: 'identify by the ID number read from the card; the hub keeps only its HMAC',
          security: kiosk,
          requestBody: { required: true, content: json(IdCardIdentifyRequest) },
          responses: { '200': { description: 'masked customer and a customer session token scoped to this kiosk', content: json(CustomerSessionGrant) }, '404': error('no such customer'), ...common },
        },
      },
      '/v1/identity/sms/request': {
        post: {
          summary: 'send an SMS code (cool-down, per-phone and per-kiosk limits: 429 with retryAfterSec)',
          security: kiosk,
          requestBody: { required: true, content: json(SmsRequest) },
          responses: { '200': { description: 'challenge (same answer for unknown numbers)', content: json(SmsRequestResponse) }, ...common },
        },
      },
      '/v1/identity/sms/verify': {
        post: {
          summary: 'check an SMS code',
          security: kiosk,
          requestBody: { required: true, content: json(SmsVerifyRequest) },
          responses: {
            '200': { description: 'identified', content: json(CustomerSessionGrant) },
            ...common,
            '401': error('wrong_code, or a missing/unknown device token'),
            '404': error('no such challenge or customer'),
            '409': error('code used up'),
            '410': error('expired'),
            '423': error('locked after too many wrong codes'),
          },
        },
      },
      '/v1/identity/fingerprint/templates': {
        post: {
          summary: "staff enrolment: store a customer's fingerprint template (sealed with AES-256-GCM at rest; replaces an earlier one)",
          security: kiosk,
          requestBody: { required: true, content: json(FingerprintEnrolRequest) },
          responses: { '200': { description: 'enrolled', content: json(FingerprintEnrolResponse) }, '404': error('no customer with this reference'), ...common },
        },
      },
      '/v1/identity/fingerprint/challenges': {
        post: {
          summary: '1:1 verification for the customer who owns this phone: a challenge bound to this kiosk (same answer for unknown numbers; per-phone and per-kiosk limits: 429)',
          security: kiosk,
          requestBody: { required: true, content: json(FingerprintChallengeRequest) },
          responses: { '200': { description: 'challenge', content: json(FingerprintChallengeResponse) }, ...common },
        },
      },
      '/v1/identity/fingerprint/challenges/{id}/template': {
        post: {
          summary: "release the template for one attempt, to the kiosk that opened the challenge only (a stable decoy when there is no template)",
          security: kiosk,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '200': { description: 'template (base64)', content: json(FingerprintRelease) }, '404': error('no such challenge on this kiosk'), '409': error('released and not yet reported, or closed'), '410': error('expired'), '423': error('no tries left'), ...common },
        },
      },
      '/v1/identity/fingerprint/challenges/{id}/result': {
        post: {
          summary: "the sensor's verdict on the released template; a match yields the customer session",
          security: kiosk,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: true, content: json(FingerprintResultRequest) },
          responses: {
            '200': { description: 'identified', content: json(CustomerSessionGrant) },
            ...common,
            '401': error('no_match (the same for a wrong finger, an unknown number and no template), or a missing/unknown device token'),
            '404': error('no such challenge on this kiosk'),
            '409': error('nothing released for this attempt, or closed'),
            '410': error('expired'),
            '423': error('locked after the last try'),
          },
        },
      },
      '/v1/customer/sessions/{id}/revoke': {
        post: { summary: 'revoke a customer session (kiosk session ended)', security: kiosk, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'revoked' }, '404': error('no such session on this kiosk'), ...common } },
      },
      '/v1/customer/orders': {
        get: { summary: 'orders of the identified customer (X-Customer-Session header)', security: kiosk, responses: { '200': { description: 'orders', content: json(z.object({ orders: z.array(OrderView) })) }, ...common } },
      },
      '/v1/customer/orders/{id}': {
        get: { summary: 'one order', security: kiosk, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'order', content: json(OrderView) }, '404': error('no such order of this customer'), ...common } },
      },
      '/v1/customer/orders/{id}/changes': {
        post: {
          summary: 'change delivery address/time or cancel (idempotency key)',
          security: kiosk,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(OrderChangeRequest) },
          responses: { '200': { description: 'applied (or applied before: duplicate)', content: json(OrderRequestResult) }, '404': error('no such order'), '409': error('illegal_change, or the key was used for another request'), ...common },
        },
      },
      '/v1/customer/orders/{id}/refunds': {
        post: {
          summary: 'request a refund or return (idempotency key; items within what was ordered and not yet asked for, amount within what is still refundable)',
          security: kiosk,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(RefundRequest) },
          responses: { '200': { description: 'requested (or requested before: duplicate)', content: json(OrderRequestResult) }, '404': error('no such order'), '409': error('illegal_change, or the key was used for another request'), ...common },
        },
      },
      '/v1/queue/take': {
        post: {
          summary: "take the branch's next queue number for a service (per branch, service and day; with the kiosk's offline letter)",
          security: kiosk,
          requestBody: { required: true, content: json(QueueTakeRequest) },
          responses: { '200': { description: 'the number', content: json(QueueTicket) }, ...common },
        },
      },
      '/v1/admin/queue/call': {
        post: {
          summary: "a counter calls the next number of a branch's service today",
          security: admin,
          requestBody: { required: true, content: json(QueueCallRequest) },
          responses: { '200': { description: 'the number called (null: nobody waits)', content: json(QueueCallResult) }, ...common },
        },
      },
      '/v1/admin/kiosks': {
        get: { summary: 'list kiosks', security: admin, responses: { '200': { description: 'kiosks', content: json(z.object({ kiosks: z.array(KioskInfo) })) }, ...common } },
        post: {
          summary: 'add a kiosk; the token is in this response only',
          security: admin,
          requestBody: { required: true, content: json(CreateKioskRequest) },
          responses: { '201': { description: 'created', content: json(CreateKioskResponse) }, '409': error('name taken'), ...common },
        },
      },
      '/v1/admin/kiosks/{name}': {
        delete: { summary: 'revoke a kiosk’s token', security: admin, parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'revoked' }, '404': error('no such kiosk'), ...common } },
      },
      '/v1/admin/kiosks/{name}/commands': {
        post: {
          summary: 'send the kiosk a command (sync, restart, update-now); it runs after the kiosk’s next poll',
          security: admin,
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(CreateCommandRequest) },
          responses: { '201': { description: 'queued', content: json(z.object({ command: CommandInfo })) }, '404': error('no such kiosk'), '409': error('the kiosk is revoked'), ...common },
        },
        get: {
          summary: 'the kiosk’s commands with their states, newest first',
          security: admin,
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }],
          responses: { '200': { description: 'commands', content: json(z.object({ commands: z.array(CommandInfo) })) }, '404': error('no such kiosk'), ...common },
        },
      },
      '/v1/admin/config': {
        put: {
          summary: 'set a configuration layer (fleet, branch or kiosk); synced like the KB',
          security: admin,
          requestBody: { required: true, content: json(SetConfigRequest) },
          responses: { '200': { description: 'published', content: json(z.object({ revision: z.number(), head: z.number(), puts: z.number(), deletes: z.number(), unchanged: z.number() })) }, '404': error('no such kiosk'), ...common },
        },
      },
      '/v1/admin/inbox/{kind}': {
        get: {
          summary: 'received items of one kind (ticket, rating, …), newest first',
          security: admin,
          parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer' } }],
          responses: { '200': { description: 'items', content: json(z.object({ items: z.array(InboxEntry) })) }, ...common },
        },
      },
      '/v1/admin/analytics/searches': {
        get: {
          summary: 'top searches, or those with no result (content gaps)',
          security: admin,
          parameters: [{ name: 'noResults', in: 'query', schema: { type: 'boolean' } }, { name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'locale', in: 'query', schema: { type: 'string' } }],
          responses: { '200': { description: 'statistics', content: json(z.object({ searches: z.array(SearchStat) })) }, ...common },
        },
      },
      '/v1/admin/gc': {
        post: { summary: 'compact the change log', security: admin, requestBody: { content: json(GcRequest) }, responses: { '200': { description: 'what was dropped' }, ...common } },
      },
    },
    'x-publish-summary': schema(PublishSummary),
  };
}
