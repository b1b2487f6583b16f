// The customer session: started by a tap on the attract screen, ended by Finish, by the idle
// countdown, or by the core (session.ended event). Ending resets every store: no trace of the
// customer stays in the renderer.
import { defineStore } from 'pinia';
import type { SessionEndReason } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';
import { useAppStore } from './app.ts';
import { useRatingStore } from './rating.ts';
import { useTicketStore } from './ticket.ts';
import { useIdentifyStore } from './identify.ts';
import { useOrdersStore } from './orders.ts';
import { useQueueStore } from './queue.ts';
import { useReceiptStore } from './receipt.ts';
import { useAssistantStore } from './assistant.ts';
import { useHelpStore } from './help.ts';
import { useKeyboardStore } from './keyboard.ts';
import { useStaffStore } from './staff.ts';

let idleTimer: ReturnType<typeof setTimeout> | undefined;
let countdownTimer: ReturnType<typeof setInterval> | undefined;
let lastTouchSent = 0;

export const useSessionStore = defineStore('session', {
  state: () => ({
    active: false,
    /** Seconds left in the idle countdown; null when not counting down. */
    countdown: null as number | null,
  }),
  actions: {
    async start() {
      const s = await kiosk().call('session.start');
      this.active = s.active;
      useAppStore().go('home');
      this.activity();
    },
    /** Any touch or key: restart the idle timer (and tell the core now and then). */
    activity() {
      if (!this.active) return;
      this.countdown = null;
      clearInterval(countdownTimer);
      clearTimeout(idleTimer);
      const info = useAppStore().info;
      idleTimer = setTimeout(() => this.beginCountdown(), (info?.idleTimeoutSec ?? 60) * 1000);
      if (Date.now() - lastTouchSent > 10_000) {
        lastTouchSent = Date.now();
        void kiosk().call('session.touch').catch(() => {});
      }
    },
    beginCountdown() {
      this.countdown = useAppStore().info?.idleCountdownSec ?? 15;
      countdownTimer = setInterval(() => {
        if (this.countdown === null) return;
        this.countdown -= 1;
        if (this.countdown <= 0) void this.end('idle');
      }, 1000);
    },
    async end(reason: SessionEndReason) {
      const wasActive = this.active;
      this.wipe();
      if (wasActive) await kiosk().call('session.end', { reason }).catch(() => {});
    },
    /** Every store back to its initial state. Also run when the core ends the session. */
    wipe() {
      clearInterval(countdownTimer);
      clearTimeout(idleTimer);
      lastTouchSent = 0;
      useHelpStore().dehydrate();
      useKeyboardStore().dehydrate();
      useAssistantStore().dehydrate();
      useRatingStore().dehydrate();
      useTicketStore().dehydrate();
      useIdentifyStore().dehydrate();
      useOrdersStore().dehydrate();
      useQueueStore().dehydrate();
      useReceiptStore().dehydrate();
      useStaffStore().dehydrate();
      useAppStore().dehydrate();
      this.$reset();
    },
  },
});
