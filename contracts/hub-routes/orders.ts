// Self-service orders of the identified customer: the kiosk's device token plus the customer
// session token (X-Customer-Session) from identity.*. Shapes: contracts/identity.ts.
import { z } from 'zod';
import { CUSTOMER_SESSION_HEADER, OrderChangeRequest, OrderRequestResult, OrderView, RefundRequest } from '../identity.ts';
import { json, KIOSK, route } from './define.ts';

const CustomerSession = z.object({ [CUSTOMER_SESSION_HEADER]: z.string().optional().meta({ description: 'the customer session token (401 without it)' }) });
// Order ids are the order system's; the hub passes at most 128 characters on (404 for anything else).
const OrderPath = z.strictObject({ id: z.string() });
const REQUEST_ERRORS = { 404: 'no such order', 409: 'illegal_change, or the key was used for another request' } as const;

export const ORDERS_ROUTES = {
  'orders.list': route({
    method: 'GET',
    path: '/v1/customer/orders',
    auth: KIOSK,
    summary: 'orders of the identified customer',
    headers: CustomerSession,
    responses: { 200: json(z.strictObject({ orders: z.array(OrderView) }), 'orders') },
  }),
  'orders.get': route({
    method: 'GET',
    path: '/v1/customer/orders/:id',
    auth: KIOSK,
    summary: 'one order',
    params: OrderPath,
    headers: CustomerSession,
    responses: { 200: json(OrderView, 'order') },
    errors: { 404: 'no such order of this customer' },
  }),
  'orders.change': route({
    method: 'POST',
    path: '/v1/customer/orders/:id/changes',
    auth: KIOSK,
    summary: 'change delivery address/time or cancel (idempotency key)',
    params: OrderPath,
    headers: CustomerSession,
    body: OrderChangeRequest,
    responses: { 200: json(OrderRequestResult, 'applied (or applied before: duplicate)') },
    errors: REQUEST_ERRORS,
    invalid: 'bad order change',
  }),
  'orders.refund': route({
    method: 'POST',
    path: '/v1/customer/orders/:id/refunds',
    auth: KIOSK,
    summary: 'request a refund or return (idempotency key; items within what was ordered and not yet asked for, amount within what is still refundable)',
    params: OrderPath,
    headers: CustomerSession,
    body: RefundRequest,
    responses: { 200: json(OrderRequestResult, 'requested (or requested before: duplicate)') },
    errors: REQUEST_ERRORS,
    invalid: 'bad refund request',
  }),
} as const;
