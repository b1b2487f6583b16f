// The audit log for central IT (hub/audit/audit-log.ts): a filtered page, or all of it as CSV,
// streamed page by page (the export never holds the whole log in memory).
import { Readable } from 'node:stream';
import { AUDIT_ROUTES } from '../../../contracts/hub-routes/audit.ts';
import { auditCsv, listAudit } from '../../audit/audit-log.ts';
import { areaPlugin } from '../area-plugin.ts';

export default areaPlugin(AUDIT_ROUTES, ({ hub }) => ({
  'audit.list': async ({ query }) => ({ entries: await listAudit(hub.db, query) }),
  'audit.export': async ({ reply, query }) =>
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(auditCsv(hub.db, query))),
}));
