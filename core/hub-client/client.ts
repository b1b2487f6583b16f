// The hub's typed client (contracts/hub-client.ts, derived from its route table) as the kiosk uses
// it: the device token and the kiosk's status headers on every call, a timeout on every call, and
// answers read up to a size ceiling (a hostile or broken hub cannot make the kiosk buffer
// gigabytes). Calls that must stay raw (sync pages with ETag and gzip, blobs with Range, outbox
// batches judged item by item) use hubFetch (http.ts) with a path from the same table: hubPath.
import { createHubClient, type HubResult } from '../../contracts/hub-client.ts';
import type { HubRouteId } from '../../contracts/hub-routes/index.ts';
import type { HubEndpoint } from './http.ts';

export { HubClientError, hubPath } from '../../contracts/hub-client.ts';
export type { HubRouteId } from '../../contracts/hub-routes/index.ts';

/** Largest JSON answer the kiosk reads from a call (sync pages have their own, larger limit). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface HubCall {
  params?: Record<string, string>;
  body?: unknown;
  /** Per call, on top of the device token and the endpoint's headers (the customer session …). */
  headers?: Record<string, string>;
  maxResponseBytes?: number;
}

/** One call to route `id` of the hub at `endpoint`; a refusal or no answer throws HubClientError. */
export function callHub<Id extends HubRouteId>(endpoint: HubEndpoint, id: Id, call: HubCall = {}): Promise<HubResult<Id>> {
  const client = createHubClient({
    baseUrl: endpoint.url,
    headers: () => ({ authorization: `Bearer ${endpoint.token}`, ...endpoint.headers }),
    maxResponseBytes: call.maxResponseBytes ?? MAX_ANSWER_BYTES,
  });
  const options = {
    ...(call.params ? { params: call.params } : {}),
    ...(call.body !== undefined ? { body: call.body } : {}),
    ...(call.headers ? { headers: call.headers } : {}),
    signal: AbortSignal.timeout(endpoint.timeoutMs ?? 30_000),
  };
  // The route's argument types are checked at run time by the client (before anything is sent).
  return (client.call as (id: HubRouteId, options: object) => Promise<HubResult<Id>>)(id, options);
}
