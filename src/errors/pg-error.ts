// Maps a PostgreSQL error (SQLSTATE + fields) to an ApiError, using PostgREST's status table
// (Error.hs pgErrorStatus, v13) and its RAISE conventions (PTnnn, SQLSTATE 'PGRST' with JSON).
import { ApiError } from './api-error.js';
import { errors } from './codes.js';

/** The fields every PostgreSQL driver error carries (pg and PGlite use the same names). */
export interface PgErrorFields {
  readonly code?: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: string;
}

export function isPgError(err: unknown): err is PgErrorFields & Error {
  return err instanceof Error && typeof (err as unknown as { code?: unknown }).code === 'string'
    && /^[0-9A-Z]{5}$/.test((err as unknown as { code: string }).code) && 'severity' in err;
}

/** HTTP status for a SQLSTATE; `authenticated` decides 42501 (401 anonymous, 403 with a JWT). */
export function pgErrorStatus(code: string, message: string, authenticated: boolean): number {
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
  switch (code) {
    case '23503': case '23505': return 409;
    case '25006': return 405;
    case '42501': return authenticated ? 403 : 401;
    case '42P01': return 404;
    case '42P17': return 500;
    case '42883': return message.startsWith('function xmlagg(') ? 406 : 404;
    case '21000': return message.endsWith('requires a WHERE clause') ? 400 : 500;
    case '22023': return /^role .* does not exist$/.test(message) ? 401 : 400;
    case '53400': return 500;
    case '57P01': return 503;
    case 'P0001': return 400;
  }
  const cls = code.slice(0, 2);
  switch (cls) {
    case '08': return 503;
    case '09': return 500;
    case '0L': case '0P': return 403;
    case '25': case '2D': case '38': case '39': case '3B': return 500;
    case '28': return 403;
    case '40': return 500;
    case '53': return 503;
    case '54': case '55': case '57': case '58': case 'F0': case 'HV': case 'XX': return 500;
    case 'P0': return 500;
  }
  return 400;
}

export function fromPgError(err: PgErrorFields, authenticated: boolean): ApiError {
  const code = err.code ?? 'XX000';
  if (code === 'PGRST') return fromRaisePgrst(err);
  const headers: Record<string, string> = {};
  const status = pgErrorStatus(code, err.message, authenticated);
  if (status === 401 && code === '42501') headers['WWW-Authenticate'] = 'Bearer';
  return new ApiError({
    code,
    status,
    message: err.message,
    details: err.detail ?? null,
    hint: err.hint ?? null,
    headers,
  });
}

/** `RAISE SQLSTATE 'PGRST' USING message = '{"code":..,"message":..}', detail = '{"status":..,"headers":{..}}'` */
function fromRaisePgrst(err: PgErrorFields): ApiError {
  let body: unknown;
  let meta: unknown;
  try {
    body = JSON.parse(err.message);
    meta = JSON.parse(err.detail ?? '');
  } catch {
    return errors.raisePgrstJson(`Invalid JSON value for MESSAGE: '${err.message}'`);
  }
  if (!isRecord(body) || !isRecord(meta) || typeof meta.status !== 'number') {
    return errors.raisePgrstJson(`Invalid JSON value for DETAIL: '${err.detail ?? ''}'`);
  }
  const headers: Record<string, string> = {};
  if (isRecord(meta.headers)) {
    for (const [k, v] of Object.entries(meta.headers)) if (typeof v === 'string') headers[k] = v;
  }
  return new ApiError({
    code: typeof body.code === 'string' ? body.code : '',
    status: meta.status,
    message: typeof body.message === 'string' ? body.message : '',
    details: typeof body.details === 'string' ? body.details : null,
    hint: typeof body.hint === 'string' ? body.hint : null,
    headers,
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
