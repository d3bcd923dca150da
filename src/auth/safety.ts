// The start-time safety net: every role requests may run as (anonymous, mapped, admin) must be
// one RLS applies to — not a superuser, not BYPASSRLS — or PeSquel refuses to start; exposed
// tables those roles can reach without RLS are reported as warnings.
import type { Config } from '../config/config.js';
import type { SchemaCache } from '../schema-cache/types.js';
import { isSpecialRoleName, type RoleFacts } from './role-guard.js';

export interface RequestRole {
  readonly name: string;
  /** The setting that names it, for the message. */
  readonly setting: string;
}

export function requestRoles(config: Config): RequestRole[] {
  const roles: RequestRole[] = [];
  if (config.dbAnonRole !== null) roles.push({ name: config.dbAnonRole, setting: 'db-anon-role' });
  if (config.authEnabled) {
    for (const r of config.authRoles ?? [config.authDefaultRole]) roles.push({ name: r, setting: config.authRoles ? 'auth-roles' : 'auth-default-role' });
    if (config.authRoles && !config.authRoles.includes(config.authDefaultRole)) roles.push({ name: config.authDefaultRole, setting: 'auth-default-role' });
    if (config.authAdminRole !== null) roles.push({ name: config.authAdminRole, setting: 'auth-admin-role' });
  }
  return roles;
}

export interface SafetyReport {
  /** Reasons to refuse to start (empty: fine). */
  readonly errors: string[];
  readonly warnings: string[];
}

export function checkSafety(
  roles: readonly RequestRole[],
  facts: (role: string) => RoleFacts | undefined,
  cache: SchemaCache,
  allowPrivileged: boolean,
  /** Server mode: the role PeSquel connects as, when it is a superuser (null otherwise). */
  superuserConnection: string | null = null,
): SafetyReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (superuserConnection !== null) {
    // Any exposed function could RESET ROLE back to the session user and ignore every policy.
    const msg = `PeSquel connects as "${superuserConnection}", a superuser: a function could RESET ROLE and bypass row-level security. `
      + 'Fix: connect as the authenticator role (created by pesquel init; set its password with ALTER ROLE authenticator PASSWORD …) in db-uri; '
      + 'to accept the risk, set db-allow-privileged-roles=true.';
    if (allowPrivileged) warnings.push(msg);
    else errors.push(msg);
  }
  for (const r of roles) {
    if (isSpecialRoleName(r.name)) {
      // set_config('role', 'none') is RESET ROLE: every request would run as the connecting role.
      errors.push(`"${r.name}" (${r.setting}) is not a role name PostgreSQL switches to (none, public, current_user, pg_… mean something else). Fix: name an ordinary role.`);
      continue;
    }
    const f = facts(r.name);
    if (!f) {
      warnings.push(`role "${r.name}" (${r.setting}) does not exist: requests as this role will fail with 401`);
      continue;
    }
    if (!f.member || f.self) warnings.push(`role "${r.name}" (${r.setting}) is not one the authenticator role may switch to: requests as this role will fail`);
    if (f.superuser || f.bypassRls) {
      const what = f.superuser ? 'a superuser' : 'a BYPASSRLS role';
      const msg = `role "${r.name}" (${r.setting}) is ${what}: row-level security does not apply to it, so requests as this role would see and change every row. `
        + `Fix: point ${r.setting} at an ordinary role, or run ALTER ROLE "${r.name.replace(/"/g, '""')}" NOSUPERUSER NOBYPASSRLS; `
        + 'to accept the risk, set db-allow-privileged-roles=true.';
      if (allowPrivileged) warnings.push(msg);
      else errors.push(msg);
    }
  }
  const names = new Set(roles.map((r) => r.name));
  const open: string[] = [];
  for (const t of cache.tables.values()) {
    if ((t.kind !== 'table' && t.kind !== 'partitioned_table') || t.rlsEnabled) continue;
    const reachable = [...t.privileges.entries()].filter(([role, privs]) => names.has(role) && privs.size > 0).map(([role]) => role);
    if (reachable.length > 0) open.push(`${t.schema}.${t.name} (${reachable.join(', ')})`);
  }
  if (open.length > 0) {
    const shown = open.slice(0, 20).join(', ') + (open.length > 20 ? `, and ${open.length - 20} more` : '');
    warnings.push(`exposed tables without row-level security (every row is visible to the roles named): ${shown}. Enable it with ALTER TABLE … ENABLE ROW LEVEL SECURITY and add policies.`);
  }
  const anon = roles.find((r) => r.setting === 'db-anon-role')?.name;
  if (anon !== undefined) {
    const writable = anonWritable(anon, cache);
    if (writable.length > 0) {
      const shown = writable.slice(0, 10).join(', ') + (writable.length > 10 ? `, and ${writable.length - 10} more` : '');
      warnings.push(`anonymous requests (${anon}) can change data in ${shown}: fine for development, not for a public server. `
        + `Fix: REVOKE INSERT, UPDATE, DELETE ON … FROM ${anon} (the production stack does, see sql/production/).`);
    }
  }
  return { errors, warnings };
}

/** Exposed relations the anonymous role may write to, with the verbs: `api.todos (INSERT, UPDATE, DELETE)`. */
function anonWritable(anon: string, cache: SchemaCache): string[] {
  const out: string[] = [];
  for (const t of cache.tables.values()) {
    const privs = t.privileges.get(anon);
    const verbs = (['INSERT', 'UPDATE', 'DELETE'] as const).filter((v) => privs?.has(v));
    if (verbs.length > 0) out.push(`${t.schema}.${t.name} (${verbs.join(', ')})`);
  }
  return out.sort();
}
