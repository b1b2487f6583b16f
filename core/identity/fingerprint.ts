// Fingerprint 1:1 on the kiosk. identify.fingerprint: the customer claims an identity by phone
// number; the hub opens a challenge bound to this kiosk and releases the template (only to us, only
// inside the challenge); the sensor matches it (DownChar → capture → Match) and we report the
// verdict; only a match yields the customer session grant, adopted like an ID card or SMS one.
// staff.enrolFingerprint: two captures on the sensor → template → the hub (device token).
// A template exists here only as one Buffer for the duration of one match or upload, zeroed after;
// it never reaches a log line, the outbox or the disk. Phone numbers are not logged either.
// (The base64 text of the hub's answer is a JS string, which cannot be zeroed: it is dropped with
// the response and left to the garbage collector.)
import { FingerprintChallengeResponse, FingerprintEnrolResponse, FingerprintRelease, MAX_TEMPLATE_BYTES } from '../../contracts/fingerprint.ts';
import { KioskApiError, type MaskedCustomer } from '../../contracts/kiosk-api.ts';
import type { Logger } from '../log/logger.ts';
import type { HubEndpoint } from '../hub-client/http.ts';
import type { FingerprintPort, PromptListener } from '../devices/device-ports.ts';
import type { CustomerIdentity } from './identity.ts';
import { HubAnswerError, hubJson } from '../hub-client/json.ts';
import type { CustomerSession } from '../session/session.ts';

export interface FingerprintFlowDeps {
  endpoint: HubEndpoint | null;
  identity: CustomerIdentity;
  session: CustomerSession;
  /** The sensor port; absent when no sensor is configured. */
  port: FingerprintPort | undefined;
  /** Where the sensor's prompts go (the kiosk API's 'device.prompt' event: api/events.ts busPrompter). */
  prompt: PromptListener;
  logger?: Logger;
}

const DEFAULT_TIMEOUT_SEC = 30;
/** The same words for a wrong finger, an unknown number and a customer with no enrolled finger. */
const NOT_VERIFIED = 'the fingerprint could not be verified for this phone number; try again, or identify with the ID card or an SMS code';

function decode(b64: string): Buffer {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_TEMPLATE_BYTES) {
    bytes.fill(0);
    throw new KioskApiError('internal', 'the hub sent a template of an impossible size');
  }
  return bytes;
}

export class FingerprintFlows {
  private readonly prompt: PromptListener;

  constructor(private readonly deps: FingerprintFlowDeps) {
    this.prompt = deps.prompt;
  }

  private need(method: 'identify.fingerprint' | 'staff.enrolFingerprint'): FingerprintPort {
    if (!this.deps.port) throw new KioskApiError('not_available', `${method} is not available: no fingerprint sensor is configured on this kiosk`);
    if (!this.deps.endpoint) throw new KioskApiError('not_available', `${method} is not available: no hub is configured on this kiosk`);
    return this.deps.port;
  }

  async identify(phone: string, timeoutSec: number | undefined): Promise<MaskedCustomer> {
    const method = 'identify.fingerprint';
    const stamp = this.deps.identity.sessionStampFor(method);
    const port = this.need(method);
    const { endpoint, session } = this.deps;
    let challenge;
    try {
      challenge = FingerprintChallengeResponse.parse(await hubJson(endpoint, method, 'identity.fingerprint.challenge', { body: { phone } }));
    } catch (err) {
      if (err instanceof HubAnswerError && err.status === 429) {
        throw new KioskApiError('locked', 'too many fingerprint tries for this phone number; try again later, or identify with the ID card or an SMS code');
      }
      throw err;
    }
    const params = { id: challenge.challengeId };
    const released = FingerprintRelease.parse(await hubJson(endpoint, method, 'identity.fingerprint.release', { params }));
    const template = decode(released.template);
    const signal = this.deps.identity.deviceWait();
    let verdict: { matched: boolean; score: number };
    try {
      session.touch();
      verdict = await port.verify(template, { timeoutMs: (timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000, signal, onPrompt: this.prompt });
    } catch (err) {
      if (signal.aborted) throw new KioskApiError('timeout', 'identification was cancelled');
      throw err;
    } finally {
      template.fill(0);
    }
    if (signal.aborted) throw new KioskApiError('timeout', 'identification was cancelled');
    session.touch();
    // The customer may have walked away (idle end) while the sensor waited: report nothing then.
    if (!session.active || session.state().startedAt !== stamp) throw new KioskApiError('no_session', `${method}: the customer session ended while identifying`);
    let raw: unknown;
    try {
      raw = await hubJson(endpoint, method, 'identity.fingerprint.result', { params, body: { matched: verdict.matched, score: verdict.score } });
    } catch (err) {
      if (err instanceof HubAnswerError && (err.status === 401 || err.status === 423)) {
        this.deps.logger?.info({ method: 'fingerprint', matched: verdict.matched }, 'fingerprint not verified');
        throw new KioskApiError('unauthorized', NOT_VERIFIED);
      }
      throw err;
    }
    return this.deps.identity.adoptGrant(method, stamp, raw);
  }

  async enrol(customerRef: string, timeoutSec: number | undefined): Promise<void> {
    const method = 'staff.enrolFingerprint';
    const port = this.need(method);
    const template = await port.enrol({ timeoutMs: (timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000, onPrompt: this.prompt });
    try {
      if (template.length === 0 || template.length > MAX_TEMPLATE_BYTES) throw new KioskApiError('device', 'the sensor returned a template of an impossible size; please try again');
      const b64 = Buffer.from(template.buffer, template.byteOffset, template.length).toString('base64');
      const r = FingerprintEnrolResponse.parse(await hubJson(this.deps.endpoint, method, 'identity.fingerprint.enrol', { body: { customerRef, template: b64 } }));
      this.deps.logger?.info({ replaced: r.replaced, templateBytes: template.length }, 'fingerprint enrolled at the hub');
    } finally {
      template.fill(0);
    }
  }
}
