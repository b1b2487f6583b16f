// Staff mode: the hidden corner gesture, the PIN pad (lockout shown with the time left) and the
// staff panel over the staff.* API. Closed and locked again on session end; everything the panel
// learnt (a test card's masked name included) is dropped with $reset() when staff mode is left.
import { defineStore } from 'pinia';
import type { DeviceHealth } from '../../../contracts/device-config.ts';
import type { AppInfo, DevicePrompt, ErrorCode, KioskEventPayload, KioskResult, MaskedCustomer, PrintResult, StaffState, UpdateStatus } from '../../../contracts/kiosk-api.ts';
import { KioskApiError } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';
import { useAppStore } from './app.ts';

/** The hidden entry: this many taps in the corner within the window. */
export const STAFF_TAPS = 5;
export const STAFF_TAP_WINDOW_MS = 3000;
const MAX_PIN = 12;
/** Customer references for enrolment: what the contract's Id accepts, kept short for a keypad. */
export const ENROL_REF_MAX = 32;
const ENROL_REF = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Bumped whenever the panel's data is dropped (lock, leave, the core's lock): an answer that
 *  arrives later (a card read that took its time) belongs to the old panel and is discarded. */
let epoch = 0;

type LogLine = { time: string; level: string; msg: string };
type SyncInfo = KioskResult<'sync.status'>;
type OutboxInfo = KioskResult<'outbox.status'>;
type SystemInfo = KioskResult<'system.status'>;

/** Every button of the panel that calls the core. */
export type StaffAction = 'refresh' | 'testPrint' | 'testCardRead' | 'syncNow' | 'checkUpdate' | 'enrol' | 'restart' | 'reboot' | 'exitKiosk';
/** Where an action stands: busy while the core works, then done or failed (code + the core's words). */
export type Outcome = { state: 'busy' } | { state: 'ok' } | { state: 'error'; code: ErrorCode; detail: string };
/** A status area that could not be read (not_available, offline …). */
export type AreaProblem = { code: ErrorCode; detail: string };
type Area = 'devices' | 'sync' | 'outbox' | 'update' | 'logs' | 'system';

function failure(err: unknown): AreaProblem {
  if (err instanceof KioskApiError) return { code: err.code, detail: err.message };
  return { code: 'internal', detail: err instanceof Error ? err.message : String(err) };
}

