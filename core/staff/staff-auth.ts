// Staff mode: unlocked by the PIN, locked again on request or after inactivity. Wrong PINs count;
// after `maxFailures` the pad is locked for `lockoutMs`, doubling for each lockout in a row.
import type { AuditSink } from './audit.ts';
import { verifyPin } from './pin.ts';

export interface StaffAuthOptions {
  /** scrypt hash (pin.ts); none: staff mode is not configured on this kiosk. */
  pinHash: string | undefined;
  maxFailures?: number;
  lockoutMs?: number;
  /** Staff mode closes after this long without a staff action. */
  idleMs?: number;
  now?: () => number;
  audit?: AuditSink;
}

export interface StaffSnapshot {
  unlocked: boolean;
  failures: number;
  lockedUntil: string | null;
  configured: boolean;
}

export type UnlockOutcome = { kind: 'unlocked' } | { kind: 'wrong'; failures: number } | { kind: 'locked'; until: number } | { kind: 'not-configured' };

export class StaffAuth {
  private failures = 0;
  private lockouts = 0;
  private lockedUntil = 0;
  private unlocked = false;
  private lastActionAt = 0;
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(private readonly options: StaffAuthOptions) {
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 5 * 60_000;
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get configured(): boolean {
    return !!this.options.pinHash;
  }

  isUnlocked(): boolean {
    if (!this.unlocked) return false;
    if (this.now() - this.lastActionAt > this.idleMs) {
      this.unlocked = false;
      return false;
    }
    return true;
  }

  /** A staff action ran: keeps staff mode open. */
  touch(): void {
    if (this.isUnlocked()) this.lastActionAt = this.now();
  }

  unlock(pin: string): UnlockOutcome {
    const at = new Date(this.now()).toISOString();
    if (!this.options.pinHash) return { kind: 'not-configured' };
    if (this.now() < this.lockedUntil) {
      this.options.audit?.record({ at, action: 'staff.unlock', outcome: 'denied', detail: 'locked' });
      return { kind: 'locked', until: this.lockedUntil };
    }
    if (verifyPin(pin, this.options.pinHash)) {
      this.failures = 0;
      this.lockouts = 0;
      this.unlocked = true;
      this.lastActionAt = this.now();
      this.options.audit?.record({ at, action: 'staff.unlock', outcome: 'ok' });
      return { kind: 'unlocked' };
    }
    this.failures++;
    this.options.audit?.record({ at, action: 'staff.unlock', outcome: 'denied', detail: `wrong PIN (${this.failures})` });
    if (this.failures >= this.maxFailures) {
      this.lockedUntil = this.now() + this.lockoutMs * 2 ** Math.min(this.lockouts, 6);
      this.lockouts++;
      this.failures = 0;
      return { kind: 'locked', until: this.lockedUntil };
    }
    return { kind: 'wrong', failures: this.failures };
  }

  lock(): void {
    this.unlocked = false;
  }

  snapshot(): StaffSnapshot {
    return {
      unlocked: this.isUnlocked(),
      failures: this.failures,
      lockedUntil: this.now() < this.lockedUntil ? new Date(this.lockedUntil).toISOString() : null,
      configured: this.configured,
    };
  }
}
