// Customer identification on the kiosk: by ID card (the card source gives the number read from
// the card; it goes to the hub over TLS/loopback and is never kept), or by phone + SMS code. The
// hub answers with a short-lived customer session token scoped to this kiosk; it lives only in
// this object's memory, is wiped when the customer session ends, and is revoked at the hub then.
import { CustomerSessionGrant, idNumberValid, SmsRequestResponse } from '../../contracts/identity.ts';
import { KioskApiError, type KioskMethod, type MaskedCustomer } from '../../contracts/kiosk-api.ts';
import type { DevicePorts } from '../devices/device-ports.ts';
import type { Logger } from '../log/logger.ts';
import type { HubEndpoint } from '../hub-client/http.ts';
import { HubAnswerError, hubJson } from '../hub-client/json.ts';
import type { CustomerSession } from '../session/session.ts';

/** Reads one ID card (the device driver, or a simulator profile in tests); resolves the number on the card. */
export type CardSource = (options: { timeoutMs: number; signal?: AbortSignal }) => Promise<{ idNumber: string }>;

/**
 * The card source of the kiosk's reader: only the number goes on (the name stays here and is
 * dropped). The reader is looked up at each read: synced devices may be reopened.
 */
export function readerCardSource(ports: DevicePorts): CardSource {
  return async ({ timeoutMs, signal }) => {
    const card = ports.card;
    if (!card) throw new KioskApiError('not_available', 'identify.idCard is not available: no ID card reader is configured on this kiosk');
    return { idNumber: (await card.read({ timeoutMs, ...(signal ? { signal } : {}) })).idNumber };
  };
}

export interface IdentityDeps {
  /** null: no hub configured (identification is not available). */
  endpoint: HubEndpoint | null;
  session: CustomerSession;
  cardSource?: CardSource;
  logger?: Logger;
}

interface Current {
  /** The kiosk session this identification belongs to (its start time). */
  sessionStartedAt: string;
  sessionId: string;
  token: string;
  customerRef: string;
}

export class CustomerIdentity {
  private current: Current | null = null;
  private pendingSms: { challengeId: string; sessionStartedAt: string } | null = null;

  constructor(private readonly deps: IdentityDeps) {}

  get available(): boolean {
    return this.deps.endpoint !== null;
  }

  /** Token and customer reference of the identified customer, or `unauthorized`. */
  require(method: KioskMethod): { token: string; customerRef: string } {
    const c = this.current;
    if (!c || !this.deps.session.active || this.deps.session.state().startedAt !== c.sessionStartedAt) {
      throw new KioskApiError('unauthorized', `${method} needs an identified customer (ID card or SMS code first)`);
    }
    return { token: c.token, customerRef: c.customerRef };
  }

  /** The device wait under way (card or finger), so that leaving the screen or the session stops it. */
  private waiting: AbortController | null = null;

  /** A signal for one device wait; a new wait cancels the one before (one reader, one customer). */
  deviceWait(): AbortSignal {
    this.waiting?.abort();
    this.waiting = new AbortController();
    return this.waiting.signal;
  }

  /** identify.cancel: the customer left the identify screen; a card laid down later identifies no one. */
  cancel(): void {
    this.waiting?.abort();
    this.waiting = null;
  }

  /** The customer session ended (finish, idle, staff, restart): forget everything, revoke at the hub. */
  onSessionEnded(): void {
    this.cancel();
    const c = this.current;
    this.current = null;
    this.pendingSms = null;
    if (c) void this.revoke(c.sessionId);
  }

  /** Waits for a revocation started by onSessionEnded (tests, shutdown). */
  revoking: Promise<void> = Promise.resolve();

  private revoke(sessionId: string): Promise<void> {
    this.revoking = hubJson(this.deps.endpoint, 'session.end', 'identity.session.revoke', { params: { id: sessionId } })
      .then(() => undefined)
      .catch((err: Error) => void this.deps.logger?.warn({ err: err.message }, 'customer session revocation failed (it expires on its own)'));
    return this.revoking;
  }

