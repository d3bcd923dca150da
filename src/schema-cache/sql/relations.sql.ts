// Catalog query: relations of the exposed schemas ($1 text[]) with columns, keys, updatability,
// RLS and privileges of every role the connecting role may switch to. One row per relation.
export const relationsSql = /* sql */ `
WITH switchable AS (
  SELECT r.oid, r.rolname FROM pg_roles r
  WHERE pg_has_role(current_user, r.oid, 'MEMBER') OR r.rolname = current_user
)
SELECT
  n.nspname AS schema,
  c.relname AS name,
  c.relkind AS kind,
  obj_description(c.oid, 'pg_class') AS comment,
  c.relrowsecurity AS rls,
  CASE WHEN c.relkind IN ('r','p') THEN 28 ELSE pg_relation_is_updatable(c.oid::regclass, true) END AS updatable_mask,
  coalesce((
    SELECT json_agg(a.attname ORDER BY array_position(con.conkey, a.attnum))
    FROM pg_constraint con JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey)
    WHERE con.conrelid = c.oid AND con.contype = 'p'
  ), '[]') AS pk,
  coalesce((
    SELECT json_agg(json_build_object(
      'name', a.attname,
      'type', format_type(a.atttypid, a.atttypmod),
      'baseType', coalesce(bt.typname, t.typname),
      'category', coalesce(bt.typcategory, t.typcategory),
      'nullable', NOT a.attnotnull,
      'default', pg_get_expr(d.adbin, d.adrelid),
      'generated', a.attgenerated <> '' OR a.attidentity = 'a',
      'maxLength', CASE WHEN a.atttypmod > 4 AND coalesce(bt.typname, t.typname) IN ('varchar','bpchar') THEN a.atttypmod - 4 END,
      'enumValues', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = coalesce(bt.oid, t.oid)),
      'comment', col_description(c.oid, a.attnum),
      'position', a.attnum
    ) ORDER BY a.attnum)
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  ), '[]') AS columns,
  coalesce((
    SELECT json_object_agg(s.rolname, array_remove(ARRAY[
      CASE WHEN has_table_privilege(s.oid, c.oid, 'SELECT') THEN 'SELECT' END,
      CASE WHEN has_table_privilege(s.oid, c.oid, 'INSERT') THEN 'INSERT' END,
      CASE WHEN has_table_privilege(s.oid, c.oid, 'UPDATE') THEN 'UPDATE' END,
      CASE WHEN has_table_privilege(s.oid, c.oid, 'DELETE') THEN 'DELETE' END
    ], NULL))
    FROM switchable s
  ), '{}') AS privileges
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[])
  AND c.relkind IN ('r','v','m','f','p')
ORDER BY n.nspname, c.relname
`;
