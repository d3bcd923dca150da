// Catalog query: functions of the exposed schemas ($1 text[]) with arguments, return shape,
// volatility, SET settings and which switchable roles may execute them.
import { switchableRolesSql } from './roles.sql.js';

export const functionsSql = /* sql */ `
WITH switchable AS (${switchableRolesSql})
SELECT
  n.nspname AS schema,
  p.proname AS name,
  p.oid::int8 AS oid,
  p.provolatile AS volatility,
  p.proretset AS returns_set,
  p.prorows AS rows,
  format_type(p.prorettype, NULL) AS return_type,
  rt.typtype AS return_typtype,
  rt.typname AS return_typname,
  -- A domain's base type (a domain over a composite returns objects, as PostgREST does).
  coalesce(rbt.typtype, rt.typtype) AS return_base_typtype,
  -- OUT, INOUT or TABLE parameters: the result has named columns (PostgREST's rettype_is_composite).
  coalesce(p.proargmodes::text[] && '{t,b,o}', false) AS has_out_args,
  rn.nspname AS return_schema,
  rc.relname AS return_relation,
  rc.relkind AS return_relkind,
  obj_description(p.oid, 'pg_proc') AS comment,
  coalesce(p.proconfig, '{}') AS config,
  p.pronargs AS nargs,
  p.pronargdefaults AS nargdefaults,
  p.provariadic <> 0 AS variadic,
  coalesce(p.proargnames, '{}') AS argnames,
  coalesce(p.proargmodes::text[], '{}') AS argmodes,
  (SELECT coalesce(json_agg(json_build_object('type', format_type(t.oid, NULL), 'base', coalesce(bt.typname, t.typname),
            'typeSchema', tn.nspname, 'typeName', t.typname) ORDER BY ord), '[]')
     FROM unnest(p.proargtypes) WITH ORDINALITY AS a(typ, ord)
     JOIN pg_type t ON t.oid = a.typ
     JOIN pg_namespace tn ON tn.oid = t.typnamespace
     LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype) AS argtypes,
  (SELECT coalesce(json_agg(s.rolname), '[]') FROM switchable s WHERE has_function_privilege(s.oid, p.oid, 'EXECUTE')) AS executable_by
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_type rt ON rt.oid = p.prorettype
LEFT JOIN pg_type rbt ON rt.typtype = 'd' AND rbt.oid = rt.typbasetype
LEFT JOIN pg_class rc ON rc.oid = CASE WHEN rt.typtype = 'd' THEN rbt.typrelid ELSE rt.typrelid END
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE n.nspname = ANY($1::text[])
  AND p.prokind = 'f'
ORDER BY n.nspname, p.proname, p.oid
`;
