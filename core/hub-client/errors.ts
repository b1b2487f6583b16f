// What can go wrong talking to the hub (transport, auth, the sync protocol), as one error type with a
// code the sync engine, the outbox and the CLI act on; core/hub-client/json.ts maps it for the kiosk API.
export type SyncErrorCode =
  | 'network' // no answer: offline, refused, cut, timed out
  | 'auth' // 401/403: the device token is wrong or revoked
  | 'http' // another unexpected status
  | 'protocol' // a page or answer that does not follow sync protocol v1
  | 'checksum' // a change or the checkpoint does not match its hash
  | 'digest' // a blob's bytes do not match its sha256
  | 'too_large' // a page or blob larger than the kiosk accepts
  | 'config' // bad URL, plain http to a non-loopback hub, missing token
  | 'busy'; // another sync of this database is running

export class SyncError extends Error {
  override name = 'SyncError';
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** Worth retrying later without anyone changing anything. */
  get transient(): boolean {
    return this.code === 'network' || this.code === 'busy' || (this.code === 'http' && (this.status === undefined || this.status >= 500 || this.status === 429));
  }
}
