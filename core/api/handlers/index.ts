// The handler registry: one module per kiosk-API namespace (core/api/handlers/<namespace>.ts), each
// typed from KIOSK_METHODS, composed into the handlers the dispatcher calls. A namespace of the
// contract without a module, or a module method the contract lacks, fails to compile here, and
// test/core/api/handlers.test.ts checks the composed set against the contract at run time.
import type { KioskHandlers, KioskNamespace, NamespaceHandlers } from '../dispatcher.ts';
import { appHandlers } from './app.ts';
import { assistantHandlers } from './assistant.ts';
import type { HandlerContext } from './context.ts';
import { devicesHandlers } from './devices.ts';
import { identifyHandlers } from './identify.ts';
import { kbHandlers } from './kb.ts';
import { ordersHandlers } from './orders.ts';
import { outboxHandlers } from './outbox.ts';
import { printHandlers } from './print.ts';
import { queueHandlers } from './queue.ts';
import { ratingsHandlers } from './ratings.ts';
import { sessionHandlers } from './session.ts';
import { staffHandlers } from './staff.ts';
import { syncHandlers } from './sync.ts';
import { systemHandlers } from './system.ts';
import { ticketsHandlers } from './tickets.ts';
import { updateHandlers } from './update.ts';

export const HANDLER_MODULES: { readonly [NS in KioskNamespace]: (ctx: HandlerContext) => NamespaceHandlers<NS> } = {
  app: appHandlers,
  kb: kbHandlers,
  assistant: assistantHandlers,
  session: sessionHandlers,
  identify: identifyHandlers,
  orders: ordersHandlers,
  tickets: ticketsHandlers,
  ratings: ratingsHandlers,
  queue: queueHandlers,
  print: printHandlers,
  devices: devicesHandlers,
  sync: syncHandlers,
  outbox: outboxHandlers,
  update: updateHandlers,
  system: systemHandlers,
  staff: staffHandlers,
};

export function createHandlers(ctx: HandlerContext): KioskHandlers {
  // Complete by construction: HANDLER_MODULES names every namespace, each module every method of its own.
  return Object.assign({}, ...Object.values(HANDLER_MODULES).map((handlersOf) => handlersOf(ctx))) as KioskHandlers;
}
