// The only place errors become HTTP responses: ApiError as is, PostgreSQL errors through the
// SQLSTATE table, builder refusals as 400, anything else as a 500 that reveals nothing internal.
import { ApiError } from './api-error.js';
import { errors } from './codes.js';
import { fromPgError, isPgError } from './pg-error.js';

export interface HttpError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly code: string;
  /** The original error when it was unexpected (for the log, never for the client). */
  readonly unexpected: unknown;
}

/** Error classes from the SQL builder that mean "the request asked for something unsafe". */
const refusals = new Set(['UnsafeIdentifierError', 'InvalidCastError']);

export function toApiError(err: unknown, authenticated: boolean): { error: ApiError; unexpected: unknown } {
  if (err instanceof ApiError) return { error: err, unexpected: null };
  if (isPgError(err)) return { error: fromPgError(err, authenticated), unexpected: null };
  if (err instanceof Error && refusals.has(err.constructor.name)) {
    return { error: errors.parse('request', err.message), unexpected: null };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|57P0[123])$/.test(code)) {
    return { error: errors.dbConnection(), unexpected: err };
  }
  if (err instanceof Error && /Connection terminated|connection.*(closed|lost)|Client has encountered a connection error/i.test(err.message)) {
    return { error: errors.dbConnection(), unexpected: err };
  }
  return { error: errors.internal(), unexpected: err };
}

export function toHttp(err: unknown, authenticated: boolean): HttpError {
  const { error, unexpected } = toApiError(err, authenticated);
  return {
    status: error.status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Proxy-Status': `PeSquel; error=${error.code}`,
      ...error.headers,
    },
    body: JSON.stringify(error.body()),
    code: error.code,
    unexpected,
  };
}
