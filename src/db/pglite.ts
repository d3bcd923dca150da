// The embedded backend: PostgreSQL 17 in-process (PGlite), persisted to a data directory.
// PGlite is one session, so every use goes through one FIFO mutex: transactions never interleave.
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir, type DataDirLock } from './data-dir.js';
import { errors } from '../errors/codes.js';
import { runRequest } from './request-script.js';
import { Mutex } from './mutex.js';
import type { Conn, Db, QueryResult, RequestResult, RequestTx } from './types.js';


const toResult = (r: { rows: unknown[]; affectedRows?: number }): QueryResult =>
  ({ rows: r.rows as Record<string, unknown>[], rowCount: r.affectedRows ?? r.rows.length });

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  /** Shared with the wire-protocol server (pglite-wire.ts), which holds it across a client transaction. */
  readonly mutex = new Mutex();
  private closed = false;

  private constructor(readonly pg: PGlite, private readonly lock: DataDirLock | null) {}

  /**
   * `dataDir` null: in memory (tests). A data directory is checked and locked first (data-dir.ts);
   * pass `lock` when the caller took it already. The lock is released by close().
   */
  static async open(dataDir: string | null, lock: DataDirLock | null = dataDir === null ? null : lockDataDir(dataDir)): Promise<PgliteDb> {
    try {
      return new PgliteDb(await PGlite.create(dataDir ?? 'memory://'), lock);
    } catch (err) {
      lock?.release();
      // PGlite's own messages ("Aborted()", "failed to initialize properly") do not say where.
      throw new Error(`cannot open the embedded database in ${dataDir ?? 'memory'}: ${(err as Error).message}`, { cause: err });
    }
  }

  private conn(): Conn {
    return {
      query: async <R>(text: string, values?: readonly unknown[]) => {
        const r = await this.pg.query(text, values as unknown[] | undefined);
        return toResult(r) as QueryResult<R>;
      },
      exec: async (script: string) => (await this.pg.exec(script)).map(toResult),
    };
  }

  request(tx: RequestTx): Promise<RequestResult> {
    // A request whose client went away while it waited for the mutex is dropped without running;
    // a running statement cannot be interrupted (PGlite runs it to its end on Node's thread).
    return this.mutex.run(() => tx.clientGone?.gone === true ? Promise.reject(errors.clientClosed())
      : runRequest(tx, { inline: true, exec: (script) => this.pg.exec(script), rollback: () => this.rollbackQuietly() }));
  }

  private async rollbackQuietly(): Promise<void> {
    try {
      await this.pg.exec('ROLLBACK');
    } catch {
      // Not in a transaction: nothing to undo.
    }
  }

  withConnection<T>(fn: (conn: Conn) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      try {
        return await fn(this.conn());
      } finally {
        // Leave no transaction open for the next user of the single session.
        if (this.pg.isInTransaction()) await this.rollbackQuietly();
      }
    });
  }

  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.withConnection((c) => c.query<R>(text, values));
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    // LISTEN is a statement too: it must not slip into another caller's transaction.
    const unlisten = await this.mutex.run(() => this.pg.listen(channel, onPayload));
    return () => this.mutex.run(() => unlisten());
  }

  /** In-process: the database answers while it is open, however long the queue for the mutex. */
  async ping(): Promise<boolean> {
    return !this.pg.closed;
  }

  poolStats() {
    return { max: 1, total: 1, idle: this.mutex.waiting === 0 ? 1 : 0, waiting: this.mutex.waiting };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Wait for the transaction in progress, then close so the data directory stays consistent.
    try {
      await this.mutex.run(() => this.pg.close());
    } finally {
      this.lock?.release();
    }
  }
}
