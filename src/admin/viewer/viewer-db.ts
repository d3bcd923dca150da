// A viewer's SQL on a PostgreSQL server: a small pool of its own logged in as the API's
// authenticator (db-uri, never a superuser), each run one READ ONLY transaction switched to
// pesquel_viewer with set_config (transaction-local: fine behind pgBouncer), always rolled back and
// leaving no session state behind.
import { PgAdminDb } from '../db/pg-admin.js';
import type { AdminConn, AdminDb } from '../db/admin-db.js';
import { AdminError, pgErrorBody } from '../errors.js';
import { applySettings, readOnlyBegin } from '../auth/read-only.js';
import { ident, render, sql } from '../../sql/sql.js';
import { prepareViewerRole, viewerRole } from './viewer-role.js';

export interface ViewerDbOptions {
  /** The API's db-uri: the authenticator. */
  readonly uri: string;
  /** The admin's own connection, which creates and grants pesquel_viewer. */
  readonly admin: AdminDb;
  readonly onError?: (message: string) => void;
}

const unavailable = (why: string) => new AdminError(503, 'viewer-sql-off', why);

/** Set after the role switch: rolling back to it leaves even a failed transaction usable for cleanUp. */
const savepoint = 'pesquel_viewer_run';

/**
 * What a viewer's SQL can leave on the session although the transaction rolls back: session-level
 * advisory locks and statements PREPAREd from a DO block. Behind pgBouncer the next transaction on
 * that server connection may be an API request (a planted `pesquel_…` statement would run in it),
 * so both are removed before the ROLLBACK. A failure here drops the connection.
 */
async function cleanUp(c: AdminConn): Promise<void> {
  try {
    await c.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    await c.query('SELECT pg_advisory_unlock_all()');
    const planted = await c.rows<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE from_sql AND prepare_time >= now()');
    for (const p of planted) await c.query(render(sql`DEALLOCATE ${ident(p.name)}`).text);
    await c.query('ROLLBACK');
  } catch (err) {
    throw new Error(`the viewer's session could not be cleaned up (${(err as Error).message}): its connection is closed`, { cause: err });
  }
}

export class ViewerDb {
  private readonly pool: PgAdminDb;
  private ok = false;
  private checking: Promise<string | null> | null = null;

  constructor(private readonly o: ViewerDbOptions) {
    // One connection runs a statement, one more for a second tab; cancel needs none (CancelRequest).
    this.pool = new PgAdminDb({ uri: o.uri, max: 2, idleMs: 5_000, applicationName: 'pesquel-admin-viewer', cancelBy: 'protocol', onError: o.onError });
  }

  /** null when viewer SQL can run; else why not and what to run. Checked again until it succeeds. */
  async problem(): Promise<string | null> {
    if (this.ok) return null;
    this.checking ??= prepareViewerRole(this.pool, this.o.admin).finally(() => { this.checking = null; });
    const why = await this.checking;
    this.ok = why === null;
    return why;
  }

  /**
   * Runs `fn` in `BEGIN TRANSACTION READ ONLY; SELECT set_config('role', 'pesquel_viewer', true)`,
   * then ROLLBACK, registered under runId for cancel(). Never on the admin's connection: when the
   * role cannot be used, a 503 says why.
   */
  async run<T>(runId: string, fn: (c: AdminConn) => Promise<T>): Promise<T> {
    const why = await this.problem();
    if (why) throw unavailable(why);
    return this.pool.run(runId, async (c) => {
      try {
        await readOnlyBegin(c);
        await applySettings(c, [['role', viewerRole]]);
        await c.query(`SAVEPOINT ${savepoint}`);
      } catch (err) {
        const e = pgErrorBody(err);
        if (!e) throw err;
        this.ok = false; // dropped or revoked since: prepare it again next time
        throw unavailable(`viewer SQL is off: the db-uri role could not switch to ${viewerRole} (${e.message})`);
      }
      try {
        return await fn(c);
      } finally {
        await cleanUp(c);
      }
    });
  }

  cancel(runId: string): Promise<boolean> {
    return this.pool.cancel(runId);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
