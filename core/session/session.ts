// The customer session as the core sees it. The renderer runs the visible idle countdown; the core
// ends the session itself when no activity arrives for idle + countdown + grace (a hung or reloaded
// renderer must not keep a customer's data alive). Ending wipes everything held for the customer
// (identified customer, pending SMS, order cache) and tells the renderer to wipe its state too.
import type { MaskedCustomer, SessionEndReason, SessionState } from '../../contracts/kiosk-api.ts';

export interface SessionOptions {
  /** End the session after this long without activity (ms). */
  maxIdleMs: number;
  now?: () => number;
  onEnded?: (reason: SessionEndReason) => void;
}

export class CustomerSession {
  private startedAt: number | null = null;
  private lastActivity = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Everything personal the core holds for this customer lives here and only here. */
  private data: { customer: MaskedCustomer | null; scratch: Map<string, unknown> } = { customer: null, scratch: new Map() };
  private readonly now: () => number;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? Date.now;
  }

  get active(): boolean {
    return this.startedAt !== null;
  }

  state(): SessionState {
    return {
      active: this.active,
      startedAt: this.startedAt === null ? null : new Date(this.startedAt).toISOString(),
      identified: this.data.customer !== null,
    };
  }

  start(): SessionState {
    if (!this.active) {
      this.wipe();
      this.startedAt = this.now();
    }
    this.touch();
    return this.state();
  }

  touch(): void {
    if (!this.active) return;
    this.lastActivity = this.now();
    this.arm();
  }

  end(reason: SessionEndReason): SessionState {
    const was = this.active;
    this.startedAt = null;
    this.wipe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (was) this.options.onEnded?.(reason);
    return this.state();
  }

  setCustomer(customer: MaskedCustomer): void {
    if (!this.active) throw new Error('no active session');
    this.data.customer = customer;
  }

  get customer(): MaskedCustomer | null {
    return this.data.customer;
  }

  /** Per-session scratch space for flows (pending SMS request, order cache): wiped with the session. */
  get scratch(): Map<string, unknown> {
    return this.data.scratch;
  }

  private wipe(): void {
    this.data.scratch.clear();
    this.data = { customer: null, scratch: new Map() };
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.checkIdle(), this.options.maxIdleMs);
    this.timer.unref?.();
  }

  /** Called by the timer (and by tests with a fake clock). */
  checkIdle(): void {
    if (!this.active) return;
    const idle = this.now() - this.lastActivity;
    if (idle >= this.options.maxIdleMs) this.end('idle');
    else {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.checkIdle(), this.options.maxIdleMs - idle);
      this.timer.unref?.();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
