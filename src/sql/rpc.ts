// Compiles a CallPlan: the arguments into the function source (text values cast with the argument's
// type, or fields of the JSON body parsed once as `pgrst_args`), then the read over the result, with
// the body shaped per result kind (bare scalar, one object, an array of rows or of values, void).
// Example: POST /rpc/add {"a":1,"b":2} →
//   WITH pgrst_args AS (SELECT * FROM json_to_record($1::json) AS pgrst_args("a" "pg_catalog"."int4", "b" "pg_catalog"."int4")),
//   pgrst_source AS (SELECT "add".* FROM "api"."add"("a" := (SELECT pgrst_args."a" FROM pgrst_args), …) AS "add"("add"))
//   SELECT … coalesce((json_agg(_postgrest_t."add")->0)::text, 'null') AS body …
import type { CallArg, CallPlan, ReadNode } from '../plan/types.js';
import { fromWhereSql, readNodeSql } from './read.js';
import { bodySql, exactCountSql, responseSettings } from './statement.js';
import { ident, join, param, qualified, sql, unsafeRaw, type Sql } from './sql.js';

const row = unsafeRaw('_postgrest_t');

function argValue(a: CallArg): Sql {
  const type = qualified(a.typeSchema, a.typeName);
  return a.value.kind === 'text' ? sql`${param(a.value.text)}::${type}` : sql`(SELECT pgrst_args.${ident(a.name)} FROM pgrst_args)`;
}

/** The read's root with the arguments in its function source. */
export function callRoot(plan: CallPlan): ReadNode {
  const root = plan.read.root;
  if (root.source.kind !== 'function') return root;
  const args = plan.args.map((a) => ({ name: a.name, value: argValue(a), type: a.typeName, variadic: a.variadic }));
  return { ...root, source: { ...root.source, args } };
}

function argsCte(plan: CallPlan): Sql | null {
  if (plan.argsJson === null) return null;
  const cols = plan.args.filter((a) => a.value.kind === 'json-field').map((a) => sql`${ident(a.name)} ${qualified(a.typeSchema, a.typeName)}`);
  // A record needs at least one column; with no arguments used the body is not read at all.
  if (cols.length === 0) return null;
  return sql`pgrst_args AS (SELECT * FROM json_to_record(${param(plan.argsJson)}::json) AS pgrst_args(${join(cols)}))`;
}

function callBodySql(plan: CallPlan, root: ReadNode): Sql {
  const read = plan.read;
  if (read.headOnly || plan.result === 'void') return sql`NULL::text`;
  const value = root.source.kind === 'function' ? sql`${row}.${ident(root.source.name)}` : row;
  if (read.media.kind === 'csv') return bodySql(read.media, false);
  switch (plan.result) {
    case 'scalar':
      return sql`coalesce((json_agg(${value})->0)::text, 'null')`;
    case 'scalar-set':
      return read.root.select.every((s) => s.kind === 'star') ? sql`coalesce(json_agg(${value}), '[]')::text` : bodySql(read.media, false);
    case 'single':
      return read.media.kind === 'object' ? bodySql(read.media, false) : sql`coalesce((json_agg(${row})->0)::text, 'null')`;
    default:
      return bodySql(read.media, false);
  }
}

export interface CallStatements {
  /** Run before the main statement: EXPLAIN for planned counts (first), then hoisted settings. */
  readonly before: readonly Sql[];
  readonly main: Sql;
}

export function callStatements(plan: CallPlan): CallStatements {
  const root = callRoot(plan);
  const read = plan.read;
  const args = argsCte(plan);
  const withArgs = args === null ? sql`WITH ` : sql`WITH ${args}, `;
  const total =
    read.count === 'exact' || read.count === 'estimated' ? exactCountSql(root, read.count === 'estimated' ? read.maxRows : null)
    : sql`NULL::bigint`;
  const before: Sql[] = [];
  if (read.count === 'planned' || (read.count === 'estimated' && read.maxRows !== null)) {
    before.push(sql`EXPLAIN (FORMAT JSON) ${withArgs}pgrst_count AS (SELECT 1 ${fromWhereSql(root)}) SELECT * FROM pgrst_count`);
  }
  if (plan.settings.length > 0) {
    before.push(sql`SELECT ${join(plan.settings.map(([k, v]) => sql`set_config(${param(k)}, ${param(v)}, true)`))}`);
  }
  const main = sql`${withArgs}pgrst_source AS (${readNodeSql(root)}) SELECT ${total} AS total_result_set, pg_catalog.count(${row}) AS page_total, ${callBodySql(plan, root)} AS body, ${responseSettings} FROM (SELECT * FROM pgrst_source) ${row}`;
  return { before, main };
}
