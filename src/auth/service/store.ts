// The auth service's SQL: users, sessions and refresh tokens in the private auth schema, run as
// the connecting role with $n parameters (never through the request roles).
import type { Conn, Db } from '../../db/types.js';
import { inTransaction } from '../../db/transaction.js';

export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly password_hash: string;
  readonly role: string | null;
  readonly created_at: Date | string;
}

export type RefreshOutcome =
  | { readonly kind: 'ok'; readonly user: UserRow; readonly sessionId: string }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'reused' };

/** Runs fn in one transaction on one connection (behind pgBouncer: one server connection). */
function tx<T>(db: Db, fn: (c: Conn) => Promise<T>): Promise<T> {
  return db.withConnection((c) => inTransaction(c, fn));
}

export class AuthStore {
  constructor(private readonly db: Db) {}

  async available(): Promise<boolean> {
    const r = await this.db.query<{ ok: boolean }>(
      `SELECT to_regclass('auth.users') IS NOT NULL AND to_regclass('auth.refresh_tokens') IS NOT NULL AS ok`);
    return r.rows[0]?.ok === true;
  }

  async userByEmail(email: string): Promise<UserRow | null> {
    const r = await this.db.query<UserRow>('SELECT id, email, password_hash, role, created_at FROM auth.users WHERE email = $1', [email]);
    return r.rows[0] ?? null;
  }

  async userById(id: string): Promise<UserRow | null> {
    const r = await this.db.query<UserRow>('SELECT id, email, password_hash, role, created_at FROM auth.users WHERE id = $1', [id]);
    return r.rows[0] ?? null;
  }

  /** Null when the email is taken. */
  async createUser(email: string, passwordHash: string, role: string | null): Promise<UserRow | null> {
    const r = await this.db.query<UserRow>(
      `INSERT INTO auth.users (email, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO NOTHING RETURNING id, email, password_hash, role, created_at`,
      [email, passwordHash, role]);
    return r.rows[0] ?? null;
  }

  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.db.query('UPDATE auth.users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, hash]);
  }

  /** A new session with its first refresh token. */
  async createSession(userId: string, tokenHash: string, expiresAt: Date, userAgent: string | null, ip: string | null): Promise<string> {
    return tx(this.db, async (c) => {
      const s = await c.query<{ id: string }>(
        'INSERT INTO auth.sessions (user_id, user_agent, ip) VALUES ($1, $2, $3) RETURNING id',
        [userId, userAgent?.slice(0, 512) ?? null, ip]);
      const id = s.rows[0]?.id as string;
      await c.query('INSERT INTO auth.refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, id, expiresAt.toISOString()]);
      return id;
    });
  }

  /**
   * Spends a refresh token and stores its successor. A token spent before revokes its whole
   * session: someone holds a copy (the standard refresh-token-rotation reuse detection).
   */
  async rotate(tokenHash: string, nextHash: string, nextExpiresAt: Date): Promise<RefreshOutcome> {
    return tx(this.db, async (c) => {
      const r = await c.query<{ session_id: string; used: boolean; expired: boolean; revoked: boolean; user_id: string }>(
        `SELECT t.session_id, t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,
                s.revoked_at IS NOT NULL AS revoked, s.user_id
         FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
         WHERE t.token_hash = $1 FOR UPDATE OF t, s`, [tokenHash]);
      const row = r.rows[0];
      if (!row) return { kind: 'invalid' } as const;
      if (row.used) {
        if (!row.revoked) {
          await c.query(`UPDATE auth.sessions SET revoked_at = now(), revoked_reason = 'refresh token reuse' WHERE id = $1`, [row.session_id]);
        }
        return { kind: 'reused' } as const;
      }
      if (row.revoked || row.expired) return { kind: 'invalid' } as const;
      await c.query('UPDATE auth.refresh_tokens SET used_at = now() WHERE token_hash = $1', [tokenHash]);
      await c.query('INSERT INTO auth.refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)',
        [nextHash, row.session_id, nextExpiresAt.toISOString()]);
      await c.query('UPDATE auth.sessions SET last_used_at = now() WHERE id = $1', [row.session_id]);
      const u = await c.query<UserRow>('SELECT id, email, password_hash, role, created_at FROM auth.users WHERE id = $1', [row.user_id]);
      const user = u.rows[0];
      return user ? { kind: 'ok', user, sessionId: row.session_id } as const : { kind: 'invalid' } as const;
    });
  }

  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.db.query('UPDATE auth.sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL', [sessionId, reason]);
  }

  async sessionOfToken(tokenHash: string): Promise<string | null> {
    const r = await this.db.query<{ session_id: string }>('SELECT session_id FROM auth.refresh_tokens WHERE token_hash = $1', [tokenHash]);
    return r.rows[0]?.session_id ?? null;
  }

  async sessionActive(sessionId: string, userId: string): Promise<boolean> {
    const r = await this.db.query<{ n: unknown }>(
      'SELECT count(*) AS n FROM auth.sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [sessionId, userId]);
    return Number(r.rows[0]?.n ?? 0) > 0;
  }
}
