// The server backend: PostgreSQL 15–17 over a node-postgres pool, directly or through pgBouncer
// in transaction mode. Only unnamed statements and transaction-local settings are used, so no
// session state ever leaks between clients of a pooled server connection.
import pg from 'pg';
import { errors } from '../errors/codes.js';
import { runScript, types } from './pg-script.js';
import { runRequest } from './request-script.js';
import type { Conn, Db, DbEvent, PoolStats, QueryResult, RequestResult, RequestTx } from './types.js';

export interface PostgresOptions {
  readonly uri: string;
  /** LISTEN needs a session: give a direct URI when db-uri points at pgBouncer. */
  readonly listenUri?: string | null;
  readonly poolSize: number;
  readonly acquisitionTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly applicationName?: string;
  readonly onEvent?: (e: DbEvent) => void;
}

const listenSql = (channel: string) => `LISTEN "${channel.replace(/"/g, '""')}"`;

const toResult = (r: pg.QueryResult): QueryResult =>
  ({ rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? r.rows.length });

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: opts.uri,
      max: opts.poolSize,
      connectionTimeoutMillis: opts.acquisitionTimeoutMs,
      idleTimeoutMillis: opts.idleTimeoutMs,
      application_name: opts.applicationName ?? 'pesquel',
      types,
    });
    // An idle client that loses its server must not crash the process.
    this.pool.on('error', (err) => opts.onEvent?.({ type: 'connection-error', message: err.message }));
  }

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

  /** Runs fn on a pooled client; a client whose connection broke is destroyed, not reused. */
  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      if (!(err instanceof Error) || !('severity' in err)) broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  request(tx: RequestTx): Promise<RequestResult> {
    return this.withClient((client) => runRequest(tx, {
      exec: (script) => runScript(client, script),
      rollback: () => client.query('ROLLBACK').then(() => undefined, () => undefined),
    }));
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
