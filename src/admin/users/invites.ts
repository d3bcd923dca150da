// One-time invitations: an owner invites an email with a role; the link carries a random token of
// which only the SHA-256 is stored. Accepting it (once, before it expires) creates the account.
import { createHash, randomBytes } from 'node:crypto';
import type { AdminDb } from '../db/admin-db.js';
import { AdminError } from '../errors.js';
import type { AdminRole } from '../auth/roles.js';
import type { Account, Accounts } from './accounts.js';

export const inviteTtlHours = { default: 72, max: 24 * 30 } as const;

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface PendingInvite { readonly email: string; readonly role: AdminRole; readonly createdBy: string; readonly expiresAt: string }

export class Invites {
  constructor(private readonly db: AdminDb, private readonly accounts: Accounts) {}

  /** Stores an invitation and returns its token (shown once, in the link). */
  async create(email: string, role: AdminRole, by: string, ttlHours: number): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const [r] = await this.db.use((c) => c.rows<{ expires_at: string }>(
      `INSERT INTO pesquel_admin.invites (token_hash, email, role, created_by, expires_at)
       VALUES ($1, $2, $3, $4, now() + $5::int * interval '1 hour')
       RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at`,
      [digest(token), email, role, by, String(ttlHours)]));
    return { token, expiresAt: r?.expires_at ?? '' };
  }

  async pending(): Promise<PendingInvite[]> {
    const rows = await this.db.use((c) => c.rows<{ email: string; role: AdminRole; created_by: string; expires_at: string }>(
      `SELECT email, role, created_by, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at
       FROM pesquel_admin.invites WHERE used_at IS NULL AND expires_at > now() ORDER BY created_at DESC`));
    return rows.map((r) => ({ email: r.email, role: r.role, createdBy: r.created_by, expiresAt: r.expires_at }));
  }

  /** What an unused, unexpired token invites to (for the accept page); 404 otherwise. */
  async peek(token: string): Promise<{ email: string; role: AdminRole }> {
    const [r] = await this.db.use((c) => c.rows<{ email: string; role: AdminRole }>(
      'SELECT email, role FROM pesquel_admin.invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()', [digest(token)]));
    if (!r) throw new AdminError(404, 'bad-invite', 'this invitation is unknown, used or expired: ask for a new one');
    return r;
  }

  /** Uses the token and creates its account with the (hashed) password, in one transaction. */
  async accept(token: string, passwordHash: string): Promise<Account> {
    return this.db.use(async (c) => {
      await c.query('BEGIN');
      const [inv] = await c.rows<{ email: string; role: AdminRole }>(
        `UPDATE pesquel_admin.invites SET used_at = now()
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING email, role`, [digest(token)]);
      if (!inv) {
        await c.query('ROLLBACK');
        throw new AdminError(404, 'bad-invite', 'this invitation is unknown, used or expired: ask for a new one');
      }
      try {
        const account = await this.accounts.add(inv.email, inv.role, passwordHash, c);
        await c.query('COMMIT');
        return account;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }
}
