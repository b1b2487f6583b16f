// Errors of the accounts domain, mapped to HTTP by the server's error handler and to one stderr
// line by the CLI. Messages never contain a password, a token or a session id.
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly statusCode: number,
    readonly code: 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'locked' | 'csrf',
    message: string,
    /** For `locked`: when trying again can succeed. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}
