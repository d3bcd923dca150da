// The data CTEs of a nested insert: one per level, the level's objects read from the body with a
// stable ordinal `i`, their parent's ordinal `p`, whether they connect (`c`) and their JSON `v` with
// the key columns other levels read already set — generated here, before any INSERT.
// Example (order_lines under orders, orders.id from its sequence):
//   pgrst_d0 AS MATERIALIZED (SELECT n.i, n.p, n.c, n.v || jsonb_build_object('id', CASE WHEN n.v ? 'id'
//     THEN n.v -> 'id' ELSE to_jsonb((nextval('orders_id_seq'::regclass))) END) AS v FROM (SELECT e.i, …
//     FROM jsonb_array_elements((SELECT v FROM pgrst_payload)::jsonb) WITH ORDINALITY AS pgrst_e(v, i)) AS n)
//   pgrst_d1 AS MATERIALIZED (SELECT … row_number() OVER (ORDER BY pgrst_p.i, pgrst_e.i) AS i, pgrst_p.i AS p,
//     false AS c, pgrst_e.v || jsonb_build_object('order_id', pgrst_p.v -> 'id') AS v FROM pgrst_d0 AS pgrst_p,
//     jsonb_array_elements(CASE jsonb_typeof(pgrst_p.v -> 'order_lines') WHEN 'array' THEN … END) WITH ORDINALITY …)
import type { NestedLevel } from '../plan/nested-insert-types.js';
import type { ColumnDefault } from '../plan/types.js';
import { empty, join, param, sql, unsafeRaw, type Sql } from './sql.js';

/** The fixed CTE name of a level's data (`d`), insert (`i`), junction insert (`j`). */
export const cteName = (prefix: 'd' | 'i' | 'j' | 'u', id: number) => unsafeRaw(`pgrst_${prefix}${id}`);

const text = (s: string) => sql`${param(s)}::text`;
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A column's default as SQL: the catalog's expression, or the next value of its identity sequence. */
export function defaultSql(level: Pick<NestedLevel, 'schema' | 'name'>, d: ColumnDefault): Sql {
  // pg_get_expr's text: SQL the database gave, not the client.
  if (d.kind === 'expression') return sql`(${unsafeRaw(d.sql)})`;
  return sql`nextval(pg_get_serial_sequence(${param(`${quoteIdent(level.schema)}.${quoteIdent(level.name)}`)}, ${param(d.column)}))`;
}

/** True for an object holding exactly the connect key (the primary key). */
function connectSql(level: NestedLevel, v: Sql): Sql {
  const k = level.connectKey;
  if (k.length === 0) return sql`false`;
  const keys = join(k.map(text));
  return sql`((SELECT pg_catalog.count(*) FROM jsonb_object_keys(${v})) = ${unsafeRaw(String(k.length))} AND ${v} ?& ARRAY[${keys}])`;
}

/** `jsonb_build_object(k1, e1, …)` of [key, expression] pairs ('{}' for none). */
export function jsonbObject(entries: ReadonlyArray<readonly [string, Sql]>): Sql {
  if (entries.length === 0) return sql`'{}'::jsonb`;
  return sql`jsonb_build_object(${join(entries.map(([k, e]) => sql`${text(k)}, ${e}`))})`;
}

/** The level's rows as the parent's objects hold them. */
function navigationSql(level: NestedLevel): Sql {
  if (level.parent === null) {
    return sql`SELECT pgrst_e.i, NULL::bigint AS p, false AS c, pgrst_e.v FROM jsonb_array_elements((SELECT v FROM pgrst_payload)::jsonb) WITH ORDINALITY AS pgrst_e(v, i)`;
  }
  const parent = sql`${cteName('d', level.parent)} AS pgrst_p`;
  const held = sql`pgrst_p.v -> ${text(level.key ?? '')}`;
  if (level.kind === 'one') {
    return sql`SELECT row_number() OVER (ORDER BY pgrst_p.i) AS i, pgrst_p.i AS p, ${connectSql(level, held)} AS c, ${held} AS v FROM ${parent} WHERE jsonb_typeof(${held}) = 'object'`;
  }
  const elements = sql`jsonb_array_elements(CASE jsonb_typeof(${held}) WHEN 'array' THEN ${held} WHEN 'object' THEN jsonb_build_array(${held}) ELSE '[]'::jsonb END) WITH ORDINALITY AS pgrst_e(v, i)`;
  // To-many children take their foreign key from the parent row (whose keys are set already).
  const fk = level.kind === 'many' ? sql` || ${jsonbObject(level.pairs.map(([p, c]) => [c, sql`pgrst_p.v -> ${text(p)}`]))}` : empty;
  return sql`SELECT row_number() OVER (ORDER BY pgrst_p.i, pgrst_e.i) AS i, pgrst_p.i AS p, ${connectSql(level, sql`pgrst_e.v`)} AS c, pgrst_e.v${fk} AS v FROM ${parent}, ${elements}`;
}

/**
 * The level's data CTE. MATERIALIZED: generated keys are drawn once per row, and every INSERT and
 * child level reads the same values (the correlation never depends on RETURNING's order).
 */
export function dataCte(level: NestedLevel): Sql {
  const generated = level.fill.filter((f) => f.default !== null).map((f): [string, Sql] =>
    [f.column, sql`CASE WHEN n.v ? ${text(f.column)} THEN n.v -> ${text(f.column)} ELSE to_jsonb(${defaultSql(level, f.default as ColumnDefault)}) END`]);
  const v = generated.length === 0 ? sql`n.v` : sql`n.v || ${jsonbObject(generated)}`;
  return sql`${cteName('d', level.id)} AS MATERIALIZED (SELECT n.i, n.p, n.c, ${v} AS v FROM (${navigationSql(level)}) AS n)`;
}
