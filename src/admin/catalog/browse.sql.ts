// Catalog queries for the object browser's tree: schemas, the objects of one schema, extensions.
export const schemasSql = /* sql */ `
SELECT n.oid::int AS oid, n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner,
  (n.nspname IN ('pg_catalog', 'information_schema') OR n.nspname LIKE 'pg\\_%') AS system,
  (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r','p','v','m','f','S'))::int AS relations
FROM pg_namespace n
WHERE n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
ORDER BY system, n.nspname`;

/** $1: schema name. Relations and routines, one row each. */
export const objectsSql = /* sql */ `
SELECT c.oid::int AS oid, c.relname AS name,
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview'
    WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign_table' END AS kind,
  NULL AS signature, obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r','p','v','m','S','f') AND NOT c.relispartition
UNION ALL
SELECT p.oid::int, p.proname, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
  pg_get_function_identity_arguments(p.oid), obj_description(p.oid, 'pg_proc')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.prokind IN ('f','p','a')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
ORDER BY 3, 2, 4`;

export const extensionsSql = /* sql */ `
SELECT a.name, a.default_version, e.extversion AS installed_version, n.nspname AS schema, a.comment
FROM pg_available_extensions a
LEFT JOIN pg_extension e ON e.extname = a.name
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY (e.extname IS NULL), a.name`;

/** For the SQL editor's completion: every user relation with its columns. */
export const completionSql = /* sql */ `
SELECT n.nspname AS schema, c.relname AS name,
  coalesce((SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]')::text AS columns
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','v','m','f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
ORDER BY 1, 2`;
