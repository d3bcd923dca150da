// Catalog queries for roles and security: roles with their attributes and memberships, and each
// table of a schema with its RLS switches and policy count.
export const rolesSql = /* sql */ `
SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolcanlogin AS login, r.rolinherit AS inherit,
  r.rolcreaterole AS createrole, r.rolcreatedb AS createdb, r.rolbypassrls AS bypassrls,
  coalesce((SELECT json_agg(g.rolname ORDER BY g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
            WHERE m.member = r.oid), '[]')::text AS member_of
FROM pg_roles r WHERE r.rolname NOT LIKE 'pg\\_%' ORDER BY r.rolname`;

/** $1: schema. */
export const rlsTablesSql = /* sql */ `
SELECT c.oid::int AS oid, c.relname AS name, c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
  (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)::int AS policies
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r','p') ORDER BY c.relname`;
