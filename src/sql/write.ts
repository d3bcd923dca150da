// Compiles a WritePlan into one statement: the body parsed once, the mutation(s) as CTEs, the
// representation read from their RETURNING rows, and one result row with counts and the body.
// Example: POST /todos (body [{"title":"a"}], return=representation) →
//   WITH pgrst_payload AS (SELECT $1::json AS v),
//   pgrst_w1 AS (INSERT INTO "api"."todos" AS "todos" ("title") SELECT pgrst_new."title"
//     FROM json_populate_recordset(NULL::"api"."todos", (SELECT v FROM pgrst_payload)) AS pgrst_new RETURNING "todos".*),
//   pgrst_mutation AS (SELECT * FROM pgrst_w1),
//   pgrst_source AS (SELECT "todos".* FROM "pgrst_mutation" AS "todos")
//   SELECT (SELECT pg_catalog.count(*) FROM pgrst_mutation) AS affected, … body … FROM (SELECT * FROM pgrst_source) _postgrest_t
import type { ColumnDefault, Mutation, WritePlan } from '../plan/types.js';
import { whereSql } from './expr.js';
import { nestedInsertStatement } from './nested-insert.js';
import { readNodeSql } from './read.js';
import { parsedPayloadSql } from './representations.js';
import { bodySql, responseSettings } from './statement.js';
import { empty, ident, join, param, qualified, sql, unsafeRaw, type Sql, type SqlValue } from './sql.js';

const payload = sql`(SELECT v FROM pgrst_payload)`;

/**
 * Run before a write whose transaction is rolled back (tx=rollback, db-tx-end=rollback*): deferred
 * constraints are then checked when the write's statement ends, so a violation still answers 409
 * (PostgREST runs it before its rollback; a table write is one statement, so the checks are the same).
 */
export const checkDeferredConstraints = unsafeRaw('SET CONSTRAINTS ALL IMMEDIATE');
const row = unsafeRaw('_postgrest_t');

/**
 * Whether an upserted row was inserted: `xmax = 0`; on a partitioned table (no system columns in its
 * RETURNING) or under column privileges, whether its conflict key was absent before the statement (a
 * subquery in RETURNING sees the statement's snapshot, not its own changes).
 */
function insertedSql(plan: WritePlan): Sql {
  const alias = ident(plan.name);
  const m = plan.mutation;
  // Also when the representation names its columns: reading xmax needs SELECT on the whole table.
  const snapshot = plan.insertedBySnapshot === true || namedReturnColumns(plan) !== null;
  if (!snapshot || m.kind !== 'insert' || m.onConflict === null || m.onConflict.columns.length === 0) return sql`(${alias}.xmax = 0)`;
  const same = join(m.onConflict.columns.map((c) => sql`pgrst_old.${ident(c)} = ${alias}.${ident(c)}`), ' AND ');
  return sql`(NOT EXISTS (SELECT 1 FROM ${qualified(plan.schema, plan.name)} AS pgrst_old WHERE ${same}))`;
}

/** The columns an upsert's representation reads, when it names them (column privileges); else null. */
function namedReturnColumns(plan: WritePlan): readonly string[] | null {
  return plan.returning === 'all' && plan.returnColumns ? plan.returnColumns : null;
}

function returningSql(plan: WritePlan): Sql {
  const alias = ident(plan.name);
  if (plan.detectInserted) {
    const cols = namedReturnColumns(plan);
    const row = cols === null ? sql`${alias} AS pgrst_row` : join(cols.map((c) => sql`${alias}.${ident(c)}`));
    return sql`${row}, ${insertedSql(plan)} AS pgrst_inserted`;
  }
  switch (plan.returning) {
    // Only the columns the representation reads: a role may lack SELECT on the others.
    case 'all': return plan.returnColumns ? join(plan.returnColumns.map((c) => sql`${alias}.${ident(c)}`)) : sql`${alias}.*`;
    case 'pk': return join(plan.primaryKey.map((c) => sql`${alias}.${ident(c)}`));
    case 'none': return sql`1 AS pgrst_one`;
  }
}

/**
 * One INSERT of every row. With missing=default a row without a key takes the column's default,
 * evaluated for that row (sequences advance per row), as PostgREST builds rows:
 *   INSERT INTO "api"."t" AS "t" ("id", "note") SELECT CASE WHEN pgrst_e.v -> $2::text IS NULL
 *     THEN nextval('t_id_seq'::regclass) ELSE pgrst_new."id" END, pgrst_new."note"
 *   FROM json_array_elements(…) AS pgrst_e(v), json_populate_record(NULL::"api"."t", pgrst_e.v) AS pgrst_new
 */
