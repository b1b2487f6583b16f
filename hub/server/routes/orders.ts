// Orders of the customer identified on this kiosk: the customer session token rides beside the
// device token (hub/orders/orders.ts behind the OrderSystem adapter).
import type { FastifyRequest } from 'fastify';
import { ORDERS_ROUTES } from '../../../contracts/hub-routes/orders.ts';
import { CUSTOMER_SESSION_HEADER } from '../../../contracts/identity.ts';
import { areaPlugin } from '../area-plugin.ts';

// Order ids are the order system's: at most 128 characters reach it (anything else is a 404 there).
const orderId = (id: string) => id.slice(0, 128);

export default areaPlugin(ORDERS_ROUTES, ({ identity, orders }) => {
  const customerOf = (kioskId: string, req: FastifyRequest) => {
    const h = req.headers[CUSTOMER_SESSION_HEADER];
    return identity.customerOf(kioskId, typeof h === 'string' ? h : undefined);
  };
  return {
    'orders.list': async ({ principal, req }) => ({ orders: await orders.list(await customerOf(principal.id, req)) }),
    'orders.get': async ({ params, principal, req }) => orders.get(await customerOf(principal.id, req), orderId(params.id)),
    'orders.change': async ({ params, body, principal, req }) => orders.change(principal.id, await customerOf(principal.id, req), orderId(params.id), body),
    'orders.refund': async ({ params, body, principal, req }) => orders.requestRefund(principal.id, await customerOf(principal.id, req), orderId(params.id), body),
  };
});
