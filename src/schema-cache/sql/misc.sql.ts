// Catalog queries: foreign keys touching the exposed schemas, switchable roles with their
// settings, the server version and the time zone names (for Prefer: timezone).
export const foreignKeysSql = /* sql */ `
SELECT
  con.conname AS name,
  ns.nspname AS schema, cs.relname AS table,
  (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) AS columns,
  nr.nspname AS ref_schema, cr.relname AS ref_table,
  (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num) AS ref_columns
FROM pg_constraint con
JOIN pg_class cs ON cs.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = cs.relnamespace
JOIN pg_class cr ON cr.oid = con.confrelid JOIN pg_namespace nr ON nr.oid = cr.relnamespace
-- A partition's copies of its parent's FKs (and those to a partition of a referenced partitioned
-- table) have a parent constraint: only the partitioned tables are related (as PostgREST).
WHERE con.contype = 'f' AND con.conparentid = 0 AND NOT cs.relispartition AND NOT cr.relispartition
ORDER BY ns.nspname, cs.relname, con.conname
`;

export const rolesSql = /* sql */ `
SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
  coalesce((SELECT s.setconfig FROM pg_db_role_setting s
            WHERE s.setrole = r.oid AND s.setdatabase = 0), '{}') AS settings,
  coalesce((SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
            WHERE s.setrole = r.oid AND d.datname = current_database()), '{}') AS db_settings
FROM pg_roles r
WHERE pg_has_role(current_user, r.oid, 'MEMBER') OR r.rolname = current_user
`;

export const serverSql = /* sql */ `
SELECT current_setting('server_version_num')::int AS version,
  (SELECT json_agg(name) FROM pg_timezone_names) AS timezones
`;
