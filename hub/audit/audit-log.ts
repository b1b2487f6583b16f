// The audit log: who did what to which target, when, from where, and how it ended. Append-only —
// this module only inserts and reads, and triggers in the database refuse UPDATE and DELETE
// (migration 0008). Entries never carry a password, a token, a session id or request bodies.
import { sql } from 'kysely';
import type { AuditEntry, AuditQuery, AuditResult } from '../../contracts/accounts.ts';
import { nowIso, type HubTx } from '../db/open.ts';
import type { AuditLogTable } from '../db/schema.ts';

export interface AuditActor {
  kind: 'user' | 'kiosk' | 'anonymous' | 'system';
  id?: string | null;
  name?: string | null;
  role?: string | null;
}

export interface AuditRecord {
  actor: AuditActor;
  action: string;
  target?: string | null;
  result: AuditResult;
  status?: number | null;
  address?: string | null;
  /** Short free text (e.g. "unknown role 'intern'"); capped at 500 characters. */
  detail?: string | null;
}

const cap = (v: string | null | undefined, n: number) => (v === null || v === undefined ? null : v.slice(0, n));

export async function appendAudit(db: HubTx, r: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: nowIso(),
      actor_kind: r.actor.kind,
      actor_id: cap(r.actor.id, 100),
      actor_name: cap(r.actor.name, 100),
      role: cap(r.actor.role, 32),
      action: r.action.slice(0, 100),
      target: cap(r.target, 200),
      result: r.result,
      status: r.status ?? null,
      address: cap(r.address, 64),
      detail: cap(r.detail, 500),
    })
    .execute();
}

function entry(r: Omit<AuditLogTable, 'id'> & { id: number }): AuditEntry {
  return {
    id: Number(r.id),
    at: r.at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorName: r.actor_name,
    role: r.role,
    action: r.action,
    target: r.target,
    result: r.result,
    status: r.status === null ? null : Number(r.status),
    address: r.address,
    detail: r.detail,
  };
}

/** Newest first; filters combine with AND. `action`/`target` ending in `*` match a prefix. */
export async function listAudit(db: HubTx, q: AuditQuery): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.actor) query = query.where((eb) => eb.or([eb('actor_name', '=', q.actor!), eb('actor_id', '=', q.actor!)]));
  for (const [column, value] of [['action', q.action], ['target', q.target]] as const) {
    if (!value) continue;
    // A prefix compared with substr: exact on both engines (LIKE differs in case and escaping).
    const prefix = value.slice(0, -1);
    query = value.endsWith('*') ? query.where(sql`substr(${sql.ref(column)}, 1, ${prefix.length})`, '=', prefix) : query.where(column, '=', value);
  }
  if (q.result) query = query.where('result', '=', q.result);
  // Times are stored as UTC ISO strings, which sort as text.
  if (q.from) query = query.where('at', '>=', new Date(q.from).toISOString());
  if (q.to) query = query.where('at', '<', new Date(q.to).toISOString());
  if (q.before) query = query.where('id', '<', q.before);
  const rows = await query.orderBy('id', 'desc').limit(q.limit ?? 100).execute();
  return rows.map((r) => entry(r as Omit<AuditLogTable, 'id'> & { id: number }));
}

const CSV_COLUMNS = ['id', 'at', 'actorKind', 'actorId', 'actorName', 'role', 'action', 'target', 'result', 'status', 'address', 'detail'] as const;

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or
 * carriage return that some strip first) gets a leading apostrophe (OWASP's CSV-injection advice);
 * every cell is quoted, inner quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvHeader = () => CSV_COLUMNS.join(',') + '\r\n';
export const csvRow = (e: AuditEntry) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(',') + '\r\n';

/** The whole filtered log as CSV lines, newest first, read in pages (at most `max` rows). */
export async function* auditCsv(db: HubTx, q: AuditQuery, max = 100_000): AsyncGenerator<string> {
  yield csvHeader();
  let before = q.before;
  let left = max;
  while (left > 0) {
    const page = await listAudit(db, { ...q, before, limit: Math.min(1000, left) });
    for (const e of page) yield csvRow(e);
    if (page.length < Math.min(1000, left)) return;
    left -= page.length;
    before = page[page.length - 1]!.id;
  }
}
