// Catalog queries for relationships: PK/UNIQUE keys of every user table (one-to-one detection,
// junction tables in any schema) and computed relationships of the exposed schemas ($1 text[]).
export const uniqueKeysSql = /* sql */ `
SELECT n.nspname AS schema, c.relname AS table, con.contype = 'p' AS "primary",
  (SELECT json_agg(a.attname ORDER BY a.attname) FROM unnest(con.conkey) AS k(num)
     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) AS columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'u') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
`;

/** Functions `fn(parent_row) RETURNS [SETOF] target_row`: to-one unless a set with ROWS <> 1. */
export const computedRelationshipsSql = /* sql */ `
SELECT pn.nspname AS schema, p.proname AS name,
  an.nspname AS parent_schema, ac.relname AS parent_name,
  rn.nspname AS target_schema, rc.relname AS target_name,
  (NOT p.proretset OR p.prorows = 1) AS to_one
FROM pg_proc p
JOIN pg_namespace pn ON pn.oid = p.pronamespace
JOIN pg_type at ON at.oid = p.proargtypes[0]
JOIN pg_class ac ON ac.oid = at.typrelid
JOIN pg_namespace an ON an.oid = ac.relnamespace
JOIN pg_type rt0 ON rt0.oid = p.prorettype
-- A domain over a table's row type embeds like the table.
JOIN pg_type rt ON rt.oid = CASE WHEN rt0.typtype = 'd' THEN rt0.typbasetype ELSE rt0.oid END
JOIN pg_class rc ON rc.oid = rt.typrelid
JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE pn.nspname = ANY($1::text[])
  AND p.prokind = 'f' AND p.pronargs = 1
  AND ac.relkind IN ('r', 'v', 'm', 'f', 'p') AND rc.relkind IN ('r', 'v', 'm', 'f', 'p')
ORDER BY pn.nspname, p.proname, p.oid
`;
