// The role a viewer's SQL runs as on a server: pesquel_viewer (NOLOGIN, BYPASSRLS, a member of
// pg_read_all_data/settings/stats), granted to the db-uri role; or the one line saying why it cannot.
import type { AdminConn, AdminDb } from '../db/admin-db.js';
import { ident, render, sql, type Sql } from '../../sql/sql.js';

export const viewerRole = 'pesquel_viewer';

const readRoles = ['pg_read_all_data', 'pg_read_all_settings', 'pg_read_all_stats'] as const;
const unsafeFileRoles = `ARRAY['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program']`;

/** What the db-uri role (the session user of the viewer's pool) is and may become. */
const authenticatorSql = `
SELECT session_user::text AS name, u.rolsuper::text AS superuser,
  (SELECT string_agg(p, ', ') FROM unnest(${unsafeFileRoles}) p WHERE pg_has_role(session_user, p, 'MEMBER')) AS file_roles,
  (v.oid IS NOT NULL AND pg_has_role(session_user, v.oid, 'MEMBER'))::text AS member,
  CASE WHEN v.oid IS NULL THEN 'does not exist'
       WHEN v.rolsuper THEN 'is a superuser'
       WHEN v.rolcanlogin THEN 'can log in'
       WHEN NOT v.rolbypassrls THEN 'is not BYPASSRLS'
       ELSE (SELECT 'is a member of ' || string_agg(p, ', ') FROM unnest(${unsafeFileRoles}) p WHERE pg_has_role(v.oid, p, 'MEMBER'))
  END AS viewer_problem,
  (SELECT string_agg(p, ', ') FROM unnest(ARRAY['${readRoles.join("', '")}']) p WHERE v.oid IS NULL OR NOT pg_has_role(v.oid, p, 'MEMBER')) AS missing_reads
FROM pg_roles u LEFT JOIN pg_roles v ON v.rolname = '${viewerRole}'
WHERE u.rolname = session_user`;

interface AuthenticatorFacts {
  readonly name: string;
  readonly superuser: string;
  readonly file_roles: string | null;
  readonly member: string;
  readonly viewer_problem: string | null;
  readonly missing_reads: string | null;
}

const text = (q: Sql) => render(q).text;

/** What a superuser runs to let viewers use SQL with the authenticator `name`. */
export const viewerFix = (name: string) =>
  `CREATE ROLE ${viewerRole} NOLOGIN BYPASSRLS; GRANT ${readRoles.join(', ')} TO ${viewerRole}; ${text(sql`GRANT ${ident(viewerRole)} TO ${ident(name)}`)};`;

/** Why viewer SQL must stay off whatever the admin does, or null. */
function unsafeAuthenticator(f: AuthenticatorFacts): string | null {
  const what = f.superuser === 'true' ? 'a superuser' : f.file_roles ? `a member of ${f.file_roles}` : null;
  return what && `viewer SQL is off: the db-uri role "${f.name}" is ${what}, and a viewer's RESET ROLE would land on it. Fix: connect db-uri as a non-superuser authenticator (pesquel init creates one)`;
}

const ready = (f: AuthenticatorFacts) => f.member === 'true' && f.viewer_problem === null && f.missing_reads === null;

/**
 * Creates or completes pesquel_viewer and grants it to `name`, on the admin's connection under the
 * lock PeSquel's internal migrations take (so instances starting together do it once).
 */
async function grantViewer(c: AdminConn, name: string): Promise<void> {
  await c.query('BEGIN');
  await c.query(`SELECT pg_advisory_xact_lock(hashtextextended('pesquel init', 0))`);
  const [v] = await c.rows<{ bypass: string; super: string; login: string }>(
    'SELECT rolbypassrls::text AS bypass, rolsuper::text AS super, rolcanlogin::text AS login FROM pg_roles WHERE rolname = $1', [viewerRole]);
  if (!v) await c.query(text(sql`CREATE ROLE ${ident(viewerRole)} NOLOGIN INHERIT BYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`));
  else if (v.super === 'true' || v.login === 'true') throw new Error(`role ${viewerRole} exists and ${v.super === 'true' ? 'is a superuser' : 'can log in'}: PeSquel will not use it`);
  else if (v.bypass !== 'true') await c.query(text(sql`ALTER ROLE ${ident(viewerRole)} BYPASSRLS`));
  for (const r of readRoles) {
    const [m] = await c.rows<{ ok: string }>(`SELECT pg_has_role($1, $2, 'MEMBER')::text AS ok`, [viewerRole, r]);
    if (m?.ok !== 'true') await c.query(text(sql`GRANT ${ident(r)} TO ${ident(viewerRole)}`));
  }
  const [m] = await c.rows<{ ok: string; v16: string }>(
    `SELECT pg_has_role($1, $2, 'MEMBER')::text AS ok, (current_setting('server_version_num')::int >= 160000)::text AS v16`, [name, viewerRole]);
  // PostgreSQL 16+ says per grant whether it is inherited: never, the authenticator only switches.
  if (m?.ok !== 'true') await c.query(text(sql`GRANT ${ident(viewerRole)} TO ${ident(name)}`) + (m?.v16 === 'true' ? ' WITH INHERIT FALSE' : ''));
  await c.query('COMMIT');
}

/**
 * null when the viewer's pool (`viewerDb`, logged in as the db-uri role) can switch to
 * pesquel_viewer, after creating and granting what is missing over `admin`; else one line saying
 * why not and what to run. Never throws.
 */
export async function prepareViewerRole(viewerDb: AdminDb, admin: AdminDb): Promise<string | null> {
  let f: AuthenticatorFacts | undefined;
  try {
    [f] = await viewerDb.use((c) => c.rows<AuthenticatorFacts>(authenticatorSql));
    if (!f) return 'viewer SQL is off: the db-uri role is not in pg_roles';
    const unsafe = unsafeAuthenticator(f);
    if (unsafe || ready(f)) return unsafe;
    const name = f.name;
    await admin.use((c) => grantViewer(c, name));
    [f] = await viewerDb.use((c) => c.rows<AuthenticatorFacts>(authenticatorSql));
    if (f && ready(f)) return null;
    throw new Error(f?.viewer_problem ? `role ${viewerRole} ${f.viewer_problem}` : `the grants did not take effect`);
  } catch (err) {
    const why = (err as Error).message.replace(/\s+/g, ' ');
    return `viewer SQL is off: PeSquel could not prepare role ${viewerRole} for the db-uri role (${why}). Fix: as a superuser run ${viewerFix(f?.name ?? 'authenticator')}`;
  }
}
