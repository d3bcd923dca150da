// Admin access to the embedded database: the API's own single session, taken through the same
// FIFO mutex (Db.withConnection), so admin work queues with API requests and must stay short.
// PGlite runs statements synchronously on Node's thread: nothing (not even an HTTP request)
// runs until a statement ends, so cancel is impossible and canCancel is false.
import type { PGlite } from '@electric-sql/pglite';
import type { PgliteDb } from '../../db/pglite.js';
import type { AdminConn, AdminDb, AdminResult } from './admin-db.js';
import { toText } from './text-values.js';

export class PgliteAdminDb implements AdminDb {
  readonly kind = 'pglite' as const;
  readonly canCancel = false;
  /**
   * Identity functions for every type: as parsers, values come back as PostgreSQL's text output;
   * as serializers, text parameters go in as PostgreSQL's text input (like an unknown-typed $n).
   */
  private parsers: Record<number, (x: string) => string> | null = null;
  private busy = 0;

  constructor(private readonly db: PgliteDb) {}

  private get pg(): PGlite { return this.db.pg; }

  private async textParsers(): Promise<Record<number, (x: string) => string>> {
    if (this.parsers) return this.parsers;
    const r = await this.pg.query<{ oid: number }>('SELECT oid::int AS oid FROM pg_type');
    const id = (x: string) => x;
    this.parsers = Object.fromEntries(r.rows.map((t) => [t.oid, id]));
    return this.parsers;
  }

  private conn(): AdminConn {
    const query = async (text: string, values?: readonly (string | null)[]): Promise<AdminResult> => {
      const r = await this.pg.query<Record<string, unknown>>(text, values as unknown[] | undefined, { parsers: await this.textParsers(), serializers: await this.textParsers() });
      const rows = r.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toText(v)])));
      const fields = r.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
      return { rows, fields, rowCount: fields.length > 0 ? rows.length : (r.affectedRows ?? 0) };
    };
    return {
      query,
      rows: async <R>(text: string, values?: readonly (string | null)[]) => (await query(text, values)).rows as R[],
    };
  }

  use<T>(fn: (c: AdminConn) => Promise<T>): Promise<T> {
    return this.db.withConnection(async () => {
      this.busy++;
      try {
        return await fn(this.conn());
      } finally {
        this.busy--;
      }
    });
  }

  run<T>(_runId: string, fn: (c: AdminConn) => Promise<T>): Promise<T> {
    return this.use(fn);
  }

  async cancel(): Promise<boolean> {
    return false;
  }

  ownPids(): readonly number[] {
    return [];
  }

  stats() {
    return { max: 1, total: 1, idle: this.busy === 0 ? 1 : 0, waiting: 0 };
  }

  async close(): Promise<void> {
    // The session belongs to the API's Db, which closes it.
  }
}
