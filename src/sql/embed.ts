// SQL for embedded resources: one lateral subquery per embed, correlated with its parent row, so a
// whole request stays one statement (no N+1). Example, films?select=title,directors(last_name):
//   SELECT "films"."title", row_to_json("directors_1".*) AS "directors" FROM "api"."films" AS "films"
//   LEFT JOIN LATERAL (SELECT "directors_1"."last_name" FROM "api"."directors" AS "directors_1"
//     WHERE ("directors_1"."id" = "films"."director_id")) AS "directors_1" ON TRUE
// To-many embeds aggregate: (SELECT json_agg("x".*) AS "pgrst_agg" FROM (…) AS "x" HAVING count(*) > 0),
// so an embed without rows yields no lateral row: `"x" IS DISTINCT FROM NULL` tests existence
// (`!inner`, `rel=not.is.null`) the same way for every cardinality.
import type { EmbedPlan, ReadNode } from '../plan/types.js';
import { withCast } from './expr.js';
import { ident, join, qualified, sql, unsafeRaw, type Sql } from './sql.js';

/** How a child node is correlated with its parent: its FROM item and extra WHERE conditions. */
export interface Correlation { readonly from: Sql; readonly where: readonly Sql[] }

const col = (alias: string, name: string) => sql`${ident(alias)}.${ident(name)}`;

/** `childFrom` is the child's own FROM item (`"api"."directors" AS "directors_1"`). */
export function embedCorrelation(embed: EmbedPlan, parentAlias: string, childFrom: Sql): Correlation {
  const child = embed.node;
  const j = embed.join;
  switch (j.kind) {
    case 'columns':
      return {
        from: childFrom,
        where: j.pairs.map(([p, c]) => sql`${col(child.alias, c)} = ${col(parentAlias, p)}`),
      };
    case 'junction': {
      const on = join(j.childPairs.map(([jc, c]) => sql`${col(j.alias, jc)} = ${col(child.alias, c)}`), ' AND ');
      return {
        from: sql`${childFrom} INNER JOIN ${j.from === undefined ? qualified(j.schema, j.table) : ident(j.from)} AS ${ident(j.alias)} ON ${on}`,
        where: j.parentPairs.map(([p, jc]) => sql`${col(j.alias, jc)} = ${col(parentAlias, p)}`),
      };
    }
    case 'function': {
      // The parent row, typed: after a write the parent is a CTE, whose rows are plain records.
      const row = sql`ROW(${ident(parentAlias)}.*)::${qualified(j.parentType.schema, j.parentType.name)}`;
      return { from: sql`${qualified(j.schema, j.name)}(${row}) AS ${ident(child.alias)}`, where: [] };
    }
  }
}

const agg = unsafeRaw('pgrst_agg');
const spreadCol = (i: number) => unsafeRaw(`"pgrst_${i}"`);

/** ` LEFT JOIN LATERAL (<child>) AS "alias" ON TRUE`, given the child's compiled SELECT. */
export function embedJoinSql(embed: EmbedPlan, childSql: Sql): Sql {
  const a = ident(embed.node.alias);
  let sub = childSql;
  if (embed.cardinality === 'many') {
    const aggs = embed.empty ? []
      : embed.spread ? embed.spread.map((c, i) => sql`json_agg(${col(embed.node.alias, c.name ?? c.as)}) AS ${spreadCol(i)}`)
      : [sql`json_agg(${a}.*) AS ${agg}`];
    sub = sql`SELECT ${join(aggs)} FROM (${childSql}) AS ${a} HAVING pg_catalog.count(*) > 0`;
  }
  return sql` ${unsafeRaw(embed.joinType === 'inner' ? 'INNER' : 'LEFT')} JOIN LATERAL (${sub}) AS ${a} ON TRUE`;
}

/** One output of an embed in its parent's select list; `grouped` ones are GROUP BY keys. */
export interface EmbedOutput { readonly expr: Sql; readonly as: string; readonly groupKey: boolean }

/**
 * What an embed adds to its parent's select: one object/array, the lifted columns of a spread,
 * or nothing (`rel()`). With `jsonb` (the parent groups), JSON values become jsonb: GROUP BY
 * needs an equality operator, which json lacks.
 */
export function embedOutputs(embed: EmbedPlan, jsonb: boolean): EmbedOutput[] {
  if (embed.empty) return [];
  const alias = embed.node.alias;
  const a = ident(alias);
  const asJson = (e: Sql) => (jsonb ? sql`(${e})::jsonb` : e);
  const array = (e: Sql) => sql`COALESCE(${asJson(e)}, '[]')`;
  if (embed.spread === null) {
    const expr = embed.cardinality === 'one' ? asJson(sql`row_to_json(${a}.*)`) : array(sql`${a}.${agg}`);
    return [{ expr, as: embed.as, groupKey: true }];
  }
  return embed.spread.map((c, i) => {
    if (embed.cardinality === 'many') return { expr: array(sql`${a}.${spreadCol(i)}`), as: c.as, groupKey: true };
    if (c.aggregate === null) return { expr: col(alias, c.name ?? c.as), as: c.as, groupKey: true };
    const arg = c.name === null ? sql`*` : col(alias, c.name);
    return { expr: withCast(sql`${unsafeRaw(`pg_catalog.${c.aggregate}`)}(${arg})`, c.aggregateCast), as: c.as, groupKey: false };
  });
}

/** True when a to-one spread of `node` hoists an aggregate into it. */
export function hoistsAggregates(node: ReadNode): boolean {
  return node.select.some((s) => s.kind === 'embed' && s.embed.cardinality === 'one' && (s.embed.spread ?? []).some((c) => c.aggregate !== null));
}
