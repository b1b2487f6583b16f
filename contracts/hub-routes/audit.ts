// The audit log (central IT only): filtered list, newest first, and the same as CSV.
import { z } from 'zod';
import { AuditEntry, AuditQuery } from '../accounts.ts';
import { ADMIN, binary, json, route } from './define.ts';

export const AUDIT_ROUTES = {
  'audit.list': route({
    method: 'GET',
    path: '/v1/audit',
    auth: ADMIN,
    summary: 'audit entries, newest first; filter by actor, action (or prefix.*), target (or prefix*), result, time; page with before=<id>',
    query: AuditQuery,
    responses: { 200: json(z.strictObject({ entries: z.array(AuditEntry) }), 'entries') },
    invalid: 'bad audit query',
  }),
  'audit.export': route({
    method: 'GET',
    path: '/v1/audit.csv',
    auth: ADMIN,
    summary: 'the filtered audit log as CSV (at most 100 000 rows; formula-looking cells neutralised)',
    query: AuditQuery.omit({ limit: true }),
    responses: { 200: binary('the entries as CSV, newest first', 'text/csv') },
    invalid: 'bad audit query',
  }),
} as const;
