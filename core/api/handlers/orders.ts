// orders.*: the identified customer's orders, changes and refund/return requests (core/orders/).
import type { NamespaceHandlers } from '../dispatcher.ts';
import type { HandlerContext } from './context.ts';

export function ordersHandlers({ orders }: HandlerContext): NamespaceHandlers<'orders'> {
  return {
    'orders.list': () => orders.list(),
    'orders.get': ({ id }) => orders.get(id),
    'orders.change': (args) => orders.change(args),
    'orders.refund': (args) => orders.refund(args),
  };
}
