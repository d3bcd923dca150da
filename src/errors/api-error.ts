// The one error type the API throws: a PostgREST-shaped error with a stable code.
// Stages throw `ApiError`s (built by the helpers in codes.ts); to-http.ts turns them into responses.

export type ErrorDetails = string | readonly unknown[] | Record<string, unknown> | null;

export interface ApiErrorBody {
  readonly code: string;
  readonly details: ErrorDetails;
  readonly hint: string | null;
  readonly message: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails;
  readonly hint: string | null;
  /** Extra response headers (e.g. WWW-Authenticate, Retry-After). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(opts: {
    code: string;
    status: number;
    message: string;
    details?: ErrorDetails;
    hint?: string | null;
    headers?: Record<string, string>;
  }) {
    super(opts.message);
    this.name = 'ApiError';
    this.code = opts.code;
    this.status = opts.status;
    this.details = opts.details ?? null;
    this.hint = opts.hint ?? null;
    this.headers = opts.headers ?? {};
  }

  body(): ApiErrorBody {
    // PostgREST serialises the keys in alphabetical order.
    return { code: this.code, details: this.details, hint: this.hint, message: this.message };
  }
}
