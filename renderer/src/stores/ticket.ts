// A ticket for a person at the branch: a category and the customer's words, queued in the outbox
// (delivered to the hub when reachable); the reference is shown. Wiped on session end.
import { defineStore } from 'pinia';
import { kiosk } from '../api/kiosk.ts';

export const TICKET_CATEGORIES = ['cards', 'account', 'orders', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const useTicketStore = defineStore('ticket', {
  state: () => ({
    category: null as TicketCategory | null,
    reference: null as string | null,
    error: false,
    sending: false,
  }),
  actions: {
    pick(category: TicketCategory) {
      this.category = category;
    },
    async submit(text: string) {
      const body = text.trim();
      if (!this.category || !body || this.sending) return false;
      this.sending = true;
      this.error = false;
      try {
        this.reference = (await kiosk().call('tickets.submit', { category: this.category, text: body.slice(0, 2000) })).reference;
        return true;
      } catch {
        this.error = true;
        return false;
      } finally {
        this.sending = false;
      }
    },
    dehydrate() {
      this.$reset();
    },
  },
});
