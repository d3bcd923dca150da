// The database interface every backend implements (PGlite in-process, PostgreSQL over a pool).
// Only db/ imports a driver; the rest of PeSquel talks to this interface.
import type { Sql } from '../sql/sql.js';

export interface QueryResult<R = Record<string, unknown>> {
  readonly rows: R[];
  readonly rowCount: number;
}

export type SettingPairs = ReadonlyArray<readonly [string, string]>;

/**
 * A request's transaction-local settings. `shared` holds the user's (role, search_path, claims):
 * when frozen it is one array for every request of that user and schema, and the backend renders it
 * once. `own` holds this request's (headers, cookies, method, path, …).
 */
export interface TxSettings {
  readonly shared: SettingPairs;
  readonly own: SettingPairs;
}

/** One API request's transaction: settings, optional pre-statements, then the main statement. */
export interface RequestTx {
  readonly readOnly: boolean;
  /**
   * May run on a read replica (db-replica-uris): a GET/HEAD read or read-only RPC call without a
   * `Prefer: tx=` override or `Prefer: read=primary`. Absent or false: the primary.
   */
  readonly replicaOk?: boolean;
  /** `set_config(name, value, true)` for each pair, in order: `shared` first (role first), then `own`. */
  readonly settings: TxSettings;
  /** Statements run before the main one (db-pre-request, EXPLAIN for planned counts). */
  readonly before: readonly Sql[];
  readonly main: Sql;
  /**
   * How the transaction ends. A constant lets the backend send the whole transaction in one
   * round trip; a function decides from the main statement's rows (singular writes, max-affected).
   */
  readonly end: 'commit' | 'rollback' | ((rows: readonly Record<string, unknown>[]) => 'commit' | 'rollback');
  /**
   * Whether the HTTP client went away. PostgreSQL: a request still waiting for a connection does
   * not run, a running one is cancelled on the server (cancel request). PGlite: a request still
   * waiting for the mutex does not run; a running statement cannot be interrupted.
   */
  readonly clientGone?: ClientGone;
}

/**
 * The HTTP client's departure, as node-adapter sees it on the response. Not an AbortSignal: creating
 * an AbortController costs 18–29 µs per request on Node 20 here; this costs a listener when used.
 */
export interface ClientGone {
  /** True once the client went away before its answer was complete. */
  readonly gone: boolean;
  /** Calls fn once if the client goes away from now on; returns a function that forgets fn. */
  whenGone(fn: () => void): () => void;
}

export interface RequestResult {
  readonly rows: readonly Record<string, unknown>[];
  /** Rows of each `before` statement, in order. */
  readonly before: ReadonlyArray<readonly Record<string, unknown>[]>;
  readonly committed: boolean;
}

/** A connection held for a sequence of statements (catalog load, migrations, admin). */
export interface Conn {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements in one simple-protocol message; one result per statement. */
  exec(script: string): Promise<QueryResult[]>;
}

export interface PoolStats {
  readonly max: number;
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export type DbEvent =
  | { readonly type: 'pool-timeout' }
  /** `replica`: the read replica whose connection it was (db-replica-uris); absent for the primary. */
  | { readonly type: 'connection-error'; readonly message: string; readonly replica?: string }
  /** The LISTEN connection broke (database restart); the backend reconnects by itself. */
  | { readonly type: 'listener-lost'; readonly message: string }
  /** LISTEN works again: notifications sent while it was down were lost, so reload what they would have. */
  | { readonly type: 'listener-reconnected'; readonly attempts: number }
  /** A read replica stopped taking reads (unreachable, lagging past db-replica-max-lag) or took them again. */
  | { readonly type: 'replica-down'; readonly backend: string; readonly reason: string }
  | { readonly type: 'replica-up'; readonly backend: string; readonly lagSeconds: number }
  /** The server kept losing prepared statements (a pooler without their support): unnamed ones from now on. */
  | { readonly type: 'prepared-statements-off'; readonly message: string };

/** One database server behind a routed Db (db-replica-uris), for /metrics and /ready. */
export interface BackendState {
  /** `primary`, `replica-1`, `replica-2`, … (in db-replica-uris order). */
  readonly name: string;
  /** host:port/database, never the credentials. */
  readonly address: string;
  readonly healthy: boolean;
  /** Replay lag in seconds (0 when caught up); null for the primary or when unknown. */
  readonly lagSeconds: number | null;
  /** API requests (transactions) sent to it, and those that failed because of it (connection, pool, recovery conflict). */
  readonly requests: number;
  readonly errors: number;
}

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  request(tx: RequestTx): Promise<RequestResult>;
  /** Runs fn with one connection to itself; on PGlite, with exclusive use of the database. */
  /** db-prepared-statements set again (in-database configuration); PostgreSQL only. */
  usePreparedStatements?(on: boolean): void;
  withConnection<T>(fn: (conn: Conn) => Promise<T>): Promise<T>;
  /** A single statement in its own implicit transaction. */
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
  /** LISTEN on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  poolStats(): PoolStats;
  /**
   * Whether the database answers, within timeoutMs, without waiting behind busy connections
   * (/ready): a saturated pool is not a database that is down.
   */
  ping(timeoutMs: number): Promise<boolean>;
  /** The primary and each read replica, when reads are routed (db-replica-uris); absent otherwise. */
  backends?(): readonly BackendState[];
  close(): Promise<void>;
}
