// What can go wrong on the kiosk's raw requests to the hub (sync pages, blobs, outbox batches) and in
// the sync protocol, as one error type with a code the sync engine, the outbox and the CLI act on.
// (Calls through the typed client fail with its HubClientError: client.ts, json.ts.)
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
