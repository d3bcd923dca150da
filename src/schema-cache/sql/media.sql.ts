// Catalog queries for media types: the custom media-type handlers of the given schemas ($1 text[])
// (aggregates over a relation's row type or anyelement, and functions, that return a domain named
// after a media type), and where PostGIS's ST_AsGeoJSON lives (application/geo+json).
export const mediaHandlersSql = /* sql */ `
WITH media_types AS (
  SELECT t.oid, lower(t.typname) AS media_type,
    CASE t.typname WHEN '*/*' THEN 'application/octet-stream' ELSE lower(t.typname) END AS resolved_type,
    b.typname = 'bytea' AS binary
  FROM pg_type t
  JOIN pg_type b ON b.oid = t.typbasetype
  WHERE t.typtype = 'd' AND (t.typname ~* '^[A-Za-z0-9.-]+/[A-Za-z0-9.+-]+$' OR t.typname = '*/*')
)
SELECT 'aggregate' AS kind, pn.nspname AS schema, p.proname AS name,
  CASE WHEN at.typname = 'anyelement' THEN NULL ELSE an.nspname END AS target_schema,
  CASE WHEN at.typname = 'anyelement' THEN NULL ELSE ac.relname END AS target_name,
  mt.media_type, mt.resolved_type, mt.binary
FROM media_types mt
JOIN pg_proc p ON p.prorettype = mt.oid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
JOIN pg_type at ON at.oid = p.proargtypes[0]
JOIN pg_namespace an ON an.oid = at.typnamespace
LEFT JOIN pg_class ac ON ac.oid = at.typrelid
WHERE pn.nspname = ANY($1::text[]) AND p.pronargs = 1
  AND (at.typname = 'anyelement' OR ac.relkind IN ('r', 'v', 'm', 'f', 'p'))
UNION ALL
SELECT 'function', pn.nspname, p.proname, pn.nspname, p.proname, mt.media_type, mt.resolved_type, mt.binary
FROM media_types mt
JOIN pg_proc p ON p.prorettype = mt.oid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE pn.nspname = ANY($1::text[]) AND NOT p.proretset AND p.prokind = 'f'
ORDER BY 1, 2, 3
`;

export const postgisSql = /* sql */ `
SELECT n.nspname AS schema
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = 'st_asgeojson' AND p.pronargs >= 1 AND p.proargtypes[0] = 'record'::regtype
ORDER BY n.nspname = 'public' DESC, n.nspname
LIMIT 1
`;
