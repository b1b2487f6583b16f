// print.*: a receipt this session produced, on the printer — or its QR for the screen when the
// printer cannot (`problem` is the printer's stable code: paper-out, cover-open, no-printer …).
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function printHandlers(ctx: HandlerContext): NamespaceHandlers<'print'> {
  return {
    // Only references this session produced can be printed.
    'print.receipt': async ({ reference }) => {
      const entry = ctx.receipts.get(reference);
      if (!entry) throw new KioskApiError('not_found', 'no receipt with this reference in this session');
      ctx.session.touch();
      const printer = ctx.devices?.printer;
      if (!printer) return { printed: false, qr: entry.qr, problem: 'no-printer' };
      const out = await printer.print(entry.template, entry.data);
      return out.printed ? { printed: true } : { printed: false, qr: entry.qr, problem: out.code };
    },
  };
}
