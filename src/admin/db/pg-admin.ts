// Admin access to a PostgreSQL server: one small pool of its own (the API's pool stays for the
// API), which closes connections idle for a few seconds so the admin holds none between clicks.
// Every value is read as text; a run records its backend pid so cancel can pg_cancel_backend it, or
// (cancelBy 'protocol', for a pool behind pgBouncer) cancels through the protocol's CancelRequest.
import pg from 'pg';
import { cancelBackend, clientUnusable, connectionLost, guardClient, isServerError } from '../../db/pg-faults.js';
import type { AdminConn, AdminDb, AdminResult } from './admin-db.js';

const textTypes = { getTypeParser: () => (v: string) => v };

/** The transaction status of the last ReadyForQuery (pg 8.12+), null before the first query. */
const txStatus = (c: pg.PoolClient) => (c as unknown as { getTransactionStatus?: () => string | null }).getTransactionStatus?.() ?? 'T';

export interface PgAdminOptions {
  readonly uri: string;
  /** One connection runs the editor's statement, one serves cancel and catalog reads. */
  readonly max?: number;
  readonly idleMs?: number;
  readonly onError?: (message: string) => void;
  /** Shown in pg_stat_activity (default `pesquel-admin`). */
  readonly applicationName?: string;
  /**
   * How cancel() reaches a run: `pid` (pg_cancel_backend from another connection of this pool) or
   * `protocol` (a CancelRequest with the run's key: no privilege needed, and pgBouncer forwards it).
   */
  readonly cancelBy?: 'pid' | 'protocol';
}

export class PgAdminDb implements AdminDb {
  readonly kind = 'postgres' as const;
  readonly canCancel = true;
  private readonly pool: pg.Pool;
  /** Each registered run's canceller. */
  private readonly runs = new Map<string, () => Promise<boolean>>();
  private readonly cancelBy: 'pid' | 'protocol';
  private readonly pids = new Set<number>();
  private readonly max: number;
  /** Clients checked out by use() (the pool reports errors of idle ones itself). */
  private readonly lent = new WeakSet<pg.PoolClient>();

  constructor(opts: PgAdminOptions) {
    this.max = opts.max ?? 3;
    this.cancelBy = opts.cancelBy ?? 'pid';
    this.pool = new pg.Pool({
      connectionString: opts.uri,
      max: this.max,
      idleTimeoutMillis: opts.idleMs ?? 5_000,
      connectionTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      application_name: opts.applicationName ?? 'pesquel-admin',
      types: textTypes,
    });
    this.pool.on('error', (err) => opts.onError?.(err.message));
    this.pool.on('connect', (c) => {
      // pg-pool listens for errors only while a client is idle: the editor's own connection can be
      // terminated mid-statement (SELECT pg_terminate_backend(pg_backend_pid())) and must not end the process.
      guardClient(c, (err) => { if (this.lent.has(c)) opts.onError?.(err.message); });
      const pid = (c as unknown as { processID?: number }).processID;
      if (pid) this.pids.add(pid);
    });
    this.pool.on('remove', (c) => { const pid = (c as unknown as { processID?: number }).processID; if (pid) this.pids.delete(pid); });
  }

  private conn(client: pg.PoolClient): AdminConn {
    const query = async (text: string, values?: readonly (string | null)[]): Promise<AdminResult> => {
      // With values, always the extended protocol: one statement per call, never a hidden second one.
      const r = await client.query({ text, values: values as unknown[] | undefined, ...(values ? { queryMode: 'extended' as const } : {}) });
      const fields = (r.fields ?? []).map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
      const rows = r.rows as Record<string, string | null>[];
      return { rows, fields, rowCount: r.command === 'SELECT' || fields.length > 0 ? rows.length : (r.rowCount ?? 0) };
    };
    return {
      query,
      rows: async <R>(text: string, values?: readonly (string | null)[]) => (await query(text, values)).rows as R[],
    };
  }

  use<T>(fn: (c: AdminConn) => Promise<T>): Promise<T> {
    return this.withClient((c) => fn(c));
  }

  private async withClient<T>(fn: (c: AdminConn, client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    this.lent.add(client);
    let broken: Error | undefined;
    try {
      const c = this.conn(client);
      try {
        return await fn(c, client);
      } finally {
        // Never hand a connection back inside a transaction ('I' = idle, 'T'/'E' = in one).
        if (txStatus(client) !== 'I') await client.query('ROLLBACK').catch(() => undefined);
      }
    } catch (err) {
      // A lost connection (FATAL from the server, socket error), or any error that is not SQL's, is
      // dropped from the pool.
      if (connectionLost(err) || !isServerError(err)) broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      this.lent.delete(client);
      // A statement may have reported its own FATAL as a result (the editor shows errors as
      // results): a client the server has closed is never handed out again.
      client.release(broken ?? (clientUnusable(client) ? new Error('connection lost') : undefined));
    }
  }

  run<T>(runId: string, fn: (c: AdminConn) => Promise<T>): Promise<T> {
    return this.withClient(async (c, client) => {
      this.runs.set(runId, this.cancelBy === 'protocol' ? () => cancelBackend(client) : await this.pidCanceller(c));
      try {
        return await fn(c);
      } finally {
        this.runs.delete(runId);
      }
    });
  }

  private async pidCanceller(c: AdminConn): Promise<() => Promise<boolean>> {
    const [row] = await c.rows<{ pid: string }>('SELECT pg_backend_pid()::text AS pid');
    const pid = row?.pid ?? '0';
    return () => this.use(async (o) => (await o.rows<{ ok: string }>('SELECT pg_cancel_backend($1::int)::text AS ok', [pid]))[0]?.ok === 'true');
  }

  async cancel(runId: string): Promise<boolean> {
    const cancel = this.runs.get(runId);
    return cancel ? cancel() : false;
  }

  ownPids(): readonly number[] {
    return [...this.pids];
  }

  stats() {
    return { max: this.max, total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
