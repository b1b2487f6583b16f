// JSON calls to the hub for the kiosk API (identification, orders, queue numbers): the route from
// the table, the device token, the customer's session token when there is one; the transport's
// failures become `offline`, the hub's error answers the kiosk API error the UI can act on.
import { CUSTOMER_SESSION_HEADER } from '../../contracts/identity.ts';
import { KioskApiError, type ErrorCode, type KioskMethod } from '../../contracts/kiosk-api.ts';
import { SyncError } from './errors.ts';
import { hubFetch, readCapped, type HubEndpoint } from './http.ts';
import { hubMethod, hubPath, type HubRoute } from './routes.ts';

interface HubErrorBody {
  error?: { code?: string; message?: string; retryAfterSec?: number };
}

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

/**
 * JSON request to the hub for kiosk API `method` (named in errors); network failures → `offline`,
 * hub errors → kiosk API errors (HubAnswerError keeps the status for callers that tell them apart).
 */
export async function hubJson(
  endpoint: HubEndpoint | null,
  method: KioskMethod,
  route: HubRoute,
  init: { params?: Record<string, string>; body?: unknown; customerToken?: string } = {},
): Promise<unknown> {
  if (!endpoint) throw new KioskApiError('not_available', `${method} is not available: no hub is configured on this kiosk`);
  let res: Response;
  try {
    res = await hubFetch(endpoint, hubPath(route, init.params), {
      method: hubMethod(route),
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.customerToken ? { [CUSTOMER_SESSION_HEADER]: init.customerToken } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch (err) {
    if (err instanceof SyncError) throw new KioskApiError('offline', OFFLINE_MESSAGE);
    throw err;
  }
  let text: string;
  try {
    text = (await readCapped(res, 4 * 1024 * 1024, 'hub answer')).toString('utf8');
  } catch {
    throw new KioskApiError('offline', OFFLINE_MESSAGE);
  }
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (res.ok) return body;
  const e = (body as HubErrorBody | null)?.error;
  const hubCode = e?.code;
  const message = String(e?.message ?? `hub answered ${res.status}`).slice(0, 300);
  const code: ErrorCode =
    res.status === 404
      ? 'not_found'
      : res.status === 401 || res.status === 403
        ? 'unauthorized'
        : res.status === 423 || res.status === 429 || hubCode === 'conflict'
          ? 'locked'
          : res.status === 410
            ? 'timeout'
            : res.status >= 500
              ? 'offline'
              : 'invalid_argument';
  throw new HubAnswerError(code, code === 'offline' ? `the order system failed (${res.status}); try again later` : message, res.status, hubCode, e?.retryAfterSec);
}
