// A queue number for a counter service: the number, how many are waiting, and its reference (for the
// receipt). Wiped on session end.
import { defineStore } from 'pinia';
import type { QueueService } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';
import { plainError, type PlainError } from './identify.ts';

export const useQueueStore = defineStore('queue', {
  state: () => ({
    service: null as QueueService | null,
    ticket: null as { number: string; waiting: number; reference: string; queued: boolean } | null,
    busy: false,
    error: null as PlainError | null,
  }),
  actions: {
    async take(service: QueueService) {
      if (this.busy) return;
      this.service = service;
      this.busy = true;
      this.error = null;
      try {
        this.ticket = await kiosk().call('queue.take', { service });
      } catch (err) {
        this.error = plainError(err);
      } finally {
        this.busy = false;
      }
    },
    dehydrate() {
      this.$reset();
    },
  },
});
