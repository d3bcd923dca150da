// Compiles a nested insert into one statement: the body's levels as data CTEs (keys generated
// first), one INSERT per level and per junction as data-modifying CTEs, and the representation
// read from the root's RETURNING rows with embeds that see the new related rows.
// Example: POST /orders?select=id,order_lines(sku) {"title":"o","order_lines":[{"sku":"a"}]} →
//   WITH pgrst_payload AS (…), pgrst_d0 AS MATERIALIZED (…), pgrst_d1 AS MATERIALIZED (…),
//   pgrst_i0 AS (INSERT INTO "api"."orders" AS "orders" ("title", "id") SELECT pgrst_new."title", pgrst_new."id"
//     FROM pgrst_d0 AS pgrst_d, jsonb_populate_record(NULL::"api"."orders", pgrst_d.v) AS pgrst_new
//     WHERE NOT pgrst_d.c ORDER BY pgrst_d.i RETURNING "orders".*),
//   pgrst_i1 AS (INSERT INTO "api"."order_lines" … RETURNING "order_lines".*),
//   pgrst_mutation AS (SELECT * FROM pgrst_i0),
//   pgrst_u1 AS (SELECT * FROM "api"."order_lines" UNION ALL SELECT * FROM pgrst_i1), pgrst_source AS (…) SELECT …
// Foreign keys are checked when the statement ends, so the order the CTEs run in does not matter.
import type { NestedInsert, NestedLevel } from '../plan/nested-insert-types.js';
import type { WritePlan } from '../plan/types.js';
import { cteName, dataCte, defaultSql, jsonbObject } from './nested-insert-data.js';
import { newRowsRepresentation } from './nested-insert-read.js';
import { parsedPayloadSql } from './representations.js';
import { empty, ident, join, param, qualified, sql, unsafeRaw, type Sql, type SqlValue } from './sql.js';
import { responseSettings } from './statement.js';
import { resultBodySql, sourceSql } from './write.js';

const text = (s: string) => sql`${param(s)}::text`;
const row = unsafeRaw('_postgrest_t');

/** Every column a level's INSERT writes: its own keys, generated keys and foreign keys, once each. */
function insertColumns(level: NestedLevel, toOne: readonly NestedLevel[]): string[] {
  const out = new Set(level.columns);
  for (const f of level.fill) out.add(f.column);
  if (level.kind === 'many') for (const [, c] of level.pairs) out.add(c);
  for (const t of toOne) for (const [p] of t.pairs) out.add(p);
  return [...out];
}

function returningSql(plan: WritePlan, level: NestedLevel): Sql {
  const alias = ident(level.name);
  if (level.id > 0) return level.returning ? sql` RETURNING ${alias}.*` : empty;
  // Only the columns the representation reads (a role may lack SELECT on others), unless an embed
  // also reads the new rows of this table (they are unioned with the table's rows: every column).
  if (plan.representation !== null) {
    const cols = plan.returnColumns ?? null;
    return cols === null || level.returning ? sql` RETURNING ${alias}.*` : sql` RETURNING ${join(cols.map((c) => sql`${alias}.${ident(c)}`))}`;
  }
  if (plan.returning === 'pk') return sql` RETURNING ${join(plan.primaryKey.map((c) => sql`${alias}.${ident(c)}`))}`;
  return sql` RETURNING 1 AS pgrst_one`;
}

