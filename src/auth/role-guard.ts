// Decides which roles a request may switch to. PostgreSQL enforces membership for a non-superuser
// connecting role, but the embedded database connects as a superuser that may become anyone: so
// PeSquel allows only roles the `authenticator` role could switch to (as on a server), never the
// switching role itself, and never a superuser or BYPASSRLS role unless explicitly allowed.
import { ApiError } from '../errors/api-error.js';
import type { Db } from '../db/types.js';
import type { SchemaCache } from '../schema-cache/types.js';

export interface RoleFacts {
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  /** The switching role may become this role. */
  readonly member: boolean;
  /** This is the switching role itself (it holds the auth tables' privileges). */
  readonly self: boolean;
}

const rolesSql = /* sql */ `
WITH me AS (
  SELECT CASE WHEN u.rolsuper AND a.oid IS NOT NULL THEN a.oid ELSE u.oid END AS oid
  FROM pg_roles u LEFT JOIN pg_roles a ON a.rolname = 'authenticator'
  WHERE u.rolname = current_user
)
SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
  pg_has_role(me.oid, r.oid, 'MEMBER') AS member, r.oid = me.oid AS self
FROM pg_roles r CROSS JOIN me`;

export const deniedRole = (role: string) => new ApiError({
  code: '42501',
  status: 403,
  message: `permission denied to set role "${role}"`,
  hint: 'Requests may only run as non-superuser roles without BYPASSRLS that the authenticator role is a member of.',
});

/** PostgreSQL's answer to SET ROLE of a role that does not exist (PostgREST v13: 401). */
export const unknownRole = (role: string) => new ApiError({
  code: '22023',
  status: 401,
  message: `role "${role}" does not exist`,
  headers: { 'WWW-Authenticate': 'Bearer' },
});

/**
 * Words PostgreSQL reads as something other than a role name. `set_config('role', 'none', true)`
 * is RESET ROLE: on the embedded database that is the superuser, with RLS off. The others are
 * refused alike (any case), and so is the `pg_` prefix PostgreSQL reserves for its predefined roles.
 */
const specialWords = new Set(['none', 'default', 'public', 'current_user', 'session_user', 'current_role', 'user', 'all']);

export const isSpecialRoleName = (role: string) => role === '' || specialWords.has(role.toLowerCase()) || /^pg_/i.test(role);

/**
 * PeSquel's own roles (`pesquel_viewer`, which reads every row for the admin UI's viewers, and any
 * later `pesquel_…`): the authenticator may switch to them, but a request never may.
 */
export const isInternalRoleName = (role: string) => /^pesquel_/i.test(role);

export class RoleGuard {
  private roles = new Map<string, RoleFacts>();
  private loadedFor: SchemaCache | null | undefined;
  private loadedAt = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly schemaCache: () => SchemaCache | null,
    private readonly allowPrivileged: boolean,
  ) {}

  private loading: Promise<void> | null = null;

  /** Reads the roles; concurrent callers share one query (a burst of unknown roles costs one). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        this.loadedAt = Date.now();
        const r = await this.db.query<{ name: string; superuser: boolean; bypassrls: boolean; member: boolean; self: boolean }>(rolesSql);
        this.roles = new Map(r.rows.map((x) => [x.name, { superuser: x.superuser, bypassRls: x.bypassrls, member: x.member, self: x.self }]));
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  facts(role: string): RoleFacts | undefined {
    return this.roles.get(role);
  }

  /**
   * Throws 403 42501 for a role requests must not run as, 401 22023 for a role that does not exist
   * (or is a special word): only a known, switchable role ever reaches set_config('role', …).
   */
  async check(role: string): Promise<void> {
    const cache = this.schemaCache();
    // Roles and grants may have changed with the schema (the init SQL NOTIFYs a reload).
    if (cache !== this.loadedFor) {
      this.loadedFor = cache;
      await this.load();
    }
    let facts = this.roles.get(role);
    if (isSpecialRoleName(role)) throw facts ? deniedRole(role) : unknownRole(role); // pg_database_owner exists
    if (isInternalRoleName(role)) throw deniedRole(role);
    if (!facts && Date.now() - this.loadedAt > 1000) {
      await this.load();
      facts = this.roles.get(role);
    }
    if (!facts) throw unknownRole(role);
    if (!facts.member || facts.self) throw deniedRole(role);
    if ((facts.superuser || facts.bypassRls) && !this.allowPrivileged) throw deniedRole(role);
  }
}
