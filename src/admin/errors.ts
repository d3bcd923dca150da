// The admin API's one error type: a status, a stable code and a message safe to show. Database
// errors keep their SQLSTATE and position (the admin runs SQL on purpose); anything else is
// logged and answered as a plain 500 so internals never reach the browser.
export class AdminError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'AdminError';
  }
}

export interface PgErrorBody {
  readonly message: string;
  readonly code: string;
  readonly detail?: string;
  readonly hint?: string;
  /** 1-based character position in the statement, as PostgreSQL reports it. */
  readonly position?: number;
}

/** A PostgreSQL error's fields (pg and PGlite errors share them), or null for any other error. */
export function pgErrorBody(err: unknown): PgErrorBody | null {
  if (!(err instanceof Error) || !('severity' in err)) return null;
  const e = err as Error & { code?: string; detail?: string; hint?: string; position?: string };
  if (typeof e.code !== 'string') return null;
  return {
    message: e.message,
    code: e.code,
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.position ? { position: Number(e.position) } : {}),
  };
}
