// The server backend: PostgreSQL 15–17 over a node-postgres pool, directly or through pgBouncer
// in transaction mode. Only transaction-local settings and content-addressed prepared statements
// (prepared.ts; unnamed ones with db-prepared-statements off) are used, so no session state a
// request could see ever leaks between clients of a pooled server connection.
import pg from 'pg';
import { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import { cancelBackend, clientUnusable, connectionLost, guardClient, isServerError, preparedStatementLost } from './pg-faults.js';
import { StatementCache } from './prepared.js';
import { runScript, types } from './pg-script.js';
import { runRequest } from './request-script.js';
import type { ClientGone, Conn, Db, DbEvent, PoolStats, QueryResult, RequestResult, RequestTx } from './types.js';

export interface PostgresOptions {
  readonly uri: string;
  /** LISTEN needs a session: give a direct URI when db-uri points at pgBouncer. */
  readonly listenUri?: string | null;
  readonly poolSize: number;
  readonly acquisitionTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /**
   * db-pool-max-lifetime: a connection this old is closed when it next returns to the pool (or at
   * once when idle) and replaced. PostgreSQL caches plans per session (a foreign-key check planned
   * while a table was empty keeps seq-scanning it), so recycling bounds how long a stale one lives.
   */
  readonly maxLifetimeSeconds?: number;
  readonly applicationName?: string;
  /** db-prepared-statements (default true): the API's statements are prepared per connection. */
  readonly preparedStatements?: boolean;
  readonly onEvent?: (e: DbEvent) => void;
}

const listenSql = (channel: string) => `LISTEN "${channel.replace(/"/g, '""')}"`;

const toResult = (r: pg.QueryResult): QueryResult =>
  ({ rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? r.rows.length });

/** Each connection's prepared statements (they live and die with its server session). */
const statementCaches = new WeakMap<pg.ClientBase, StatementCache>();

function cacheOf(client: pg.ClientBase): StatementCache {
  let cache = statementCaches.get(client);
  if (cache === undefined) statementCaches.set(client, (cache = new StatementCache()));
  return cache;
}

/** Runs a request's statements on the client, prepared (its cache) or unnamed (none). */
const runnerOf = (client: pg.PoolClient, cache?: StatementCache) => ({
  exec: async (script: Parameters<typeof runScript>[1]) => {
    try {
      return await runScript(client, script, cache);
    } catch (err) {
      if (cache !== undefined && preparedStatementLost(err)) cache.reset();
      throw err;
    }
  },
  rollback: () => client.query('ROLLBACK').then(() => undefined, () => undefined),
});

/** Times the server lost a prepared statement before PeSquel stops preparing them. */
const LOST_PREPARED_LIMIT = 3;

const txStatus = (c: pg.ClientBase) => (c as unknown as { getTransactionStatus(): string | null }).getTransactionStatus();

/**
 * After a cancel: wait until the server has the signal, then make sure the connection is idle and
 * outside a transaction (a late cancel may have hit the ROLLBACK); if not, it is thrown away.
 */
async function settleAfterCancel(client: pg.PoolClient, cancel: Promise<boolean>): Promise<void> {
  await cancel;
  if (txStatus(client) === 'I') return;
  await client.query('ROLLBACK').catch(() => undefined);
  // Not an SQL error: withClient destroys the connection instead of pooling it.
  if (txStatus(client) !== 'I') throw new Error('connection still in a transaction after a cancel');
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(fallback), ms);
    void p.then((v) => { clearTimeout(t); resolve(v); });
  });
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: PostgresOptions) {
    this.prepared = opts.preparedStatements ?? true;
    this.pool = new pg.Pool({
      connectionString: opts.uri,
      max: opts.poolSize,
      connectionTimeoutMillis: opts.acquisitionTimeoutMs,
      idleTimeoutMillis: opts.idleTimeoutMs,
      maxLifetimeSeconds: opts.maxLifetimeSeconds ?? 0,
      application_name: opts.applicationName ?? 'pesquel',
      types,
    });
    // An idle client that loses its server: pg-pool removes it and reports it here.
    this.pool.on('error', (err) => opts.onEvent?.({ type: 'connection-error', message: err.message }));
    // A checked-out one: pg-pool removes its own listener while a client is out, and the client
    // emits 'error' when its server goes (pg_terminate_backend, restart) even mid-query. Without a
    // listener of our own from the moment it exists, that event would end the process.
    this.pool.on('connect', (client) => guardClient(client, (err) => {
      if (this.checkedOut.has(client)) opts.onEvent?.({ type: 'connection-error', message: err.message });
    }));
  }

  /** Clients lent out by withClient (the pool reports errors of idle ones itself). */
  private readonly checkedOut = new WeakSet<pg.PoolClient>();
  /** When a statement last succeeded on the pool: /ready trusts a busy pool that works. */
  private lastOk = 0;

  private async acquire(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/timeout exceeded when trying to connect/i.test(message) && this.pool.totalCount >= this.opts.poolSize) {
        this.opts.onEvent?.({ type: 'pool-timeout' });
        throw errors.poolTimeout();
      }
      this.opts.onEvent?.({ type: 'connection-error', message });
      throw errors.dbConnection();
    }
  }

  /**
   * Runs fn on a pooled client. A client whose connection is gone is destroyed, not reused; for API
   * requests (`api`) the error becomes 503 PGRST000 (retry once the database is back), other
   * callers (migrations, catalog loads, tools) get the driver's own error, which says what happened.
   */
  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>, api = false): Promise<T> {
    const client = await this.acquire();
    this.checkedOut.add(client);
    let broken: Error | undefined;
    try {
      const result = await fn(client);
      this.lastOk = performance.now();
      return result;
    } catch (err) {
      const lost = connectionLost(err) || clientUnusable(client);
      // Anything but an SQL error or PeSquel's own may have left the session mid-protocol: not reused.
      if (lost || !(err instanceof ApiError || isServerError(err))) broken = err instanceof Error ? err : new Error(String(err));
      if (lost) {
        this.opts.onEvent?.({ type: 'connection-error', message: (broken as Error).message });
        throw api ? errors.dbConnection() : err;
      }
      if (isServerError(err)) this.lastOk = performance.now();
      throw err;
    } finally {
      this.checkedOut.delete(client);
      client.release(broken);
    }
  }

  /** Whether the API's statements are prepared (db-prepared-statements, until the server keeps losing them). */
  private prepared: boolean;
  private preparedLost = 0;

  /** db-prepared-statements changed in the database's configuration (db-config). */
  usePreparedStatements(on: boolean): void {
    this.prepared = on;
    this.preparedLost = 0;
  }

  /**
   * Runs a request. When a prepared statement turns out to be gone or stale (26000 behind a pooler
   * that moved the session, 0A000 after a table's columns changed), the failed transaction changed
   * nothing and the request runs once more with unnamed statements.
   */
  async request(tx: RequestTx): Promise<RequestResult> {
    if (!this.prepared) return this.requestWith(tx, false);
    try {
      return await this.requestWith(tx, true);
    } catch (err) {
      if (!preparedStatementLost(err) || tx.clientGone?.gone === true) throw err;
      if ((err as { code?: string }).code === '26000' && ++this.preparedLost >= LOST_PREPARED_LIMIT && this.prepared) {
        this.prepared = false;
        this.opts.onEvent?.({ type: 'prepared-statements-off', message: (err as Error).message });
      }
      return this.requestWith(tx, false);
    }
  }

  private requestWith(tx: RequestTx, prepared: boolean): Promise<RequestResult> {
    const client = tx.clientGone;
    const run = (c: pg.PoolClient) => runRequest(tx, runnerOf(c, prepared ? cacheOf(c) : undefined));
    if (client === undefined) return this.withClient(run, true);
    if (client.gone) return Promise.reject(errors.clientClosed());
    return this.withClient((c) => this.cancellable(c, client, run), true);
  }

  /**
   * Runs a request whose HTTP client may go away: then the statement is cancelled on the server
   * (a CancelRequest, forwarded by pgBouncer too), and the connection goes back to the pool only
   * once the cancel has been delivered and it is out of any transaction.
   */
  private async cancellable(client: pg.PoolClient, http: ClientGone, run: (c: pg.PoolClient) => Promise<RequestResult>): Promise<RequestResult> {
    if (http.gone) throw errors.clientClosed(); // gone while waiting for the connection
    const sent: { cancel: Promise<boolean> | null } = { cancel: null };
    const forget = http.whenGone(() => { sent.cancel = cancelBackend(client); });
    try {
      return await run(client);
    } catch (err) {
      if (sent.cancel === null || connectionLost(err)) throw err;
      throw errors.clientClosed();
    } finally {
      forget();
      if (sent.cancel !== null) await settleAfterCancel(client, sent.cancel);
    }
  }

  withConnection<T>(fn: (conn: Conn) => Promise<T>): Promise<T> {
    return this.withClient((client) =>
      fn({
        query: async <R>(text: string, values?: readonly unknown[]) =>
          toResult(await client.query(text, values as unknown[] | undefined)) as QueryResult<R>,
        exec: async (script: string) => {
          const r = (await client.query(script)) as unknown as pg.QueryResult | pg.QueryResult[];
          return (Array.isArray(r) ? r : [r]).map(toResult);
        },
      }),
    );
  }

  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.withConnection((c) => c.query<R>(text, values));
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      const client = await this.listenClient();
      await client.query(listenSql(channel));
    }
    set.add(onPayload);
    return async () => {
      set.delete(onPayload);
    };
  }

  private async listenClient(): Promise<pg.Client> {
    if (this.listener) return this.listener;
    const client = new pg.Client({ connectionString: this.opts.listenUri ?? this.opts.uri, application_name: 'pesquel-listener' });
    client.on('notification', (n) => {
      for (const cb of this.channels.get(n.channel) ?? []) cb(n.payload ?? '');
    });
    const lost = (message: string) => {
      if (this.listener !== client) return;
      this.listener = null;
      if (this.closed) return;
      this.opts.onEvent?.({ type: 'listener-lost', message });
      this.scheduleReconnect(1);
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    await client.connect();
    this.listener = client;
    return client;
  }

  /**
   * Reconnects the LISTEN session after the database went away, with backoff (0.25 s doubling to
   * 5 s), and LISTENs on every channel again. Notifications sent meanwhile are lost, hence the event.
   */
  private scheduleReconnect(attempt: number): void {
    if (this.closed || this.reconnectTimer) return;
    const wait = Math.min(5000, 250 * 2 ** (attempt - 1));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void (async () => {
        try {
          const client = await this.listenClient();
          for (const channel of this.channels.keys()) await client.query(listenSql(channel));
          if (!this.closed) this.opts.onEvent?.({ type: 'listener-reconnected', attempts: attempt });
        } catch {
          const broken = this.listener;
          this.listener = null;
          await broken?.end().catch(() => undefined);
          this.scheduleReconnect(attempt + 1);
        }
      })();
    }, wait);
    this.reconnectTimer.unref();
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.listener !== null;
  }

  /**
   * /ready: a free or idle connection runs SELECT 1; a pool busy with statements that keep
   * succeeding is healthy as it is; otherwise a connection outside the pool checks the database.
   */
  async ping(timeoutMs: number): Promise<boolean> {
    const { total, idle } = this.poolStats();
    if (idle > 0 || total < this.opts.poolSize) {
      return withTimeout(this.query('SELECT 1').then(() => true, () => false), timeoutMs, false);
    }
    if (performance.now() - this.lastOk < Math.min(timeoutMs, 2000)) return true;
    const client = new pg.Client({ connectionString: this.opts.uri, application_name: 'pesquel-ready', connectionTimeoutMillis: timeoutMs });
    client.on('error', () => undefined);
    const ok = client.connect().then(() => client.query('SELECT 1')).then(() => true, () => false);
    return withTimeout(ok, timeoutMs, false).finally(() => void client.end().catch(() => undefined));
  }

  poolStats(): PoolStats {
    return { max: this.opts.poolSize, total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
    await this.pool.end();
  }
}
