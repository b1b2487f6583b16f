// Staff mode: the hidden corner gesture, the PIN pad (lockout shown with the time left) and the
// staff panel over the staff.* API. Closed and locked again on session end.
import { defineStore } from 'pinia';
import type { AppInfo, StaffState, UpdateStatus } from '../../../contracts/kiosk-api.ts';
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';

/** The hidden entry: this many taps in the corner within the window. */
export const STAFF_TAPS = 5;
export const STAFF_TAP_WINDOW_MS = 3000;
const MAX_PIN = 12;

type LogLine = { time: string; level: string; msg: string };

export const useStaffStore = defineStore('staff', {
  state: () => ({
    open: false,
    taps: [] as number[],
    pin: '',
    /** Last PIN outcome to show on the pad. */
    problem: null as null | 'wrong' | 'locked' | 'not-configured' | 'failed',
    lockedUntil: null as string | null,
    state: null as StaffState | null,
    info: null as AppInfo | null,
    update: null as UpdateStatus | null,
    logs: [] as LogLine[],
    confirmRestart: false,
    actionProblem: null as string | null,
  }),
  getters: {
    unlocked: (s) => !!s.state?.unlocked,
  },
  actions: {
    /** A tap in the hidden corner; the fifth within 3 s opens the PIN pad. */
    cornerTap(at = Date.now()) {
      this.taps = [...this.taps.filter((t) => at - t < STAFF_TAP_WINDOW_MS), at];
      if (this.taps.length >= STAFF_TAPS) {
        this.taps = [];
        void this.openPad();
      }
    },
    async openPad() {
      this.open = true;
      this.pin = '';
      this.problem = null;
      this.state = await kiosk().call('staff.status');
      this.lockedUntil = this.state.lockedUntil;
      if (this.lockedUntil) this.problem = 'locked';
      else if (!this.state.configured) this.problem = 'not-configured';
    },
    digit(d: string) {
      if (/^\d$/.test(d) && this.pin.length < MAX_PIN) this.pin += d;
    },
    deleteDigit() {
      this.pin = this.pin.slice(0, -1);
    },
    async submitPin() {
      const pin = this.pin;
      this.pin = '';
      if (pin.length < 4) {
        this.problem = 'wrong';
        return;
      }
      try {
        this.state = await kiosk().call('staff.unlock', { pin });
        this.problem = null;
        this.lockedUntil = null;
        await this.refresh();
      } catch (err) {
        const code = err instanceof KioskApiError ? err.code : 'internal';
        if (code === 'locked') {
          this.problem = 'locked';
          this.lockedUntil = (err as KioskApiError).details.until ?? null;
        } else if (code === 'unauthorized') this.problem = 'wrong';
        else if (code === 'not_available') this.problem = 'not-configured';
        else this.problem = 'failed';
      }
    },
    /** The panel's overview from what this build offers. */
    async refresh() {
      const api = kiosk();
      const [state, info, update, logs] = await Promise.all([
        api.call('staff.status'),
        api.call('app.info'),
        api.call('update.status'),
        api.call('staff.logs', { limit: 50 }).catch(() => [] as LogLine[]),
      ]);
      Object.assign(this, { state, info, update, logs: [...logs].reverse() });
    },
    async restart() {
      this.confirmRestart = false;
      this.actionProblem = null;
      try {
        await kiosk().call('staff.restartApp');
      } catch (err) {
        this.actionProblem = err instanceof Error ? err.message : String(err);
      }
    },
    /** Leave staff mode (locks it in the core too). */
    async close() {
      const wasUnlocked = this.unlocked;
      this.$reset();
      if (wasUnlocked) await kiosk().call('staff.lock').catch(() => {});
    },
    dehydrate() {
      void this.close();
    },
  },
});
