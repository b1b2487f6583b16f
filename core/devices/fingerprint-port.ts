// FingerprintPort over the sensor driver (native/drivers/fingerprint.ts): 1:1 verification against a
// template from the hub (DownChar → capture → Match on the sensor) and enrolment (two captures →
// RegModel → UpChar). Prompts tell the person what to do; the caller's deadline becomes an abort of
// the driver's polling, answered as KioskApiError 'timeout'; sensor problems become 'device' with a
// message the customer can act on. Templates are never logged (only lengths, codes and scores).
import { KioskApiError, type DevicePrompt } from '../../contracts/kiosk-api.ts';
import type { FingerprintSensor } from '../../native/drivers/fingerprint.ts';
import { AbortedError, DeviceError } from '../../native/errors.ts';
import type { FingerprintPort, PromptListener } from './device-ports.ts';

const STEPS = { place: 'place-finger', lift: 'lift-finger', 'place-again': 'place-finger-again', done: 'done' } as const satisfies Record<string, DevicePrompt['step']>;

/** What to tell the customer for each sensor code (the rest: the sensor failed). */
const FRIENDLY: Record<string, string> = {
  'too-few-features': 'the fingerprint could not be read clearly; please place the finger flat on the sensor again',
  'image-messy': 'the fingerprint could not be read clearly; please clean the finger and try again',
  'invalid-image': 'the fingerprint could not be read clearly; please try again',
  'enrol-mismatch': 'the two captures were of different fingers (or moved too much); please start again with one finger',
};

export function fingerprintPort(sensor: FingerprintSensor, options: { threshold: number; pollMs?: number }): FingerprintPort {
  if (!Number.isInteger(options.threshold) || options.threshold < 1) throw new RangeError('fingerprint match threshold must be a positive integer');

  /** Runs `work` with a signal that fires at the deadline or when the caller aborts. */
  async function withDeadline<T>(what: 'verify' | 'enrol', timeoutMs: number, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const until = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      // The sensor's packet size (for DownChar) comes from the handshake; the manager usually did it.
      if (!sensor.sysParams) await sensor.handshake(until);
      return await work(until);
    } catch (err) {
      if (err instanceof KioskApiError) throw err;
      if (err instanceof AbortedError || until.aborted) {
        if (deadline.aborted) throw new KioskApiError('timeout', 'no finger was placed on the sensor in time');
        throw new KioskApiError('timeout', `fingerprint ${what} was cancelled`);
      }
      if (err instanceof DeviceError) {
        throw new KioskApiError('device', FRIENDLY[err.code] ?? `the fingerprint sensor failed (${err.code}); please ask staff for help`);
      }
      throw err;
    }
  }

  return {
    async verify(template, { timeoutMs, signal, onPrompt }) {
      if (template.length === 0) throw new KioskApiError('device', 'no fingerprint template to match against');
      return withDeadline('verify', timeoutMs, signal, async (until) => {
        // The driver's verify() steps, spelled out so the customer is asked to place the finger
        // only once the template is in the sensor (DownChar into buffer 2, capture into buffer 1).
        await sensor.downChar(2, template, until);
        onPrompt?.({ device: 'fingerprint', step: 'place-finger' });
        await sensor.waitForFinger({ pollMs: options.pollMs, signal: until });
        onPrompt?.({ device: 'fingerprint', step: 'working' });
        await sensor.extract(1, until);
        const score = await sensor.match(until);
        onPrompt?.({ device: 'fingerprint', step: 'done' });
        return { matched: score >= options.threshold, score };
      });
    },

    async enrol({ timeoutMs, signal, onPrompt }) {
      const prompt: PromptListener | undefined = onPrompt;
      return withDeadline('enrol', timeoutMs, signal, async (until) => {
        return sensor.enroll({ pollMs: options.pollMs, signal: until, onStep: (s) => prompt?.({ device: 'fingerprint', step: STEPS[s] }) });
      });
    },
  };
}
