// A viewer's SQL on a PostgreSQL server: a small pool of its own logged in as the API's
// authenticator (db-uri, never a superuser), each run one READ ONLY transaction switched to
// pesquel_viewer with set_config (transaction-local: fine behind pgBouncer), always rolled back.
import { PgAdminDb } from '../db/pg-admin.js';
import type { AdminConn, AdminDb } from '../db/admin-db.js';
import { AdminError, pgErrorBody } from '../errors.js';
import { applySettings, readOnlyBegin } from '../auth/read-only.js';
import { prepareViewerRole, viewerRole } from './viewer-role.js';

export interface ViewerDbOptions {
  /** The API's db-uri: the authenticator. */
  readonly uri: string;
  /** The admin's own connection, which creates and grants pesquel_viewer. */
  readonly admin: AdminDb;
  readonly onError?: (message: string) => void;
}

const unavailable = (why: string) => new AdminError(503, 'viewer-sql-off', why);

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
      } catch (err) {
        const e = pgErrorBody(err);
        if (!e) throw err;
        this.ok = false; // dropped or revoked since: prepare it again next time
        throw unavailable(`viewer SQL is off: the db-uri role could not switch to ${viewerRole} (${e.message})`);
      }
      try {
        return await fn(c);
      } finally {
        await c.query('ROLLBACK').catch(() => undefined);
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