/** How long ago, in whole units for the screen: `{ n: 3, unit: 'min' }`. */
export function age(iso: string | null | undefined, now: number): { n: number; unit: 's' | 'min' | 'h' | 'd' } | null {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return null;
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 60) return { n: s, unit: 's' };
  if (s < 3600) return { n: Math.floor(s / 60), unit: 'min' };
  if (s < 86_400) return { n: Math.floor(s / 3600), unit: 'h' };
  return { n: Math.floor(s / 86_400), unit: 'd' };
}

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
    devices: null as DeviceHealth[] | null,
    sync: null as SyncInfo | null,
    outbox: null as OutboxInfo | null,
    logs: [] as LogLine[],
    system: null as SystemInfo | null,
    /** Areas that answered an error instead of a status. */
    areaProblems: {} as Partial<Record<Area, AreaProblem>>,
    outcomes: {} as Partial<Record<StaffAction, Outcome>>,
    printResult: null as PrintResult | null,
    /** The test card, masked by the core; only while staff mode is open. */
    card: null as Pick<MaskedCustomer, 'displayName' | 'maskedId'> | null,
    enrolRef: '',
    /** The fingerprint sensor's last prompt while enrolling. */
    enrolStep: null as DevicePrompt['step'] | null,
    confirm: null as null | 'restart' | 'reboot' | 'exitKiosk',
  }),
  getters: {
    unlocked: (s) => !!s.state?.unlocked,
    enrolRefValid: (s) => ENROL_REF.test(s.enrolRef),
    busy: (s) => (a: StaffAction) => s.outcomes[a]?.state === 'busy',
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
      // A fresh entry always asks for the PIN, even if a page that went away left the core unlocked.
      if (this.state.unlocked) this.state = await kiosk().call('staff.lock');
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

    /**
     * Runs one panel action: busy → ok, or the error kept for the screen. A staff call refused as
     * unauthorized means the core locked staff mode (idle): back to the PIN pad, panel data dropped.
     */
    async run<T>(action: StaffAction, fn: () => Promise<T>): Promise<T | undefined> {
      const mine = epoch;
      this.outcomes[action] = { state: 'busy' };
      try {
        const value = await fn();
        if (mine !== epoch) return undefined;
        this.outcomes[action] = { state: 'ok' };
        return value;
      } catch (err) {
        if (mine !== epoch) return undefined;
        const f = failure(err);
        this.outcomes[action] = { state: 'error', ...f };
        if (f.code === 'unauthorized') await this.checkStillUnlocked();
        return undefined;
      }
    },
    backToPad(state: StaffState) {
      epoch++;
      this.$reset();
      this.open = true;
      this.state = state;
    },

    /** Reads one status area; an error (not_available …) is kept for the area instead. */
    async readArea<T>(area: Area, fn: () => Promise<T>, assign: (v: T | null) => void): Promise<void> {
      const mine = epoch;
      try {
        const v = await fn();
        if (mine !== epoch) return;
        delete this.areaProblems[area];
        assign(v);
      } catch (err) {
        if (mine !== epoch) return;
        this.areaProblems[area] = failure(err);
        assign(null);
      }
    },

    /** The whole panel, each area on its own (one area failing leaves the others readable). */
    async refresh() {
      await this.run('refresh', async () => {
        const api = kiosk();
        const mine = epoch;
        const [state, info] = await Promise.all([api.call('staff.status'), api.call('app.info')]);
        if (mine !== epoch) return;
        this.state = state;
        this.info = info;
        await Promise.all([
          this.readArea('devices', () => api.call('devices.status'), (v) => (this.devices = v)),
          this.readArea('update', () => api.call('update.status'), (v) => (this.update = v)),
          this.refreshSync(),
          this.readArea('logs', () => api.call('staff.logs', { limit: 100 }), (v) => (this.logs = v ? [...v].reverse() : [])),
          this.readArea('system', () => api.call('system.status'), (v) => (this.system = v)),
        ]);
      });
    },
    async refreshSync() {
      const api = kiosk();
      await Promise.all([
        this.readArea('sync', () => api.call('sync.status'), (v) => (this.sync = v)),
        this.readArea('outbox', () => api.call('outbox.status'), (v) => (this.outbox = v)),
      ]);
    },

    // ---- live events (subscribed by the panel while it is shown) --------------------------------
    onDevicesHealth(health: DeviceHealth[]) {
      this.devices = health;
      delete this.areaProblems.devices;
    },
    onSyncStatus(s: KioskEventPayload<'sync.status'>) {
      if (this.sync) this.sync = { ...this.sync, online: s.online, lastSyncAt: s.lastSyncAt };
    },
    onUpdateStatus(s: UpdateStatus) {
      this.update = s;
    },
    onDevicePrompt(p: DevicePrompt) {
      if (p.device === 'fingerprint' && this.busy('enrol')) this.enrolStep = p.step;
    },
    /** The core locks staff mode after minutes without a staff action, silently: ask now and then,
     *  so an unattended panel (and a test card's masked data) does not stay on screen. */
    async checkStillUnlocked() {
      const s = await kiosk()
        .call('staff.status')
        .catch(() => null);
      if (s) this.onStaffState(s);
    },
    onStaffState(s: StaffState) {
      // Locked elsewhere (another window, the core's idle lock): the panel goes at once.
      if (this.unlocked && !s.unlocked) this.backToPad(s);
    },

    // ---- actions ---------------------------------------------------------------------------------
    async testPrint() {
      this.printResult = null;
      const r = await this.run('testPrint', () => kiosk().call('staff.testPrint'));
      if (r) this.printResult = r;
    },
    async testCardRead() {
      this.card = null;
      const r = await this.run('testCardRead', () => kiosk().call('staff.testCardRead'));
      // Only the masked fields reach the store: nothing else of a card is kept, even for a moment.
      if (r) this.card = { displayName: r.displayName, maskedId: r.maskedId };
    },
    async syncNow() {
      const mine = epoch;
      await this.run('syncNow', () => kiosk().call('staff.syncNow'));
      if (mine !== epoch) return;
      await this.refreshSync();
      // The core reports a failed sync as a generic error; its sync status says what went wrong.
      const o = this.outcomes.syncNow;
      if (o?.state === 'error' && o.code === 'internal' && this.sync?.error) {
        this.outcomes.syncNow = { state: 'error', code: this.sync.online ? 'internal' : 'offline', detail: this.sync.error };
      }
    },
    async checkUpdate() {
      const r = await this.run('checkUpdate', () => kiosk().call('staff.checkUpdate'));
      if (r) this.update = r;
    },
    enrolKey(k: string) {
      if (/^[A-Za-z0-9.\-_:]$/.test(k) && this.enrolRef.length < ENROL_REF_MAX) this.enrolRef += k;
    },
    enrolDelete() {
      this.enrolRef = this.enrolRef.slice(0, -1);
    },
    async enrol() {
      if (!this.enrolRefValid || this.busy('enrol')) return;
      this.enrolStep = null;
      const r = await this.run('enrol', () => kiosk().call('staff.enrolFingerprint', { customerRef: this.enrolRef }));
      this.enrolStep = null;
      if (r) this.enrolRef = '';
    },
    async confirmed() {
      const what = this.confirm;
      this.confirm = null;
      if (what === 'restart') await this.run('restart', () => kiosk().call('staff.restartApp'));
      else if (what === 'reboot') await this.run('reboot', () => kiosk().call('staff.reboot'));
      else if (what === 'exitKiosk') await this.run('exitKiosk', () => kiosk().call('staff.exitKiosk'));
    },

    /** Leave staff mode (locks it in the core too); language and display modes go back too. */
    async close() {
      const wasOpen = this.open;
      const wasUnlocked = this.unlocked;
      epoch++;
      this.$reset();
      if (wasOpen) useAppStore().dehydrate();
      if (wasUnlocked) await kiosk().call('staff.lock').catch(() => {});
    },
    dehydrate() {
      void this.close();
    },
  },
});
