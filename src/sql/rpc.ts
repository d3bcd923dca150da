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

function argValue(a: CallArg, bulk: boolean): Sql {
  const type = qualified(a.typeSchema, a.typeName);
  if (a.value.kind === 'text') return sql`${param(a.value.text)}::${type}`;
  // A bulk call takes each argument row in turn (pgrst_args is joined laterally).
  return bulk ? sql`pgrst_args.${ident(a.name)}` : sql`(SELECT pgrst_args.${ident(a.name)} FROM pgrst_args)`;
}

function sourceArgs(plan: CallPlan) {
  const bulk = plan.argsShape === 'bulk';
  return plan.args.map((a) => ({ name: a.name, value: argValue(a, bulk), type: a.typeName, variadic: a.variadic }));
}

/** The read's root with the arguments in its function source. */
export function callRoot(plan: CallPlan): ReadNode {
  const root = plan.read.root;
  if (root.source.kind !== 'function') return root;
  return { ...root, source: { ...root.source, args: sourceArgs(plan) } };
}

function argsCte(plan: CallPlan): Sql | null {
  if (plan.argsJson === null) return null;
  const cols = plan.args.filter((a) => a.value.kind === 'json-field').map((a) => sql`${ident(a.name)} ${qualified(a.typeSchema, a.typeName)}`);
  const json = param(plan.argsJson);
  if (plan.argsShape === 'bulk') {
    // One row per element, in the body's order.
    const elements = sql`json_array_elements(${json}::json) WITH ORDINALITY AS pgrst_e(v, pgrst_ord)`;
    return cols.length === 0
      ? sql`pgrst_args AS (SELECT pgrst_e.pgrst_ord FROM ${elements})`
      : sql`pgrst_args AS (SELECT pgrst_e.pgrst_ord, pgrst_r.* FROM ${elements}, LATERAL json_to_record(pgrst_e.v) AS pgrst_r(${join(cols)}))`;
  }
  // A record needs at least one column; with no arguments used the body is not read at all.
  if (cols.length === 0) return null;
  // An array body without ?columns= calls the function once, with its first object (PostgREST).
  const record = plan.argsShape === 'first' ? sql`(${json}::json)->0` : sql`${json}::json`;
  return sql`pgrst_args AS (SELECT * FROM json_to_record(${record}) AS pgrst_args(${join(cols)}))`;
}

/**
 * `pgrst_call`, the calls a bulk request or a `record` function reads from:
 *   bulk:   SELECT "f".* FROM pgrst_args, LATERAL "api"."f"("a" := pgrst_args."a") AS "f" ORDER BY pgrst_args.pgrst_ord
 *   record: SELECT "api"."f"() AS "f"   (a bare record has no column definition list: called in a select list)
 */
function callCte(plan: CallPlan): Sql | null {
  const root = plan.read.root;
  if (plan.call === null || root.source.kind !== 'relation') return null;
  const name = root.source.name;
  // As sourceSql calls a function source: named arguments, an unnamed one by position, VARIADIC.
  const args = join(sourceArgs(plan).map((a) => {
    const named = a.name === '' ? a.value : sql`${ident(a.name)} := ${a.value}`;
    return a.variadic ? sql`VARIADIC ${named}` : named;
  }));
  const call = sql`${qualified(root.source.schema, name)}(${args})`;
  const item = plan.call.kind === 'select-list' ? sql`(SELECT ${call} AS ${ident(name)}) AS ${ident(name)}`
    : plan.call.scalar ? sql`${call} AS ${ident(name)}(${ident(name)})`
    : sql`${call} AS ${ident(name)}`;
  if (plan.argsShape !== 'bulk') return sql`pgrst_call AS (SELECT ${ident(name)}.* FROM ${item})`;
  return sql`pgrst_call AS (SELECT ${ident(name)}.* FROM pgrst_args, LATERAL ${item} ORDER BY pgrst_args.pgrst_ord)`;
}

function callBodySql(plan: CallPlan, root: ReadNode): Sql {
  const read = plan.read;
  if (read.headOnly || plan.result === 'void') return sql`NULL::text`;
  // A scalar's value is the column named after the function (in pgrst_call too).
  const scalar = root.source.kind === 'function' || plan.call?.scalar === true;
  const value = scalar ? sql`${row}.${ident(root.source.name)}` : row;
  // An execution plan explains the statement of the media type it is for.
  if (read.media.kind === 'plan') return callBodySql({ ...plan, read: { ...read, media: read.media.for } }, root);
  if (read.media.kind !== 'json' && read.media.kind !== 'object' && read.media.kind !== 'array-stripped') return bodySql(read.media, false);
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
  const ctes = [argsCte(plan), callCte(plan)].filter((c): c is Sql => c !== null);
  const withArgs = ctes.length === 0 ? sql`WITH ` : sql`WITH ${join(ctes)}, `;
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
