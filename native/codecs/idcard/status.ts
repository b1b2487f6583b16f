// SW3 status codes of the SAM module (PROTOCOLS.md §1) and the typed error for each.
import { DeviceError } from '../../errors.ts';

export const SW3 = {
  ok: 0x90,
  cardFound: 0x9f,
  findFailed: 0x80,
  selectFailed: 0x81,
  readFailed: 0x41,
  noContent: 0x91,
} as const;

const SW3_CODES: Record<number, { code: string; message: string }> = {
  0x10: { code: 'bad-checksum', message: 'the reader received a frame with a bad checksum' },
  0x11: { code: 'bad-length', message: 'the reader received a frame with a bad length' },
  0x21: { code: 'bad-command', message: 'the reader does not know this command' },
  0x23: { code: 'unauthorized', message: 'the operation is not authorised' },
  0x24: { code: 'unknown-error', message: 'the reader reported an unknown error' },
  0x31: { code: 'card-auth-failed', message: 'card-to-SAM authentication failed' },
  0x32: { code: 'sam-auth-failed', message: 'SAM-to-card authentication failed' },
  0x33: { code: 'verify-error', message: 'information verification failed' },
  0x40: { code: 'unknown-card-type', message: 'the card type is not recognised' },
  0x41: { code: 'read-failed', message: 'reading the card failed (card moved or removed?)' },
  0x47: { code: 'random-failed', message: 'the card could not produce a random number' },
  0x60: { code: 'sam-self-test-failed', message: 'the SAM module failed its self-test' },
  0x66: { code: 'sam-not-authorized', message: 'the SAM module is not authorised' },
  0x80: { code: 'find-failed', message: 'no card was found' },
  0x81: { code: 'select-failed', message: 'the card could not be selected' },
  0x91: { code: 'no-content', message: 'the card has no content for this request' },
};

export function describeSw3(sw3: number): { code: string; message: string } {
  return SW3_CODES[sw3] ?? { code: 'unknown-status', message: `the reader answered with unknown status 0x${sw3.toString(16).padStart(2, '0')}` };
}

/** A reply whose SW3 is not the one the command expects. */
export class SamError extends DeviceError {
  override name = 'SamError';
  constructor(readonly sw3: number) {
    const { code, message } = describeSw3(sw3);
    super(code, message, 'idcard');
  }
}