function insertCte(plan: WritePlan, level: NestedLevel, levels: readonly NestedLevel[]): Sql {
  const target = qualified(level.schema, level.name);
  const toOne = levels.filter((l) => l.parent === level.id && l.kind === 'one');
  // A to-one child was inserted (or connected) for this row: its key goes into the foreign key.
  const joins = toOne.map((t) => sql` LEFT JOIN ${cteName('d', t.id)} AS ${unsafeRaw(`pgrst_t${t.id}`)} ON ${unsafeRaw(`pgrst_t${t.id}`)}.p = pgrst_d.i`);
  const overlays = toOne.map((t) => {
    const fk = jsonbObject(t.pairs.map(([p, c]) => [p, sql`${unsafeRaw(`pgrst_t${t.id}`)}.v -> ${text(c)}`]));
    return sql` || CASE WHEN pgrst_d.v ? ${text(t.key ?? '')} THEN ${fk} ELSE '{}'::jsonb END`;
  });
  const columns = insertColumns(level, toOne);
  const values = join(columns.map((c) => {
    const value = sql`pgrst_new.${ident(c)}`;
    const i = level.columns.indexOf(c);
    if (level.defaults === null || i < 0 || level.fill.some((f) => f.column === c)) return value;
    const d = level.defaults[i] ?? null;
    return sql`CASE WHEN pgrst_d.v ? ${text(c)} THEN ${value} ELSE ${d === null ? sql`NULL` : defaultSql(level, d)} END`;
  }));
  const from = sql`${cteName('d', level.id)} AS pgrst_d${join(joins, '')}, jsonb_populate_record(NULL::${target}, pgrst_d.v${join(overlays, '')}) AS pgrst_new`;
  const cols = columns.length === 0 ? empty : sql` (${join(columns.map((c) => ident(c)))})`;
  const overriding = level.overriding ? sql` OVERRIDING SYSTEM VALUE` : empty;
  const select = columns.length === 0 ? sql`SELECT FROM` : sql`SELECT ${values} FROM`;
  return sql`${cteName('i', level.id)} AS (INSERT INTO ${target} AS ${ident(level.name)}${cols}${overriding} ${select} ${from} WHERE NOT pgrst_d.c ORDER BY pgrst_d.i${returningSql(plan, level)})`;
}

/** The junction rows of a many-to-many level: one per (parent row, row of the level). */
function junctionCte(level: NestedLevel): Sql {
  const j = level.junction;
  if (j === null || level.parent === null) return empty;
  const target = qualified(j.schema, j.name);
  const entries: Array<readonly [string, Sql]> = [
    ...j.parentPairs.map(([p, jc]) => [jc, sql`pgrst_p.v -> ${text(p)}`] as const),
    ...j.childPairs.map(([jc, c]) => [jc, sql`pgrst_d.v -> ${text(c)}`] as const),
  ];
  const columns = join(entries.map(([c]) => ident(c)));
  const values = join(entries.map(([c]) => sql`pgrst_new.${ident(c)}`));
  const returning = level.returning ? sql` RETURNING ${ident(j.name)}.*` : empty;
  return sql`${cteName('j', level.id)} AS (INSERT INTO ${target} AS ${ident(j.name)} (${columns}) SELECT ${values} FROM ${cteName('d', level.id)} AS pgrst_d JOIN ${cteName('d', level.parent)} AS pgrst_p ON pgrst_p.i = pgrst_d.p, jsonb_populate_record(NULL::${target}, ${jsonbObject(entries)}) AS pgrst_new ORDER BY pgrst_d.i${returning})`;
}

/** The whole statement; `body` as in writeStatement (a value or a slot). */
export function nestedInsertStatement(plan: WritePlan, nested: NestedInsert, body: SqlValue): Sql {
  const levels = nested.levels;
  const ctes: Sql[] = [sql`pgrst_payload AS (SELECT ${parsedPayloadSql(body, plan.parsers ?? [])} AS v)`];
  for (const l of levels) ctes.push(dataCte(l));
  for (const l of levels) {
    ctes.push(insertCte(plan, l, levels));
    if (l.kind === 'm2m') ctes.push(junctionCte(l));
  }
  ctes.push(sql`pgrst_mutation AS (SELECT * FROM pgrst_i0)`);
  const read = newRowsRepresentation(plan.representation, levels);
  ctes.push(...read.ctes);
  ctes.push(sql`pgrst_source AS (${sourceSql({ ...plan, representation: read.node })})`);
  return sql`WITH ${join(ctes)} SELECT (SELECT pg_catalog.count(*) FROM pgrst_mutation) AS affected, pg_catalog.count(${row}) AS page_total, ${resultBodySql(plan)} AS body, ${responseSettings}, NULL::bigint AS inserted FROM (SELECT * FROM pgrst_source) ${row}`;
}
