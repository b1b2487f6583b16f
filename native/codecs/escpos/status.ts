// DLE EOT n real-time status (PROTOCOLS.md §3). One byte per request; bits 1 and 4 are always 1 and
// bits 0 and 7 always 0, which is how a status byte is told apart from noise.
import { DecodeError } from '../../errors.ts';

export type StatusQuery = 1 | 2 | 3 | 4;

export const statusRequest = (n: StatusQuery): Buffer => Buffer.from([0x10, 0x04, n]);

export interface PrinterStatus {
  offline: boolean;
  coverOpen: boolean;
  paperFeedByButton: boolean;
  /** Printing stopped because the paper ran out (n=2 bit 5). */
  paperEndStop: boolean;
  errorOccurred: boolean;
  cutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
  paperNearEnd: boolean;
  paperOut: boolean;
}

export const HEALTHY_STATUS: PrinterStatus = {
  offline: false, coverOpen: false, paperFeedByButton: false, paperEndStop: false, errorOccurred: false,
  cutterError: false, unrecoverableError: false, autoRecoverableError: false, paperNearEnd: false, paperOut: false,
};

export function isStatusByte(byte: number): boolean {
  return (byte & 0b1001_0011) === 0b0001_0010;
}

/** Decodes one DLE EOT reply into the flags it carries (others stay false). */
export function decodeStatusByte(n: StatusQuery, byte: number): Partial<PrinterStatus> {
  if (!Number.isInteger(byte) || byte < 0 || byte > 255 || !isStatusByte(byte)) {
    throw new DecodeError('escpos-status', `0x${byte.toString(16)} is not a DLE EOT ${n} status byte`, 'printer');
  }
  const bit = (i: number): boolean => (byte & (1 << i)) !== 0;
  switch (n) {
    case 1: return { offline: bit(3) };
    case 2: return { coverOpen: bit(2), paperFeedByButton: bit(3), paperEndStop: bit(5), errorOccurred: bit(6) };
    case 3: return { cutterError: bit(3), unrecoverableError: bit(5), autoRecoverableError: bit(6) };
    case 4: return { paperNearEnd: bit(2) || bit(3), paperOut: bit(5) || bit(6) };
  }
}

/** The byte a printer in `status` answers to DLE EOT n (used by the simulator). */
export function encodeStatusByte(n: StatusQuery, s: PrinterStatus): number {
  let b = 0x12;
  const set = (i: number, on: boolean): void => {
    if (on) b |= 1 << i;
  };
  switch (n) {
    case 1: set(3, s.offline); break;
    case 2: set(2, s.coverOpen); set(3, s.paperFeedByButton); set(5, s.paperEndStop); set(6, s.errorOccurred); break;
    case 3: set(3, s.cutterError); set(5, s.unrecoverableError); set(6, s.autoRecoverableError); break;
    case 4: set(2, s.paperNearEnd); set(3, s.paperNearEnd); set(5, s.paperOut); set(6, s.paperOut); break;
  }
  return b;
}
