// Refusals of the update feed and release uploads, each with the HTTP status it maps to.
const STATUS = { bad_request: 400, not_found: 404, conflict: 409, too_large: 413, unsupported_media_type: 415 } as const;

export class UpdateError extends Error {
  override name = 'UpdateError';
  readonly statusCode: number;
  constructor(
    message: string,
    readonly code: keyof typeof STATUS,
    readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.statusCode = STATUS[code];
  }
}
