// The admin's own state, kept in the database so it survives reloads, restarts and container
// rebuilds: the SQL editor's tabs and history and recent failed sign-ins (accounts and the audit
// log: sql/internal/0005-admin-users.sql), in the
// `pesquel_admin` schema (never exposed by the API: it is not in db-schemas, PUBLIC has no access).
import type { AdminConn, AdminDb } from './db/admin-db.js';
import { AdminError, pgErrorBody } from './errors.js';

const setupSql = [
  'CREATE SCHEMA IF NOT EXISTS pesquel_admin',
  'REVOKE ALL ON SCHEMA pesquel_admin FROM PUBLIC',
  'CREATE TABLE IF NOT EXISTS pesquel_admin.settings (key text PRIMARY KEY, value text NOT NULL)',
  `CREATE TABLE IF NOT EXISTS pesquel_admin.tabs (
     id text PRIMARY KEY, title text NOT NULL, sql text NOT NULL DEFAULT '',
     position int NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS pesquel_admin.history (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sql text NOT NULL, ran_at timestamptz NOT NULL DEFAULT now(),
     ms double precision, ok boolean NOT NULL, summary text)`,
  // Failed sign-ins per client address in the current window, shared by every instance.
  `CREATE TABLE IF NOT EXISTS pesquel_admin.sign_in_failures (
     addr text PRIMARY KEY, count int NOT NULL, since timestamptz NOT NULL)`,
];

/** The newest object of setupSql: when it exists, the schema is complete. */
const newestTable = 'pesquel_admin.sign_in_failures';

/**
 * Counts one sign-in attempt of an address unless it has had `$2` failures in the window of `$3`
 * ms: one statement, so concurrent attempts cannot all pass. Returns a row when the attempt may go on.
 */
const reserveSignInSql = `
INSERT INTO pesquel_admin.sign_in_failures AS f (addr, count, since) VALUES ($1, 1, now())
ON CONFLICT (addr) DO UPDATE SET
  count = CASE WHEN f.since <= now() - $3::int * interval '1 millisecond' THEN 1 ELSE f.count + 1 END,
  since = CASE WHEN f.since <= now() - $3::int * interval '1 millisecond' THEN now() ELSE f.since END
WHERE f.since <= now() - $3::int * interval '1 millisecond' OR f.count < $2::int
RETURNING count`;

export interface Tab { readonly id: string; readonly title: string; readonly sql: string; readonly position: number }
export interface HistoryEntry { readonly id: string; readonly sql: string; readonly ranAt: string; readonly ms: number | null; readonly ok: boolean; readonly summary: string | null }

const historyLimit = 500;

export class AdminStore {
  /** Why the store is unusable (the admin's role may not create the schema), or null. */
  private problem: string | null = null;

  constructor(private readonly db: AdminDb) {}

  /**
   * Creates the schema when missing. A role without the right to (e.g. the API's authenticator
   * when admin-db-uri is unset) leaves the store off instead of stopping PeSquel: returns why.
   */
  async setup(): Promise<string | null> {
    try {
      await this.db.use(async (c) => {
        // Skip the DDL when the schema is there: it would take locks and log notices at every start.
        const [found] = await c.rows(`SELECT 1 AS x FROM pg_class WHERE oid = to_regclass('${newestTable}')`);
        if (!found) for (const s of setupSql) await c.query(s);
      });
    } catch (err) {
      const pg = pgErrorBody(err);
      if (!pg) throw err;
      this.problem = `the admin UI's role cannot keep its state in schema pesquel_admin (${pg.message}): set admin-db-uri to a role that owns the database`;
    }
    return this.problem;
  }

  get available(): boolean { return this.problem === null; }

  private check(): void {
    if (this.problem) throw new AdminError(503, 'no-store', this.problem);
  }

  async setting(key: string): Promise<string | null> {
    this.check();
    const [row] = await this.db.use((c) => c.rows<{ value: string }>('SELECT value FROM pesquel_admin.settings WHERE key = $1', [key]));
    return row?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.check();
    await this.db.use((c) => c.query(
      'INSERT INTO pesquel_admin.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]));
  }

  async tabs(): Promise<Tab[]> {
    this.check();
    const rows = await this.db.use((c) => c.rows<{ id: string; title: string; sql: string; position: string }>(
      'SELECT id, title, sql, position FROM pesquel_admin.tabs ORDER BY position, updated_at'));
    return rows.map((r) => ({ ...r, position: Number(r.position) }));
  }

  async saveTab(tab: Tab): Promise<void> {
    this.check();
    await this.db.use((c) => c.query(
      `INSERT INTO pesquel_admin.tabs (id, title, sql, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, sql = excluded.sql, position = excluded.position, updated_at = now()`,
      [tab.id, tab.title, tab.sql, String(tab.position)]));
  }

  async deleteTab(id: string): Promise<void> {
    this.check();
    await this.db.use((c) => c.query('DELETE FROM pesquel_admin.tabs WHERE id = $1', [id]));
  }

  /** Records a run on the connection that ran it (one mutex turn on PGlite), keeping the newest entries. */
  async addHistory(c: AdminConn, e: { sql: string; ms: number; ok: boolean; summary: string }): Promise<void> {
    this.check();
    await c.query('INSERT INTO pesquel_admin.history (sql, ms, ok, summary) VALUES ($1, $2, $3, $4)', [e.sql, String(e.ms), String(e.ok), e.summary]);
    await c.query(`DELETE FROM pesquel_admin.history WHERE id <= (SELECT max(id) - ${historyLimit} FROM pesquel_admin.history)`);
  }

  async history(limit: number): Promise<HistoryEntry[]> {
    this.check();
    const rows = await this.db.use((c) => c.rows<{ id: string; sql: string; ran_at: string; ms: string | null; ok: string; summary: string | null }>(
      `SELECT id::text, sql, to_char(ran_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ran_at, ms::text, ok::text, summary
       FROM pesquel_admin.history ORDER BY history.id DESC LIMIT $1`, [String(limit)]));
    return rows.map((r) => ({ id: r.id, sql: r.sql, ranAt: r.ran_at, ms: r.ms === null ? null : Number(r.ms), ok: r.ok === 'true', summary: r.summary }));
  }

  /** Reserves a sign-in attempt for `addr` (counted as a failure until `clearSignIns`); false: wait. */
  async reserveSignIn(addr: string, max: number, windowMs: number): Promise<boolean> {
    this.check();
    const rows = await this.db.use((c) => c.rows(reserveSignInSql, [addr, String(max), String(windowMs)]));
    return rows.length > 0;
  }

  /** Forgets addresses whose window has passed. */
  async pruneSignIns(windowMs: number): Promise<void> {
    this.check();
    await this.db.use((c) => c.query(`DELETE FROM pesquel_admin.sign_in_failures WHERE since <= now() - $1::int * interval '1 millisecond'`, [String(windowMs)]));
  }

  async clearSignIns(addr: string): Promise<void> {
    this.check();
    await this.db.use((c) => c.query('DELETE FROM pesquel_admin.sign_in_failures WHERE addr = $1', [addr]));
  }
}
