// Calls to the hub for the kiosk API (identification, orders, queue numbers): through the typed
// client (client.ts), with the customer's session token when there is one; no answer becomes
// `offline`, the hub's refusals the kiosk API error the UI can act on.
import { CUSTOMER_SESSION_HEADER } from '../../contracts/identity.ts';
import type { HubResult } from '../../contracts/hub-client.ts';
import { KioskApiError, type ErrorCode, type KioskMethod } from '../../contracts/kiosk-api.ts';
import { callHub, HubClientError, type HubRouteId } from './client.ts';
import type { HubEndpoint } from './http.ts';

/** A hub answer that is not 2xx, as the kiosk API error the UI can act on. */
export class HubAnswerError extends KioskApiError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly hubCode: string | undefined,
    readonly retryAfterSec: number | undefined,
  ) {
    super(code, message);
  }
}

const OFFLINE_MESSAGE = 'the order system cannot be reached right now (the kiosk is offline)';

/** The kiosk API error for a hub refusal (status ≥ 400). */
function refusalCode(status: number, hubCode: string): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 423 || status === 429 || hubCode === 'conflict') return 'locked';
  if (status === 410) return 'timeout';
  if (status >= 500) return 'offline';
  return 'invalid_argument';
}

/**
 * Calls route `id` for kiosk API `method` (named in errors) and returns the hub's answer, checked
 * against the route table. No answer (unreachable, timeout, cut or oversized) → `offline`; a
 * refusal → HubAnswerError (the status kept for callers that tell them apart); arguments the table
 * refuses → `invalid_argument`; an answer that breaks the table → an internal error.
 */
export async function hubJson<Id extends HubRouteId>(
  endpoint: HubEndpoint | null,
  method: KioskMethod,
  id: Id,
  init: { params?: Record<string, string>; body?: unknown; customerToken?: string } = {},
): Promise<HubResult<Id>> {
  if (!endpoint) throw new KioskApiError('not_available', `${method} is not available: no hub is configured on this kiosk`);
  try {
    return await callHub(endpoint, id, {
      ...(init.params ? { params: init.params } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.customerToken ? { headers: { [CUSTOMER_SESSION_HEADER]: init.customerToken } } : {}),
    });
  } catch (err) {
    if (!(err instanceof HubClientError)) throw err;
    if (err.status >= 400) {
      const code = refusalCode(err.status, err.code);
      throw new HubAnswerError(code, code === 'offline' ? `the order system failed (${err.status}); try again later` : err.message.slice(0, 300), err.status, err.code, err.retryAfterSec);
    }
    if (err.code === 'bad_request') throw new KioskApiError('invalid_argument', `${method}: ${err.message.slice(0, 300)}`);
    if (err.code === 'bad_response' || err.code === 'unknown_route') throw new Error(`${method}: ${err.message}`, { cause: err });
    throw new KioskApiError('offline', OFFLINE_MESSAGE); // unreachable, timeout, aborted, too_large
  }
}
