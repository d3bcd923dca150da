// The admin UI's accounts in pesquel_admin.users (sql/internal/0005-admin-users.sql): look-up,
// add, remove and role changes, keeping at least one owner. Passwords arrive already hashed.
import { internalMigrations } from '../../db/init.js';
import type { AdminConn, AdminDb } from '../db/admin-db.js';
import { AdminError } from '../errors.js';
import { splitStatements } from '../sql-split.js';
import type { AdminRole } from '../auth/roles.js';

export interface Account { readonly id: string; readonly email: string; readonly role: AdminRole }
export interface AccountRow extends Account { readonly createdAt: string; readonly hasPassword: boolean }

/** The account the single shared password became: `admin`, an owner. */
export const legacyOwner = 'admin';

const cols = 'id::text, email, role';

/** `Ada@Example.com ` → `ada@example.com`; an account name is an email or a plain login name. */
export function normalEmail(v: unknown): string {
  const e = typeof v === 'string' ? v.trim().toLowerCase() : '';
  // \s and control characters (< U+0020) are refused: names show in logs and audit rows.
  if (e.length < 1 || e.length > 254 || /\s/.test(e) || [...e].some((ch) => ch < ' ')) throw new AdminError(400, 'bad-email', 'give an email (or login name) of 1–254 characters without spaces');
  return e;
}

export class Accounts {
  constructor(private readonly db: AdminDb) {}

  /** Creates the tables when this database never ran internal migration 5 (it is idempotent). */
  async setup(): Promise<void> {
    await this.db.use(async (c) => {
      const [found] = await c.rows(`SELECT 1 AS x FROM pg_class WHERE oid = to_regclass('pesquel_admin.audit_log')`);
      if (found) return;
      const m = internalMigrations().find((x) => x.version === 5);
      if (!m) throw new Error('sql/internal/0005-admin-users.sql is missing');
      for (const s of splitStatements(m.sql)) await c.query(s.text);
    });
  }

  async count(): Promise<number> {
    const [r] = await this.db.use((c) => c.rows<{ n: string }>('SELECT count(*)::text AS n FROM pesquel_admin.users'));
    return Number(r?.n ?? 0);
  }

  async find(email: string): Promise<(Account & { hash: string | null }) | null> {
    const [r] = await this.db.use((c) => c.rows<Account & { hash: string | null }>(
      `SELECT ${cols}, password_hash AS hash FROM pesquel_admin.users WHERE email = $1`, [email]));
    return r ?? null;
  }

  async byId(id: string): Promise<Account | null> {
    const [r] = await this.db.use((c) => c.rows<Account>(`SELECT ${cols} FROM pesquel_admin.users WHERE id::text = $1`, [id]));
    return r ?? null;
  }

  async list(): Promise<AccountRow[]> {
    const rows = await this.db.use((c) => c.rows<Account & { created_at: string; has_password: string }>(
      `SELECT ${cols}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
              (password_hash IS NOT NULL)::text AS has_password
       FROM pesquel_admin.users ORDER BY email`));
    return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, createdAt: r.created_at, hasPassword: r.has_password === 'true' }));
  }

  /** Adds an account; 409 when the email is taken. */
  async add(email: string, role: AdminRole, hash: string | null, c?: AdminConn): Promise<Account> {
    const insert = async (conn: AdminConn) => {
      const [r] = await conn.rows<Account>(
        `INSERT INTO pesquel_admin.users (email, role, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO NOTHING RETURNING ${cols}`, [email, role, hash]);
      if (!r) throw new AdminError(409, 'user-exists', `there is already an account ${email}`);
      return r;
    };
    return c ? insert(c) : this.db.use(insert);
  }

  async setPassword(email: string, hash: string): Promise<void> {
    await this.db.use((c) => c.query('UPDATE pesquel_admin.users SET password_hash = $2, updated_at = now() WHERE email = $1', [email, hash]));
  }

  /** Changes a role; refuses to leave the database without an owner. */
  async setRole(email: string, role: AdminRole): Promise<Account> {
    return this.ownersKept(email, async (c) => {
      const [r] = await c.rows<Account>(`UPDATE pesquel_admin.users SET role = $2, updated_at = now() WHERE email = $1 RETURNING ${cols}`, [email, role]);
      return r;
    });
  }

  async remove(email: string): Promise<Account> {
    return this.ownersKept(email, async (c) => {
      const [r] = await c.rows<Account>(`DELETE FROM pesquel_admin.users WHERE email = $1 RETURNING ${cols}`, [email]);
      return r;
    });
  }

  /** Runs a change in a transaction that fails when no owner is left afterwards. */
  private ownersKept(email: string, change: (c: AdminConn) => Promise<Account | undefined>): Promise<Account> {
    return this.db.use(async (c) => {
      await c.query('BEGIN');
      // Serialises concurrent demotions: two owners demoting each other cannot both succeed.
      await c.query("SELECT pg_advisory_xact_lock(hashtextextended('pesquel admin owners', 0))");
      const r = await change(c);
      if (!r) {
        await c.query('ROLLBACK');
        throw new AdminError(404, 'no-user', `there is no account ${email}`);
      }
      const [o] = await c.rows<{ n: string }>("SELECT count(*)::text AS n FROM pesquel_admin.users WHERE role = 'owner'");
      if (Number(o?.n ?? 0) === 0) {
        await c.query('ROLLBACK');
        throw new AdminError(409, 'last-owner', 'that would leave no owner: make another account owner first');
      }
      await c.query('COMMIT');
      return r;
    });
  }
}
