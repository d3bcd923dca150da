// The admin UI's own database access. The admin shows every value as PostgreSQL prints it and
// needs result columns even for empty results, so it talks to the drivers here (the only admin
// code that does) instead of through Db's Conn, which returns parsed rows without fields.
export interface Field { readonly name: string; readonly typeOid: number }

export interface AdminResult {
  /** Values as PostgreSQL's text output (null stays null). */
  readonly rows: Record<string, string | null>[];
  readonly fields: readonly Field[];
  /** Rows returned, or rows affected by INSERT/UPDATE/DELETE/MERGE/COPY. */
  readonly rowCount: number;
}

export interface AdminConn {
  query(text: string, values?: readonly (string | null)[]): Promise<AdminResult>;
  /** Rows with each value as text, keyed by column: for catalog reads. */
  rows<R = Record<string, string | null>>(text: string, values?: readonly (string | null)[]): Promise<R[]>;
}

export interface AdminPoolStats { readonly max: number; readonly total: number; readonly idle: number; readonly waiting: number }

export interface AdminDb {
  readonly kind: 'pglite' | 'postgres';
  /** Whether a running statement can be interrupted (never on the embedded database). */
  readonly canCancel: boolean;
  /** A short unit of work on one connection; an open transaction is rolled back afterwards. */
  use<T>(fn: (c: AdminConn) => Promise<T>): Promise<T>;
  /** Like use(), registered under runId so cancel(runId) can interrupt it. */
  run<T>(runId: string, fn: (c: AdminConn) => Promise<T>): Promise<T>;
  /** Cancels a registered run: true when a cancel was sent. */
  cancel(runId: string): Promise<boolean>;
  /** The admin's own server process ids (never offered for termination). */
  ownPids(): readonly number[];
  stats(): AdminPoolStats;
  close(): Promise<void>;
}
