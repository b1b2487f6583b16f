// The audit entry of a state-changing request to a `user` route, written by the route helper
// (hub/server/area-plugin.ts) for every such route of the table — handlers do not write their own.
// An onSend hook: the entry is in the database before the answer leaves, so a caller who saw
// success can find it. Refusals of a known person (wrong role, scope, CSRF) are entries too
// (`denied`); a request without valid credentials is not (nobody to name; the per-address
// failure limit handles it). A failed write is logged loudly and does not change the answer:
// the action itself has already happened.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditResult } from '../../contracts/accounts.ts';
import type { HubDb } from '../db/open.ts';
import { appendAudit } from './audit-log.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** What a handler adds to its request's audit entry: the target (default: the path
     *  parameters) and a short detail. Never secrets or request bodies. */
    audit: { target?: string; detail?: string } | null;
  }
}

export function resultOf(status: number): AuditResult {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'denied';
  return status < 500 ? 'failed' : 'error';
}

function defaultTarget(req: FastifyRequest): string | null {
  const params = req.params as Record<string, unknown> | undefined;
  const values = params ? Object.values(params).filter((v): v is string => typeof v === 'string') : [];
  return values.length ? values.join('/') : null;
}

export function auditHook(hub: HubDb, routeId: string) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const who = req.principal?.kind === 'user' ? req.principal : req.caller;
    if (!who) return payload;
    const detail = [req.audit?.detail, who.via === 'admin-token' ? 'shared admin token (deprecated)' : who.via === 'token' ? 'personal token' : null].filter(Boolean).join('; ');
    try {
      await appendAudit(hub.db, {
        actor: { kind: 'user', id: who.id, name: who.name, role: who.role },
        action: routeId,
        target: req.audit?.target ?? defaultTarget(req),
        result: resultOf(reply.statusCode),
        status: reply.statusCode,
        address: req.ip,
        detail: detail || null,
      });
    } catch (err) {
      req.log.error({ err: { message: (err as Error).message }, action: routeId }, 'AUDIT WRITE FAILED');
    }
    return payload;
  };
}
