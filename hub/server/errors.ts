// Every error the hub answers has one shape, `{ error: { code, message, … } }` (HubErrorBody in
// contracts/sync-protocol.ts): domain errors map to their statuses here, Fastify's own errors to
// our codes, anything unexpected to a generic 500 whose details stay in the log.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { AccountError } from '../accounts/errors.ts';
import { FleetError } from '../fleet/kiosks.ts';
import { DomainError } from '../identity/identity.ts';
import { SyncRequestError } from '../sync/pages.ts';
import { UpdateError } from '../updates/errors.ts';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

/**
 * 400 for a request part that failed its schema: `<label>: field '<path>': <message>`, with
 * `details` naming each bad field. A path parameter is named by the label ('bad challenge id: …'),
 * so its message has no field part; its details still carry the parameter's name.
 */
export function badRequest(label: string, error: z.ZodError, part: 'params' | 'query' | 'body'): HttpError {
  const details = error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = error.issues[0]!;
  const shown = (part === 'params' ? first.path.slice(1) : first.path).map(String).join('.');
  return new HttpError(400, 'bad_request', `${label}: ${shown ? `field '${shown}': ` : ''}${first.message}`, details);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` } });
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (err instanceof SyncRequestError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.horizon !== undefined ? { horizon: err.horizon } : {}) } });
    }
    if (err instanceof AccountError) {
      if (err.retryAfterSec !== undefined) void reply.header('retry-after', String(err.retryAfterSec));
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.retryAfterSec !== undefined ? { retryAfterSec: err.retryAfterSec } : {}) } });
    }
    if (err instanceof DomainError) {
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.retryAfterSec !== undefined ? { retryAfterSec: err.retryAfterSec } : {}) } });
    }
    if (err instanceof UpdateError) {
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (err instanceof FleetError) {
      const status = err.code === 'not_found' ? 404 : err.code === 'conflict' ? 409 : 400;
      return reply.code(status).send({ error: { code: err.code, message: err.message } });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: err.message } });
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'too_large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
              ? 'malformed_json'
              : 'bad_request';
      return reply.code(status).send({ error: { code, message: err.message } });
    }
    req.log.error({ err: { message: err.message, code: err.code } }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error; see the hub log' } });
  });
}
