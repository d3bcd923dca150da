// The typed operational events PeSquel emits (request finished, auth decided, pool waited, schema
// reloaded, backup written). observer.ts is the one place that turns them into logs and metrics.

/** One API request, as the HTTP app reports it when the response is ready. */
export interface RequestFinished {
  readonly type: 'request';
  readonly method: string;
  /** The path only: query strings can carry values that must not reach the logs. */
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly role: string | null;
  readonly errorCode: string | null;
  readonly routeKind: 'root' | 'relation' | 'rpc' | 'other';
  /** 'success' when a valid JWT was presented, 'failure' when credentials were refused. */
  readonly auth?: 'anonymous' | 'success' | 'failure';
  readonly unexpected?: unknown;
  /** log-query = main-query: the main statement's text with its `$n` placeholders (never the values). */
  readonly query?: string;
}

/**
 * An authentication decision outside the request pipeline (login, token refresh, admin UI sign-in).
 * Emit it through `Running.observe(...)`; JWT checks inside API requests are counted from RequestFinished.
 */
export interface AuthDecided {
  readonly type: 'auth';
  readonly outcome: 'success' | 'failure';
  /** How the client authenticated: 'jwt', 'password', 'refresh', … (a small closed set per caller). */
  readonly method: string;
  /** Why it failed, for the log (never the credential itself). */
  readonly reason?: string;
}

export type DbOpsEvent =
  | { readonly type: 'pool-timeout' }
  | { readonly type: 'connection-error'; readonly message: string }
  | { readonly type: 'listener-lost'; readonly message: string }
  | { readonly type: 'listener-reconnected'; readonly attempts: number }
  /** A read replica (db-replica-uris) stopped taking reads, or took them again. */
  | { readonly type: 'replica-down'; readonly backend: string; readonly reason: string }
  | { readonly type: 'replica-up'; readonly backend: string; readonly lagSeconds: number }
  | { readonly type: 'prepared-statements-off'; readonly message: string };

export type SchemaOpsEvent =
  | { readonly type: 'schema-loaded'; readonly ms: number; readonly tables: number; readonly functions: number }
  | { readonly type: 'schema-load-failed'; readonly message: string };

export type MaintenanceEvent =
  | { readonly type: 'migrations-applied'; readonly applied: readonly string[] }
  | { readonly type: 'backup-written'; readonly file: string; readonly bytes: number; readonly ms: number };

/** db-config: the in-database configuration read again (`changed`: option names, never values) or refused. */
export type ConfigOpsEvent =
  | { readonly type: 'config-loaded'; readonly changed: readonly string[] }
  | { readonly type: 'config-load-failed'; readonly message: string };

export type OpsEvent = RequestFinished | AuthDecided | DbOpsEvent | SchemaOpsEvent | MaintenanceEvent | ConfigOpsEvent;
