// The identified customer's orders: the list, the open order, the change or refund being prepared
// and its result (reference, queued or not). Reads need the hub; the error says so. Wiped on
// session end: order ids and addresses are the customer's.
import { defineStore } from 'pinia';
import type { OrderDetail, OrderSummary, RefundReason } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';
import { useAppStore } from './app.ts';
import { plainError, useIdentifyStore, type PlainError } from './identify.ts';

export type OrderAction = OrderSummary['allowedChanges'][number];
export type OrderMode = 'view' | OrderAction;

export interface DeliverySlot {
  /** "from/to", two ISO times: the value orders.change takes. */
  value: string;
  from: Date;
  to: Date;
}

/** Two slots a day (09–12, 14–18, local time) on the next `days` days. */
export function deliverySlots(now: Date, days = 3): DeliverySlot[] {
  const slots: DeliverySlot[] = [];
  for (let d = 1; d <= days; d++) {
    for (const [h1, h2] of [
      [9, 12],
      [14, 18],
    ] as const) {
      const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() + d, h1);
      const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + d, h2);
      slots.push({ value: `${from.toISOString()}/${to.toISOString()}`, from, to });
    }
  }
  return slots;
}

const cents = (n: number) => Math.round(n * 100) / 100;

export const useOrdersStore = defineStore('orders', {
  state: () => ({
    list: null as OrderSummary[] | null,
    detail: null as OrderDetail | null,
    loading: false,
    error: null as PlainError | null,
    mode: 'view' as OrderMode,
    slot: null as string | null,
    reason: null as RefundReason | null,
    /** Refund/return: quantity per item sku. */
    quantities: {} as Record<string, number>,
    busy: false,
    result: null as { action: OrderAction; reference: string; queued: boolean } | null,
  }),
  getters: {
    /** What the refund asks for: the chosen items' value, never more than is still refundable. */
    refundAmount(s): number {
      if (!s.detail) return 0;
      const sum = s.detail.items.reduce((acc, i) => acc + (s.quantities[i.sku] ?? 0) * i.unitPrice, 0);
      return cents(Math.min(sum, s.detail.refundable));
    },
  },
  actions: {
    /** "My orders" (home tile, assistant): identify first, unless this session already did. */
    openMine() {
      const app = useAppStore();
      const identify = useIdentifyStore();
      if (!identify.customer) {
        identify.choose(null);
        return app.go('identify');
      }
      app.go('orders');
      return this.load();
    },
    async load() {
      this.loading = true;
      this.error = null;
      try {
        this.list = await kiosk().call('orders.list');
      } catch (err) {
        this.error = plainError(err);
      } finally {
        this.loading = false;
      }
    },
    async open(id: string) {
      this.loading = true;
      this.error = null;
      this.result = null;
      this.mode = 'view';
      try {
        this.detail = await kiosk().call('orders.get', { id });
        return true;
      } catch (err) {
        this.error = plainError(err);
        return false;
      } finally {
        this.loading = false;
      }
    },
    start(mode: OrderMode) {
      this.mode = mode;
      this.error = null;
      this.slot = null;
      this.reason = null;
      this.quantities = {};
      if ((mode === 'refund' || mode === 'return') && this.detail) {
        for (const i of this.detail.items) this.quantities[i.sku] = i.quantity;
      }
    },
    setQuantity(sku: string, quantity: number) {
      const item = this.detail?.items.find((i) => i.sku === sku);
      if (item) this.quantities[sku] = Math.max(0, Math.min(item.quantity, quantity));
    },
    async change(change: 'address' | 'delivery-time' | 'cancel', value?: string) {
      const d = this.detail;
      if (!d || this.busy) return false;
      return this.send(change, () => kiosk().call('orders.change', { id: d.id, change, ...(value !== undefined ? { value } : {}) }));
    },
    async refund(kind: 'refund' | 'return') {
      const d = this.detail;
      const reason = this.reason;
      if (!d || !reason || this.busy || this.refundAmount <= 0) return false;
      const chosen = d.items.filter((i) => (this.quantities[i.sku] ?? 0) > 0).map((i) => ({ sku: i.sku, quantity: this.quantities[i.sku]! }));
      const whole = chosen.length === d.items.length && d.items.every((i) => this.quantities[i.sku] === i.quantity);
      const amount = this.refundAmount;
      // The whole order: let the order system take what is refundable (no rounding of ours).
      return this.send(kind, () => kiosk().call('orders.refund', { id: d.id, kind, reason, ...(whole ? {} : { items: chosen, amount }) }));
    },
    async send(action: OrderAction, call: () => Promise<{ reference: string; queued: boolean }>) {
      this.busy = true;
      this.error = null;
      try {
        const r = await call();
        this.result = { action, reference: r.reference, queued: r.queued };
        this.mode = 'view';
        return true;
      } catch (err) {
        this.error = plainError(err);
        return false;
      } finally {
        this.busy = false;
      }
    },
    /** Back to the list (re-read: a change may have moved the order on). */
    async backToList() {
      this.detail = null;
      this.result = null;
      this.mode = 'view';
      this.list = null;
      await this.load();
    },
    dehydrate() {
      this.$reset();
    },
  },
});

/** 110.50 in the order's currency, in the screen's language. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}

/** A date and time in the screen's language (local time of the kiosk). */
export function formatTime(iso: string, locale: string, what: 'date' | 'datetime' | 'time' = 'datetime'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions =
    what === 'date' ? { dateStyle: 'medium' } : what === 'time' ? { hour: '2-digit', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale, options).format(d);
}