function insertSql(plan: WritePlan, m: Extract<Mutation, { kind: 'insert' }>, returning: Sql): Sql[] {
  const target = qualified(plan.schema, plan.name);
  const values = join(m.columns.map((c, i) => {
    const value = sql`pgrst_new.${ident(c)}`;
    const d = m.defaults?.[i] ?? null;
    return d === null ? value : sql`CASE WHEN pgrst_e.v -> ${param(c)}::text IS NULL THEN ${defaultSql(plan, d)} ELSE ${value} END`;
  }));
  const from = m.defaults === null
    ? sql`json_populate_recordset(NULL::${target}, ${payload}) AS pgrst_new`
    : sql`json_array_elements(${payload}) AS pgrst_e(v), json_populate_record(NULL::${target}, pgrst_e.v) AS pgrst_new`;
  const head = m.columns.length === 0
    ? sql`INSERT INTO ${target} AS ${ident(plan.name)} SELECT FROM ${from}`
    : sql`INSERT INTO ${target} AS ${ident(plan.name)} (${join(m.columns.map((c) => ident(c)))}) SELECT ${values} FROM ${from}`;
  return [sql`${head}${onConflictSql(m.onConflict, m.columns)} RETURNING ${returning}`];
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function defaultSql(plan: WritePlan, d: ColumnDefault): Sql {
  // The catalog's own default expression (pg_get_expr): SQL the database gave, not the client.
  if (d.kind === 'expression') return sql`(${unsafeRaw(d.sql)})`;
  return sql`nextval(pg_get_serial_sequence(${param(`${quoteIdent(plan.schema)}.${quoteIdent(plan.name)}`)}, ${param(d.column)}))`;
}

function onConflictSql(c: Extract<Mutation, { kind: 'insert' }>['onConflict'], columns: readonly string[]): Sql {
  if (c === null) return empty;
  const target = c.columns.length === 0 ? empty : sql` (${join(c.columns.map((x) => ident(x)))})`;
  if (c.action === 'nothing' || columns.length === 0) return sql` ON CONFLICT${target} DO NOTHING`;
  return sql` ON CONFLICT${target} DO UPDATE SET ${join(columns.map((x) => sql`${ident(x)} = EXCLUDED.${ident(x)}`))}`;
}

function mutationSql(plan: WritePlan, returning: Sql): Sql[] {
  const m = plan.mutation;
  const target = qualified(plan.schema, plan.name);
  const alias = ident(plan.name);
  switch (m.kind) {
    case 'insert':
      return insertSql(plan, m, returning);
    case 'update': {
      // An empty body changes nothing and returns nothing (as PostgREST).
      if (m.set.length === 0) return [sql`SELECT ${returning} FROM ${target} AS ${alias} WHERE false`];
      const set = join(m.set.map((s) => sql`${ident(s.column)} = ${s.value === 'default' ? sql`DEFAULT` : sql`pgrst_new.${ident(s.column)}`}`));
      const from = sql`(SELECT * FROM json_populate_recordset(NULL::${target}, ${payload}) LIMIT 1) AS pgrst_new`;
      return [sql`UPDATE ${target} AS ${alias} SET ${set} FROM ${from}${whereSql(plan.name, m.where)} RETURNING ${returning}`];
    }
    case 'delete':
      return [sql`DELETE FROM ${target} AS ${alias}${whereSql(plan.name, m.where)} RETURNING ${returning}`];
  }
}

export function sourceSql(plan: WritePlan): Sql {
  if (plan.representation) return readNodeSql(plan.representation);
  if (plan.returning === 'pk') return sql`SELECT ${join(plan.primaryKey.map((c) => ident(c)))} FROM pgrst_mutation`;
  return sql`SELECT * FROM pgrst_mutation`;
}

export function resultBodySql(plan: WritePlan): Sql {
  if (plan.representation) return bodySql(plan.media, false);
  if (plan.returning === 'pk') return sql`(json_agg(${row})->0)::text`;
  return sql`NULL::text`;
}

/** `body`: the payload's value, or a slot to compile the statement once for many payloads (Sql.bind). */
export function writeStatement(plan: WritePlan, body: SqlValue | null = plan.body === null ? null : param(plan.body)): Sql {
  if (plan.nested !== undefined && body !== null) return nestedInsertStatement(plan, plan.nested, body);
  const ctes: Sql[] = [];
  if (body !== null) ctes.push(sql`pgrst_payload AS (SELECT ${parsedPayloadSql(body, plan.parsers ?? [])} AS v)`);
  const writes = mutationSql(plan, returningSql(plan));
  writes.forEach((w, i) => ctes.push(sql`${unsafeRaw(`pgrst_w${i + 1}`)} AS (${w})`));
  const all = join(writes.map((_, i) => unsafeRaw(`SELECT * FROM pgrst_w${i + 1}`)), ' UNION ALL ');
  const named = namedReturnColumns(plan);
  ctes.push(plan.detectInserted
    ? named === null
      ? sql`pgrst_mutation AS (SELECT (pgrst_row).* FROM (${all}) pgrst_w)`
      : sql`pgrst_mutation AS (SELECT ${join(named.map((c) => ident(c)))} FROM (${all}) pgrst_w)`
    : sql`pgrst_mutation AS (${all})`);
  ctes.push(sql`pgrst_source AS (${sourceSql(plan)})`);
  const inserted = plan.detectInserted ? sql`(SELECT pg_catalog.count(*) FROM (${all}) pgrst_w WHERE pgrst_inserted)` : sql`NULL::bigint`;
  return sql`WITH ${join(ctes)} SELECT (SELECT pg_catalog.count(*) FROM pgrst_mutation) AS affected, pg_catalog.count(${row}) AS page_total, ${resultBodySql(plan)} AS body, ${responseSettings}, ${inserted} AS inserted FROM (SELECT * FROM pgrst_source) ${row}`;
}
