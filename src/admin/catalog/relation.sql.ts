// Catalog queries for one relation (by oid, $1): what it is, its columns, constraints, indexes,
// triggers, policies and grants; pg_get_*def() gives each piece's DDL exactly as PostgreSQL would.
export const relationSql = /* sql */ `
SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS relkind,
  pg_get_userbyid(c.relowner) AS owner, obj_description(c.oid, 'pg_class') AS comment,
  c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
  greatest(c.reltuples, 0)::bigint AS estimated_rows,
  pg_size_pretty(pg_total_relation_size(c.oid)) AS total_size,
  CASE WHEN c.relkind IN ('v','m') THEN pg_get_viewdef(c.oid, true) END AS view_definition,
  coalesce((SELECT json_agg(a.attname ORDER BY k.ord) FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(num, ord)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num
            WHERE i.indrelid = c.oid AND i.indisprimary), '[]')::text AS primary_key
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = $1::oid`;

export const columnsSql = /* sql */ `
SELECT a.attnum::int AS position, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
  a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
  nullif(a.attidentity, '') AS identity, nullif(a.attgenerated, '') AS generated,
  col_description(a.attrelid, a.attnum) AS comment
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

export const constraintsSql = /* sql */ `
SELECT con.conname AS name,
  CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
    WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' WHEN 'n' THEN 'not null' ELSE con.contype::text END AS type,
  pg_get_constraintdef(con.oid, true) AS definition
FROM pg_constraint con WHERE con.conrelid = $1::oid AND con.contype <> 'n'
ORDER BY con.contype = 'p' DESC, con.conname`;

export const indexesSql = /* sql */ `
SELECT ic.relname AS name, i.indisprimary AS primary, i.indisunique AS unique,
  pg_get_indexdef(i.indexrelid) AS definition, pg_size_pretty(pg_relation_size(i.indexrelid)) AS size,
  EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid) AS from_constraint
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = $1::oid ORDER BY i.indisprimary DESC, ic.relname`;

export const triggersSql = /* sql */ `
SELECT t.tgname AS name, pg_get_triggerdef(t.oid, true) AS definition,
  CASE t.tgenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' ELSE 'enabled' END AS enabled
FROM pg_trigger t WHERE t.tgrelid = $1::oid AND NOT t.tgisinternal ORDER BY t.tgname`;

export const policiesSql = /* sql */ `
SELECT p.polname AS name,
  CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
  p.polpermissive AS permissive,
  CASE WHEN p.polroles = '{0}' THEN '["public"]' ELSE
    (SELECT json_agg(r.rolname ORDER BY r.rolname) FROM pg_roles r WHERE r.oid = ANY (p.polroles))::text END AS roles,
  pg_get_expr(p.polqual, p.polrelid, true) AS using, pg_get_expr(p.polwithcheck, p.polrelid, true) AS check
FROM pg_policy p WHERE p.polrelid = $1::oid ORDER BY p.polname`;

export const grantsSql = /* sql */ `
SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee,
  string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS privileges,
  pg_get_userbyid(a.grantor) AS grantor
FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
WHERE c.oid = $1::oid GROUP BY 1, 3 ORDER BY 1`;

export const sequenceSql = /* sql */ `
SELECT s.data_type::text AS type, s.start_value, s.min_value, s.max_value, s.increment_by, s.cycle, s.cache_size, s.last_value
FROM pg_sequences s WHERE (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass = $1::oid`;

export const functionSql = /* sql */ `
SELECT p.oid::int AS oid, n.nspname AS schema, p.proname AS name, pg_get_function_arguments(p.oid) AS arguments,
  pg_get_function_result(p.oid) AS result, l.lanname AS language, p.provolatile AS volatility, p.prosecdef AS security_definer,
  obj_description(p.oid, 'pg_proc') AS comment, pg_get_userbyid(p.proowner) AS owner,
  CASE WHEN p.prokind = 'a' THEN NULL ELSE pg_get_functiondef(p.oid) END AS definition
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE p.oid = $1::oid`;
