// `hub tickets list`, `hub inbox list <kind>`, `hub analytics searches`: what kiosks delivered.
import { OUTBOX_KINDS, type OutboxKind } from '../../../contracts/outbox.ts';
import { listInbox, searchStats } from '../../inbox/inbox.ts';
import { intOption, line, table, unknownCommand, UsageError, type HubCommand } from '../io.ts';

/** A one-line, non-personal summary of an item for tables (ticket category and length only). */
function summarize(payload: unknown): string {
  const p = payload as Record<string, unknown>;
  if (typeof p.category === 'string') return `${p.category} (${String(p.text ?? '').length} chars${p.contact ? ', contact given' : ''})`;
  if (typeof p.score === 'number') return `score ${p.score}`;
  return Object.keys(p).join(',');
}

export const run: HubCommand = async ({ p, o, io, open }) => {
  const cmd = p.slice(0, 2).join(' ');
  if (cmd === 'tickets list' || cmd === 'inbox list') {
    const kind = (cmd === 'tickets list' ? 'ticket' : p[2]) as OutboxKind;
    if (!OUTBOX_KINDS.includes(kind)) throw new UsageError(`inbox list needs a kind: ${OUTBOX_KINDS.join(', ')}`);
    const items = await listInbox((await open()).db, kind, intOption(o.limit, 'limit', 50, 1, 1000));
    if (o.json) for (const i of items) line(io.stdout, JSON.stringify(i));
    else if (items.length === 0) line(io.stdout, `no ${kind} items`);
    else line(io.stdout, table([['RECEIVED', 'KIOSK', 'KEY', 'SUMMARY'], ...items.map((i) => [i.receivedAt, i.kiosk, i.key, summarize(i.payload)])]));
    return 0;
  }
  if (cmd === 'analytics searches') {
    const rows = await searchStats((await open()).db, { noResults: o['no-results'], limit: intOption(o.limit, 'limit', 20, 1, 1000), locale: o.locale });
    if (o.json) line(io.stdout, JSON.stringify(rows));
    else if (rows.length === 0) line(io.stdout, 'no searches recorded');
    else line(io.stdout, table([['LOCALE', 'QUERY', 'COUNT', 'NO RESULT'], ...rows.map((r) => [r.locale, r.query, String(r.count), String(r.noResults)])]));
    return 0;
  }
  throw unknownCommand(p);
};
