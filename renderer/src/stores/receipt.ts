// Printing the receipt of a reference given in this session (refund, change, queue number): printed
// → "take your receipt"; the printer cannot → the QR text to show on screen and the problem in plain
// words. The QR text may carry the reference: wiped on session end like every store.
import { defineStore } from 'pinia';
import { kiosk } from '../api/kiosk.ts';
import { plainError, type PlainError } from './identify.ts';

export type ReceiptState = 'idle' | 'printing' | 'printed' | 'qr' | 'failed';
/** Printer problems the screen names (`rcptProblem_<kind>`); the core's text is never shown raw. */
export type ReceiptProblem = 'paper' | 'cover' | 'none' | 'other';

export const useReceiptStore = defineStore('receipt', {
  state: () => ({
    reference: null as string | null,
    state: 'idle' as ReceiptState,
    qr: null as string | null,
    problem: null as ReceiptProblem | null,
    error: null as PlainError | null,
  }),
  actions: {
    /** A new reference to offer a receipt for (forgets the last one's outcome). */
    offer(reference: string) {
      if (this.reference === reference) return;
      this.$reset();
      this.reference = reference;
    },
    async print() {
      const reference = this.reference;
      if (!reference || this.state === 'printing') return;
      this.state = 'printing';
      this.error = null;
      try {
        const r = await kiosk().call('print.receipt', { reference });
        if (this.reference !== reference) return;
        if (r.printed) {
          this.state = 'printed';
          return;
        }
        // The core's stable codes: paper-out, cover-open, offline, disconnected, no-printer …
        const p = r.problem ?? '';
        this.problem = /paper/i.test(p) ? 'paper' : /cover/i.test(p) ? 'cover' : p === 'no-printer' ? 'none' : 'other';
        this.qr = r.qr ?? null;
        this.state = r.qr ? 'qr' : 'failed';
      } catch (err) {
        if (this.reference !== reference) return;
        this.error = plainError(err);
        this.state = 'failed';
      }
    },
    dehydrate() {
      this.$reset();
    },
  },
});
