// The main statement of a read, in PostgREST's shape: the page as `pgrst_source`, aggregated
// into one row with the body (JSON, CSV or one object), counts and the response.* settings.
//   WITH pgrst_source AS (SELECT …) SELECT <total> AS total_result_set,
//     pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]')::text AS body, …
//   FROM (SELECT * FROM pgrst_source) _postgrest_t
import type { OutputMedia, ReadNode, ReadPlan } from '../plan/types.js';
import { extraBodySql } from './media-body.js';
import { fromWhereSql, readNodeSql } from './read.js';
import { sql, unsafeRaw, type Sql } from './sql.js';

const row = unsafeRaw('_postgrest_t');

/** The response.headers / response.status settings SQL may have set, read last in every main statement. */
export const responseSettings = unsafeRaw(`nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status`);

export function bodySql(media: OutputMedia, headOnly: boolean): Sql {
  if (headOnly) return sql`NULL::text`;
  switch (media.kind) {
    case 'plan':
      return bodySql(media.for, false);
    case 'geojson': case 'raw': case 'handler':
      return extraBodySql(media);
    case 'object':
      return media.stripNulls
        ? sql`coalesce(json_strip_nulls(json_agg(${row})->0)::text, '')`
        : sql`coalesce((json_agg(${row})->0)::text, '')`;
    case 'array-stripped':
      return sql`coalesce(json_strip_nulls(json_agg(${row}))::text, '[]')`;
    case 'csv':
      return sql`(SELECT coalesce(string_agg(CASE WHEN k ~ '[,"\n\r]' THEN '"' || replace(k, '"', '""') || '"' ELSE k END, ','), '') FROM (SELECT json_object_keys(r)::text AS k FROM (SELECT row_to_json(hh) AS r FROM pgrst_source AS hh LIMIT 1) s) a) || chr(10) || coalesce(string_agg(substring(${row}::text, 2, length(${row}::text) - 2), chr(10)), '')`;
    default:
      return sql`coalesce(json_agg(${row}), '[]')::text`;
  }
}

/** The exact total of rows matching the filters, ignoring the page. */
export function exactCountSql(node: ReadNode, cap: number | null = null): Sql {
  const inner = sql`SELECT 1 ${fromWhereSql(node)}`;
  return cap === null
    ? sql`(SELECT pg_catalog.count(*) FROM (${inner}) _pgrst_count)`
    : sql`(SELECT pg_catalog.count(*) FROM (${inner} LIMIT ${unsafeRaw(String(cap + 1))}) _pgrst_count)`;
}

/** `EXPLAIN (FORMAT JSON)` of the count query: its top node's Plan Rows is the planned count. */
export function plannedCountSql(node: ReadNode): Sql {
  return sql`EXPLAIN (FORMAT JSON) SELECT 1 ${fromWhereSql(node)}`;
}

export function wrapSource(source: Sql, totalSql: Sql, body: Sql): Sql {
  return sql`WITH pgrst_source AS (${source}) SELECT ${totalSql} AS total_result_set, pg_catalog.count(${row}) AS page_total, ${body} AS body, ${responseSettings} FROM (SELECT * FROM pgrst_source) ${row}`;
}

/**
 * A large page in chunks: the same page and counts, the body as one row per CHUNK of elements,
 * separated as json_agg separates rows (`, \n `; `,` once json_strip_nulls rewrote them), so the
 * bytes (and Content-Length) equal those of PostgREST's one json_agg value
 * (`{…},{…}` without brackets; the response adds them), in order; an empty page gives one row with
 * a NULL body. The response.* settings are read after every row was produced, as in wrapSource.
 */
export function chunkedSource(source: Sql, totalSql: Sql, stripNulls: boolean, chunkRows: number): Sql {
  const element = stripNulls ? sql`json_strip_nulls(row_to_json(${row}))::text` : sql`row_to_json(${row})::text`;
  return sql`WITH pgrst_source AS (${source}), pgrst_page AS (SELECT (row_number() OVER ()) - 1 AS pgrst_n, ${element} AS pgrst_element FROM (SELECT * FROM pgrst_source) ${row}), pgrst_chunks AS (SELECT pgrst_n / ${unsafeRaw(String(Math.trunc(chunkRows)))} AS pgrst_chunk, string_agg(pgrst_element, ${unsafeRaw(stripNulls ? "','" : "', ' || chr(10) || ' '")} ORDER BY pgrst_n) AS body FROM pgrst_page GROUP BY 1) SELECT ${totalSql} AS total_result_set, (SELECT pg_catalog.count(*) FROM pgrst_page) AS page_total, pgrst_chunks.body, ${responseSettings} FROM (SELECT 1) pgrst_one LEFT JOIN pgrst_chunks ON true ORDER BY pgrst_chunks.pgrst_chunk`;
}

export interface ReadStatements {
  /** Run first when the count is planned/estimated: EXPLAIN output. */
  readonly explain: Sql | null;
  readonly main: Sql;
}

export function readStatements(plan: ReadPlan): ReadStatements {
  const root = plan.root;
  const total =
    plan.count === 'exact' ? exactCountSql(root)
    : plan.count === 'estimated' && plan.maxRows !== null ? exactCountSql(root, plan.maxRows)
    : plan.count === 'estimated' ? exactCountSql(root)
    : sql`NULL::bigint`;
  // Estimated counts may be replaced by the planner's (PostgREST's resultSetWTotal), also without db-max-rows.
  const needsExplain = plan.count === 'planned' || plan.count === 'estimated';
  return {
    explain: needsExplain ? plannedCountSql(root) : null,
    main: plan.chunkRows !== null
      ? chunkedSource(readNodeSql(root), total, plan.media.kind === 'array-stripped', plan.chunkRows)
      : wrapSource(readNodeSql(root), total, bodySql(plan.media, plan.headOnly)),
  };
}
