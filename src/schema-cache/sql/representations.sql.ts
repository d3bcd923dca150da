// Catalog query for data representations (PostgREST's domain representations): columns of the
// given schemas' relations ($1 text[]) — and computed fields `fn(relation)` of those schemas —
// whose type is a domain with implicit function casts to json (output), from json (request
// bodies) or from text (filter values).
export const representationsSql = /* sql */ `
WITH reps AS (
  SELECT c.castsource AS source, c.casttarget AS target, json_build_object('schema', pn.nspname, 'name', p.proname) AS fn
  FROM pg_cast c
  JOIN pg_proc p ON p.oid = c.castfunc
  JOIN pg_namespace pn ON pn.oid = p.pronamespace
  JOIN pg_type st ON st.oid = c.castsource
  JOIN pg_type tt ON tt.oid = c.casttarget
  WHERE c.castmethod = 'f' AND c.castcontext = 'i'
    AND ((st.typtype = 'd' AND c.casttarget IN ('json'::regtype::oid, 'text'::regtype::oid))
      OR (tt.typtype = 'd' AND c.castsource IN ('json'::regtype::oid, 'text'::regtype::oid)))
),
fields AS (
  SELECT n.nspname AS schema, cl.relname AS table, a.attname AS column, a.atttypid AS type, a.attnum AS ord
  FROM pg_attribute a
  JOIN pg_class cl ON cl.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = cl.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped
    AND cl.relkind IN ('r', 'v', 'm', 'f', 'p')
  UNION ALL
  SELECT n.nspname, cl.relname, p.proname, p.prorettype, 100000
  FROM pg_proc p
  JOIN pg_namespace pn ON pn.oid = p.pronamespace
  JOIN pg_class cl ON cl.reltype = p.proargtypes[0]
  JOIN pg_namespace n ON n.oid = cl.relnamespace
  WHERE pn.nspname = ANY($1::text[]) AND p.pronargs = 1 AND NOT p.proretset AND p.prokind = 'f'
    AND cl.relkind IN ('r', 'v', 'm', 'f', 'p')
)
SELECT f.schema, f.table, f.column,
  (SELECT r.fn FROM reps r WHERE r.source = f.type AND r.target = 'json'::regtype::oid LIMIT 1) AS to_json,
  (SELECT r.fn FROM reps r WHERE r.target = f.type AND r.source = 'json'::regtype::oid LIMIT 1) AS from_json,
  (SELECT r.fn FROM reps r WHERE r.target = f.type AND r.source = 'text'::regtype::oid LIMIT 1) AS from_text
FROM fields f
WHERE f.type IN (SELECT source FROM reps UNION SELECT target FROM reps)
ORDER BY f.schema, f.table, f.ord, f.column
`;
