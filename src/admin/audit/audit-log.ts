// The audit log: every change made through the admin UI (who, when, the SQL, rows affected) in
// pesquel_admin.audit_log. Routes call record(ctx, …) after the change; list() and the export read it.
import type { AdminConn, AdminDb } from '../db/admin-db.js';
import type { Logger } from '../../observability/logger.js';
import { AdminError } from '../errors.js';

export interface AuditChange {
  /** What was done: `grid.update`, `sql.run`, `user.add`, `backup.restore`, `designer.apply`, … */
  readonly action: string;
  readonly sql?: string | null;
  readonly rows?: number | null;
  readonly ok?: boolean;
  /** A short human note (never a password or token). */
  readonly detail?: string | null;
}

export interface AuditEntry {
  readonly id: string; readonly at: string; readonly actor: string; readonly actorRole: string; readonly action: string;
  readonly sql: string | null; readonly rows: number | null; readonly ok: boolean; readonly detail: string | null;
}

/** Who made the change: a request's context (`ctx`) or anything holding its session's user. */
export interface Actor { readonly session: { readonly user: { readonly email: string; readonly role: string } } | null }

export interface AuditFilter {
  readonly actor?: string | null;
  /** ISO timestamps: from inclusive, to exclusive. */
  readonly from?: string | null;
  readonly to?: string | null;
  /** An action or its prefix (`grid.` matches every grid change). */
  readonly action?: string | null;
  readonly limit: number;
  readonly offset: number;
}

const insertSql = `INSERT INTO pesquel_admin.audit_log (actor, actor_role, action, sql, rows_affected, ok, detail)
VALUES ($1, $2, $3, $4, $5::bigint, $6::boolean, $7)`;

const whereSql = `WHERE ($1::text IS NULL OR actor = $1) AND ($2::timestamptz IS NULL OR at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR at < $3::timestamptz) AND ($4::text IS NULL OR starts_with(action, $4))`;

const listSql = `SELECT id::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, actor_role, action, sql,
  rows_affected::text AS rows, ok::text, detail FROM pesquel_admin.audit_log ${whereSql} ORDER BY id DESC LIMIT $5 OFFSET $6`;

const countSql = `SELECT count(*)::text AS n FROM pesquel_admin.audit_log ${whereSql}`;

type Row = { id: string; at: string; actor: string; actor_role: string; action: string; sql: string | null; rows: string | null; ok: string; detail: string | null };

export class AuditLog {
  constructor(private readonly db: AdminDb, private readonly available: () => boolean, private readonly logger: Logger) {}

  /**
   * Records a change by the request's account. A failure to record is logged, not thrown: the
   * change itself has happened already. Pass `c` to record on the connection that made it.
   */
  async record(ctx: Actor, change: AuditChange, c?: AdminConn): Promise<void> {
    if (!this.available()) return;
    const u = ctx.session?.user;
    const values = [u?.email ?? 'unknown', u?.role ?? 'unknown', change.action, change.sql ?? null,
      change.rows === undefined || change.rows === null ? null : String(change.rows), String(change.ok ?? true), change.detail ?? null];
    try {
      if (c) await c.query(insertSql, values);
      else await this.db.use((conn) => conn.query(insertSql, values));
    } catch (err) {
      this.logger.warn({ event: 'admin-audit-failed', action: change.action, err }, 'admin UI: could not record an audit entry');
    }
  }

  private check(): void {
    if (!this.available()) throw new AdminError(503, 'no-store', 'the audit log needs the admin store: set admin-db-uri to a role that owns the database');
  }

  async list(f: AuditFilter): Promise<{ entries: AuditEntry[]; total: number }> {
    this.check();
    const where = [f.actor || null, f.from || null, f.to || null, f.action || null];
    return this.db.use(async (c) => {
      const rows = await c.rows<Row>(listSql, [...where, String(f.limit), String(f.offset)]);
      const [n] = await c.rows<{ n: string }>(countSql, where);
      return {
        total: Number(n?.n ?? 0),
        entries: rows.map((r) => ({
          id: r.id, at: r.at, actor: r.actor, actorRole: r.actor_role, action: r.action, sql: r.sql,
          rows: r.rows === null ? null : Number(r.rows), ok: r.ok === 'true', detail: r.detail,
        })),
      };
    });
  }

  /** The distinct actors, for the filter's picker. */
  async actors(): Promise<string[]> {
    this.check();
    const rows = await this.db.use((c) => c.rows<{ actor: string }>('SELECT DISTINCT actor FROM pesquel_admin.audit_log ORDER BY actor'));
    return rows.map((r) => r.actor);
  }
}
