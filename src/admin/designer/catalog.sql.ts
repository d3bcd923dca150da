// Catalog queries that read an existing table back into the designer's description: its oid and
// RLS switch ($1 schema, $2 name), then by oid its columns, constraints and stand-alone indexes.
export const tableOidSql = /* sql */ `
SELECT c.oid::int AS oid, c.relrowsecurity AS rls FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`;

/** Types named as the picker names them: pg_catalog's by format_type, others as schema.name. */
export const designerColumnsSql = /* sql */ `
SELECT a.attname AS name,
  CASE WHEN en.nspname = 'pg_catalog' THEN format_type(a.atttypid, a.atttypmod)
    ELSE en.nspname || '.' || e.typname || CASE WHEN t.typcategory = 'A' THEN '[]' ELSE '' END END AS type,
  a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS expression,
  nullif(a.attidentity, '') AS identity, nullif(a.attgenerated, '') AS generated
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type e ON e.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
JOIN pg_namespace en ON en.oid = e.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

const names = (arr: string, rel: string) => `(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(${arr}) WITH ORDINALITY k(num, ord)
    JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.num)::text`;

export const designerConstraintsSql = /* sql */ `
SELECT con.conname AS name, con.contype AS type, ${names('con.conkey', 'con.conrelid')} AS columns,
  fn.nspname AS ref_schema, fc.relname AS ref_table, ${names('con.confkey', 'con.confrelid')} AS ref_columns,
  con.confdeltype AS on_delete, con.confupdtype AS on_update,
  CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END AS expression
FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.conrelid = $1::oid AND con.contype IN ('p', 'u', 'c', 'f')
ORDER BY con.conname`;

/** Indexes that no constraint owns; columns only for plain ones (no expressions, predicate or INCLUDE). */
export const designerIndexesSql = /* sql */ `
SELECT ic.relname AS name, i.indisunique AS unique, am.amname AS method,
  CASE WHEN i.indexprs IS NULL AND i.indpred IS NULL AND i.indnatts = i.indnkeyatts THEN ${names('i.indkey', 'i.indrelid')} END AS columns,
  pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = $1::oid
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid)
ORDER BY ic.relname`;
