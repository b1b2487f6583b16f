// tickets.*: "ask for a person" — a ticket queued in the outbox for the hub, with a receipt.
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import { ticketReceipt } from '../../devices/receipts-data.ts';
import { referenceOf } from '../../session/receipt-book.ts';
import type { NamespaceHandlers } from '../dispatcher.ts';
import { needHub, type HandlerContext } from './context.ts';

/** The ticket form's free contact field: a phone number or an e-mail address. */
function parseContact(contact: string): { phone?: string; email?: string } {
  const c = contact.trim();
  if (c.includes('@')) return { email: c };
  if (/^\+?[0-9 -]{5,20}$/.test(c)) return { phone: c };
  throw new KioskApiError('invalid_argument', 'contact must be a phone number or an e-mail address');
}

export function ticketsHandlers(ctx: HandlerContext): NamespaceHandlers<'tickets'> {
  return {
    'tickets.submit': ({ category, text, contact }) => {
      const hub = needHub(ctx, 'tickets.submit');
      ctx.session.touch();
      const key = hub.outbox.enqueue('ticket', { category, text, locale: ctx.config.defaultLocale, ...(contact ? { contact: parseContact(contact) } : {}) });
      void hub.deliver();
      const reference = referenceOf('T', key);
      // The text and contact stay off the receipt (it may be left behind at the kiosk).
      ctx.receipts.add(reference, ticketReceipt({ reference, category, submittedAt: ctx.now(), branchName: ctx.config.branchName }));
      return { reference, queued: true };
    },
  };
}
