// Data representations in request bodies: the values of columns whose domain has a json → domain
// cast go through it before the body is read into rows, so the rest of the write is unchanged.
// Example: parsers [color → api.color_from_json], body [{"color":"#ff0000"}] →
//   (SELECT coalesce(json_agg((pgrst_el.j || (SELECT coalesce(jsonb_object_agg(k, val), '{}') FROM
//     (VALUES ('color', CASE WHEN jsonb_typeof(pgrst_el.j -> 'color') = 'null' THEN 'null'::jsonb
//       ELSE to_jsonb("api"."color_from_json"((pgrst_el.j -> 'color')::json)) END)) AS x(k, val)
//     WHERE pgrst_el.j ? k))::json ORDER BY pgrst_el.i), '[]') FROM jsonb_array_elements($1::jsonb) …)
import type { MediaName } from '../plan/types.js';
import { join, param, qualified, sql, type Sql, type SqlValue } from './sql.js';

/**
 * The body as json, each row's represented keys (when present) replaced by their parsed value; keys
 * of represented columns the write does not take (fn null) are dropped unread.
 */
export function parsedPayloadSql(body: SqlValue, parsers: ReadonlyArray<readonly [string, MediaName | null]>): Sql {
  const parsed = parsers.filter((p): p is readonly [string, MediaName] => p[1] !== null);
  const dropped = parsers.filter(([, fn]) => fn === null).map(([column]) => sql` - ${param(column)}::text`);
  if (parsed.length === 0 && dropped.length === 0) return sql`${body}::json`;
  const el = sql`pgrst_el.j`;
  const row = sql`(${el}${join(dropped, '')})`;
  if (parsed.length === 0) return sql`(SELECT coalesce(json_agg(${row}::json ORDER BY pgrst_el.i), '[]') FROM jsonb_array_elements(${body}::jsonb) WITH ORDINALITY AS pgrst_el(j, i))`;
  const values = join(parsed.map(([column, fn]) => {
    const key = param(column);
    const value = sql`${el} -> ${key}::text`;
    return sql`(${key}::text, CASE WHEN jsonb_typeof(${value}) = 'null' THEN 'null'::jsonb ELSE to_jsonb(${qualified(fn.schema, fn.name)}((${value})::json)) END)`;
  }));
  const replaced = sql`(SELECT coalesce(jsonb_object_agg(pgrst_x.k, pgrst_x.val), '{}') FROM (VALUES ${values}) AS pgrst_x(k, val) WHERE ${el} ? pgrst_x.k)`;
  return sql`(SELECT coalesce(json_agg((${row} || ${replaced})::json ORDER BY pgrst_el.i), '[]') FROM jsonb_array_elements(${body}::jsonb) WITH ORDINALITY AS pgrst_el(j, i))`;
}
