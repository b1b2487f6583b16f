// The kiosk's raw requests to the hub (sync pages, blobs, outbox batches; client.ts for the rest):
// Node's fetch, a timeout on every request, bodies read with a size ceiling (a hostile or broken hub
// cannot make the kiosk buffer gigabytes); and the transport policy for every call: https, or plain
// http only to a loopback address unless explicitly allowed (hubUrl).
import { SyncError } from './errors.ts';

export interface HubEndpoint {
  url: URL;
  token: string;
  /** Sent with every request (X-Kiosk-App-Version, X-Kiosk-Outbox-Backlog). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** Parses and checks a hub URL: https anywhere, http only to loopback unless `allowInsecureHttp`. */
export function hubUrl(raw: string, options: { allowInsecureHttp?: boolean } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SyncError('config', `not a URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SyncError('config', `hub URL must be https:// (got ${url.protocol})`);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !options.allowInsecureHttp) {
    throw new SyncError('config', `refusing plain http to ${url.hostname}: use https, or allow insecure http explicitly (--allow-insecure-http / KIOSK_ALLOW_INSECURE_HTTP=1)`);
  }
  if (url.username || url.password) throw new SyncError('config', 'hub URL must not carry credentials; use the device token');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

export interface HubResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/**
 * The chunks of a response body. A connection cut mid-body becomes SyncError('network') with the
 * caller's wording; leaving the loop early (a size limit) cancels the rest of the body.
 */
export async function* bodyChunks(res: Response, cutOff: (err: Error) => string): AsyncGenerator<Uint8Array> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let finished = false;
  try {
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (err) {
        finished = true;
        throw new SyncError('network', cutOff(err as Error));
      }
      if (chunk.done) {
        finished = true;
        return;
      }
      yield chunk.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}

export async function readCapped(res: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (res.headers.get('content-encoding') === null && Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new SyncError('too_large', `${what} is ${declared} bytes, more than the ${maxBytes} this kiosk accepts`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const value of bodyChunks(res, (err) => `${what} cut off after ${size} bytes (${err.message})`)) {
    size += value.byteLength;
    if (size > maxBytes) throw new SyncError('too_large', `${what} is larger than the ${maxBytes} bytes this kiosk accepts`);
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** fetch with the token and a timeout; network failures become SyncError('network'). */
export async function hubFetch(ep: HubEndpoint, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  const url = new URL(path, ep.url);
  try {
    return await fetch(url, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${ep.token}`, 'accept-encoding': 'gzip', ...ep.headers, ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: AbortSignal.timeout(ep.timeoutMs ?? 30_000),
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${(ep.timeoutMs ?? 30_000) / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new SyncError('network', `cannot reach the hub at ${ep.url.origin}: ${why}`);
  }
}

/** Turns a non-2xx answer into a SyncError with the hub's own message when it sent one. */
export async function failure(res: Response, what: string): Promise<SyncError> {
  let message = `${res.status} ${res.statusText}`;
  let code: string | undefined;
  try {
    const body = JSON.parse((await readCapped(res, 64 * 1024, 'error body')).toString('utf8')) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = `${res.status} ${String(body.error.message).slice(0, 300)}`;
    code = body.error?.code;
  } catch {
    /* not our JSON: keep the status line */
  }
  if (res.status === 401 || res.status === 403) return new SyncError('auth', `${what}: the hub refused the device token (${message})`, res.status);
  return Object.assign(new SyncError('http', `${what}: ${message}`, res.status), { hubCode: code });
}
