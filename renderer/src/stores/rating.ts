// Rating the visit: a score 1–5 and tags, queued in the outbox (delivered when the hub is
// reachable). Anonymous: nothing identifies the customer. Wiped on session end.
import { defineStore } from 'pinia';
import { kiosk } from '../api/kiosk.ts';

export const RATING_TAGS = ['fast', 'friendly', 'clear', 'easy'] as const;
export type RatingTag = (typeof RATING_TAGS)[number];

export const useRatingStore = defineStore('rating', {
  state: () => ({
    score: null as number | null,
    tags: [] as RatingTag[],
    reference: null as string | null,
    error: false,
    sending: false,
  }),
  actions: {
    pick(score: number) {
      this.score = score;
    },
    toggle(tag: RatingTag) {
      this.tags = this.tags.includes(tag) ? this.tags.filter((t) => t !== tag) : [...this.tags, tag];
    },
    async submit() {
      if (this.score === null || this.sending) return;
      this.sending = true;
      this.error = false;
      try {
        this.reference = (await kiosk().call('ratings.submit', { score: this.score, tags: [...this.tags] })).reference;
      } catch {
        this.error = true;
      } finally {
        this.sending = false;
      }
    },
    dehydrate() {
      this.$reset();
    },
  },
});