  private sessionStamp(method: KioskMethod): string {
    const s = this.deps.session.state().startedAt;
    if (!s) throw new KioskApiError('no_session', `${method} needs an active customer session`);
    return s;
  }

  /** Takes a grant from the hub, unless the kiosk session changed meanwhile (then revokes it). */
  private adopt(method: KioskMethod, stamp: string, raw: unknown): MaskedCustomer {
    const grant = CustomerSessionGrant.parse(raw);
    if (!this.deps.session.active || this.deps.session.state().startedAt !== stamp) {
      void this.revoke(grant.session.id);
      throw new KioskApiError('no_session', `${method}: the customer session ended while identifying`);
    }
    if (this.current) void this.revoke(this.current.sessionId);
    this.current = { sessionStartedAt: stamp, sessionId: grant.session.id, token: grant.session.token, customerRef: grant.customer.customerRef };
    const customer: MaskedCustomer = { displayName: grant.customer.displayName, maskedId: grant.customer.maskedId, method: grant.customer.method };
    this.deps.session.setCustomer(customer);
    this.deps.session.touch();
    this.deps.logger?.info({ method: customer.method }, 'customer identified');
    return customer;
  }

  /** For flows outside this class (core/identity/fingerprint.ts): the stamp to pass to adoptGrant. */
  sessionStampFor(method: KioskMethod): string {
    return this.sessionStamp(method);
  }

  /** A grant another flow obtained (fingerprint), with the same checks and effects as ours. */
  adoptGrant(method: KioskMethod, stamp: string, raw: unknown): MaskedCustomer {
    return this.adopt(method, stamp, raw);
  }

  async idCard(timeoutSec: number | undefined): Promise<MaskedCustomer> {
    const stamp = this.sessionStamp('identify.idCard');
    if (!this.deps.cardSource) throw new KioskApiError('not_available', 'identify.idCard is not available: no ID card reader is configured on this kiosk');
    if (!this.deps.endpoint) throw new KioskApiError('not_available', 'identify.idCard is not available: no hub is configured on this kiosk');
    let idNumber: string;
    const signal = this.deviceWait();
    try {
      ({ idNumber } = await this.deps.cardSource({ timeoutMs: (timeoutSec ?? 30) * 1000, signal }));
    } catch (err) {
      if (signal.aborted) throw new KioskApiError('timeout', 'identification was cancelled');
      if (err instanceof KioskApiError) throw err;
      throw new KioskApiError('device', 'the ID card could not be read; please place it on the reader again');
    }
    if (signal.aborted) throw new KioskApiError('timeout', 'identification was cancelled');
    if (!idNumberValid(idNumber)) throw new KioskApiError('device', 'the card read was not valid (check character); please place it on the reader again');
    const raw = await hubJson(this.deps.endpoint, 'identify.idCard', 'identity.idcard', { body: { idNumber } });
    return this.adopt('identify.idCard', stamp, raw);
  }

  async smsRequest(phone: string): Promise<{ sent: boolean; resendAfterSec: number }> {
    const stamp = this.sessionStamp('identify.smsRequest');
    try {
      const r = SmsRequestResponse.parse(await hubJson(this.deps.endpoint, 'identify.smsRequest', 'identity.sms.request', { body: { phone } }));
      this.pendingSms = { challengeId: r.challengeId, sessionStartedAt: stamp };
      this.deps.session.touch();
      return { sent: r.sent, resendAfterSec: r.resendAfterSec };
    } catch (err) {
      if (err instanceof HubAnswerError && err.status === 429) return { sent: false, resendAfterSec: err.retryAfterSec ?? 60 };
      throw err;
    }
  }

  async smsVerify(code: string): Promise<MaskedCustomer> {
    const stamp = this.sessionStamp('identify.smsVerify');
    const pending = this.pendingSms;
    if (!pending || pending.sessionStartedAt !== stamp) throw new KioskApiError('not_found', 'no SMS code was requested in this session; ask for a code first');
    const raw = await hubJson(this.deps.endpoint, 'identify.smsVerify', 'identity.sms.verify', { body: { challengeId: pending.challengeId, code } });
    this.pendingSms = null;
    return this.adopt('identify.smsVerify', stamp, raw);
  }
}
