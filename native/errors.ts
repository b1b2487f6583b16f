// Typed errors shared by every device. A `code` is stable and machine-readable (the UI and the staff
// panel switch on it); `message` is one clear English sentence for logs and the CLI. No error message
// ever contains data read from a card or a sensor: only codes, lengths and offsets.

export type DeviceKind = 'idcard' | 'fingerprint' | 'printer' | 'hid';

export class DeviceError extends Error {
  override name = 'DeviceError';
  constructor(
    readonly code: string,
    message: string,
    readonly device?: DeviceKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bytes that are not a valid frame/packet/command. Codecs throw only this. */
export class DecodeError extends DeviceError {
  override name = 'DecodeError';
}

/** The port went away, could not be opened, or a write failed. */
export class TransportError extends DeviceError {
  override name = 'TransportError';
}

/** No (complete) answer within the deadline, after the configured retries. */
export class TimeoutError extends DeviceError {
  override name = 'TimeoutError';
  constructor(message: string, device?: DeviceKind) {
    super('timeout', message, device);
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends DeviceError {
  override name = 'AbortedError';
  constructor(device?: DeviceKind) {
    super('aborted', 'the operation was cancelled', device);
  }
}
