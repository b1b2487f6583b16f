// Who the customer is, once identified (masked: 张*三, 138****8002), and the identify flow in
// progress: the method, the device prompt, the phone and SMS code being typed on the pad. All of it
// is personal: $reset on session end (stores/session.ts), and the phone is dropped once it is used.
import { defineStore } from 'pinia';
import { KioskApiError, type DevicePrompt, type MaskedCustomer } from '../../../contracts/kiosk-api.ts';
import { kiosk } from '../api/kiosk.ts';

export type IdentifyMethod = 'idcard' | 'sms' | 'fingerprint';
/** Error codes the screens explain in plain words (`err_<code>`); anything else is 'other'. */
export type PlainError = 'timeout' | 'device' | 'offline' | 'not_found' | 'not_available' | 'unauthorized' | 'locked' | 'invalid_argument' | 'no_session' | 'other';

const PLAIN = new Set<string>(['timeout', 'device', 'offline', 'not_found', 'not_available', 'unauthorized', 'locked', 'invalid_argument', 'no_session']);

export function plainError(err: unknown): PlainError {
  return err instanceof KioskApiError && PLAIN.has(err.code) ? (err.code as PlainError) : 'other';
}

const PHONE = /^1\d{10}$/;
const CODE_LEN = 6;
/** The wait under way was cancelled by the customer leaving: its error is not shown. */
let cancelled = false;
let cooldownTimer: ReturnType<typeof setInterval> | undefined;
let unsubscribePrompt: (() => void) | undefined;

export const useIdentifyStore = defineStore('identify', {
  state: () => ({
    customer: null as MaskedCustomer | null,
    method: null as IdentifyMethod | null,
    /** Waiting on the card reader, fingerprint sensor or hub. */
    busy: false,
    /** The device's latest prompt while busy. */
    prompt: null as DevicePrompt['step'] | null,
    error: null as PlainError | null,
    /** Digits typed on the pad (phone for SMS and fingerprint). */
    phone: '',
    code: '',
    /** SMS: the code was asked for (the code pad shows). */
    codeRequested: false,
    /** false when the hub refused to send (cool-down). */
    codeSent: true,
    /** Seconds until another code may be asked for. */
    cooldown: 0,
  }),
  getters: {
    phoneComplete: (s) => PHONE.test(s.phone),
    codeComplete: (s) => s.code.length === CODE_LEN,
    /** 138****8002: what the screen may show of the typed phone. */
    maskedPhone: (s) => (PHONE.test(s.phone) ? `${s.phone.slice(0, 3)}****${s.phone.slice(-4)}` : ''),
  },
  actions: {
    /** Leaving the screen or the method while the reader or sensor waits: the core stops waiting,
     *  so a card laid down later identifies no one. */
    cancelWait() {
      if (!this.busy || this.method === 'sms') return;
      cancelled = true;
      void kiosk()
        .call('identify.cancel')
        .catch(() => {});
    },
    choose(method: IdentifyMethod | null) {
      this.cancelWait();
      this.method = method;
      this.error = null;
      this.prompt = null;
      this.phone = '';
      this.code = '';
      this.codeRequested = false;
      this.stopCooldown();
    },
    /** The numeric pad types into the phone, or the code once it was asked for. */
    press(key: string) {
      const field = this.method === 'sms' && this.codeRequested ? 'code' : 'phone';
      const max = field === 'code' ? CODE_LEN : 11;
      if (key === 'del') this[field] = this[field].slice(0, -1);
      else if (key === 'clear') this[field] = '';
      else if (/^\d$/.test(key) && this[field].length < max) this[field] += key;
      this.error = null;
    },
    listenForPrompts() {
      unsubscribePrompt ??= kiosk().on('device.prompt', (p) => {
        if (this.busy && p.device !== 'printer') this.prompt = p.step;
      });
    },
    async run(fn: () => Promise<MaskedCustomer>): Promise<boolean> {
      if (this.busy) return false;
      this.listenForPrompts();
      this.busy = true;
      this.error = null;
      this.prompt = null;
      cancelled = false;
      try {
        this.customer = await fn();
        // The phone and code have done their job: nothing of them stays in the renderer.
        this.phone = '';
        this.code = '';
        this.stopCooldown();
        return true;
      } catch (err) {
        this.error = cancelled ? null : plainError(err);
        return false;
      } finally {
        this.busy = false;
        this.prompt = null;
      }
    },
    readCard() {
      return this.run(() => kiosk().call('identify.idCard', { timeoutSec: 30 }));
    },
    fingerprint() {
      if (!this.phoneComplete) return Promise.resolve(false);
      const phone = this.phone;
      return this.run(() => kiosk().call('identify.fingerprint', { phone, timeoutSec: 30 }));
    },
    async requestCode() {
      if (!this.phoneComplete || this.busy || this.cooldown > 0) return;
      this.busy = true;
      this.error = null;
      try {
        const r = await kiosk().call('identify.smsRequest', { phone: this.phone });
        this.codeRequested = true;
        this.codeSent = r.sent;
        this.code = '';
        this.startCooldown(r.resendAfterSec);
      } catch (err) {
        this.error = plainError(err);
      } finally {
        this.busy = false;
      }
    },
    verifyCode() {
      if (!this.codeComplete) return Promise.resolve(false);
      const code = this.code;
      return this.run(() => kiosk().call('identify.smsVerify', { code })).then((ok) => {
        if (!ok) this.code = '';
        return ok;
      });
    },
    startCooldown(sec: number) {
      this.stopCooldown();
      this.cooldown = Math.max(0, sec);
      if (this.cooldown === 0) return;
      cooldownTimer = setInterval(() => {
        this.cooldown = Math.max(0, this.cooldown - 1);
        if (this.cooldown === 0) this.stopCooldown();
      }, 1000);
    },
    stopCooldown() {
      clearInterval(cooldownTimer);
      cooldownTimer = undefined;
      this.cooldown = 0;
    },
    dehydrate() {
      this.stopCooldown();
      this.$reset();
    },
  },
});
