// Compiles a ReadNode into a SELECT: columns, embeds (lateral joins), WHERE, GROUP BY, ORDER, LIMIT.
// Example: node for GET /todos?select=id,title&completed=is.false&order=created_at.desc&limit=10 →
//   SELECT "todos"."id", "todos"."title" FROM "api"."todos" AS "todos"
//   WHERE ("todos"."completed" IS FALSE) ORDER BY "todos"."created_at" DESC LIMIT 10 OFFSET 0
import type { ColumnExpr, OrderExpr, ReadNode, SelectExpr, Source } from '../plan/types.js';
import { embedCorrelation, embedJoinSql, embedOutputs, hoistsAggregates } from './embed.js';
import { columnSql, whereSql, withCast } from './expr.js';
import { empty, ident, join, qualified, sql, unsafeRaw, type Sql } from './sql.js';

export function sourceSql(source: Source, alias: string): Sql {
  if (source.kind === 'relation') {
    // A write's representation reads the RETURNING rows from a CTE, under the relation's alias.
    if (source.from !== undefined) return sql`${ident(source.from)} AS ${ident(alias)}`;
    return sql`${qualified(source.schema, source.name)} AS ${ident(alias)}`;
  }
  // An unnamed parameter (a function taking the whole body) is passed by position.
  const args = join(source.args.map((a) => {
    const named = a.name === '' ? a.value : sql`${ident(a.name)} := ${a.value}`;
    return a.variadic ? sql`VARIADIC ${named}` : named;
  }));
  const call = sql`${qualified(source.schema, source.name)}(${args})`;
  // A scalar function's value is exposed as a column named after the function, as PostgREST does.
  return source.returnsScalar ? sql`${call} AS ${ident(alias)}(${ident(source.name)})` : sql`${call} AS ${ident(alias)}`;
}

/**
 * A node's column. A computed field read from a CTE (a write's RETURNING rows, plain records) is
 * called with the row typed, so overloads of the function resolve: `"api"."f"(ROW("t".*)::"api"."t")`.
 */
function nodeColumnSql(node: ReadNode, alias: string, e: ColumnExpr): Sql {
  const src = node.source;
  if (e.computed === true && src.kind === 'relation' && src.from !== undefined) {
    return columnSql(alias, e, sql`${qualified(src.schema, e.column)}(ROW(${ident(alias)}.*)::${qualified(src.schema, src.name)})`);
  }
  return columnSql(alias, e);
}

function selectItemSql(node: ReadNode, alias: string, s: SelectExpr, grouped: boolean): Sql[] {
  switch (s.kind) {
    case 'star':
      return [sql`${ident(alias)}.*`];
    case 'count': {
      const e = withCast(sql`pg_catalog.count(*)`, s.cast);
      return [sql`${e} AS ${ident(s.as)}`];
    }
    case 'column': {
      const value = nodeColumnSql(node, alias, s.expr);
      // A data representation formats the column through its domain → json cast.
      let e = withCast(s.format ? sql`${qualified(s.format.schema, s.format.name)}(${value})` : value, s.cast);
      if (s.aggregate) e = withCast(sql`${unsafeRaw(s.aggregate)}(${e})`, s.aggregateCast);
      return [s.as === null ? e : sql`${e} AS ${ident(s.as)}`];
    }
    case 'embed':
      return embedOutputs(s.embed, grouped).map((o) => sql`${o.expr} AS ${ident(o.as)}`);
  }
}

function orderSql(alias: string, order: readonly OrderExpr[]): Sql {
  if (order.length === 0) return empty;
  const terms = order.map((o) => {
    const col = columnSql(o.embedAlias ?? alias, o.expr);
    const dir = o.direction === null ? empty : unsafeRaw(o.direction === 'asc' ? ' ASC' : ' DESC');
    const nulls = o.nulls === null ? empty : unsafeRaw(o.nulls === 'first' ? ' NULLS FIRST' : ' NULLS LAST');
    return sql`${col}${dir}${nulls}`;
  });
  return sql` ORDER BY ${join(terms)}`;
}

/** True when the node aggregates: its own aggregates or those hoisted from to-one spreads. */
function isGrouped(node: ReadNode): boolean {
  return node.select.some((s) => s.kind === 'count' || (s.kind === 'column' && s.aggregate !== null)) || hoistsAggregates(node);
}

/** Non-aggregated output columns (and embeds) become the GROUP BY when the select has aggregates. */
function groupBySql(node: ReadNode): Sql {
  if (!isGrouped(node)) return empty;
  const keys: Sql[] = [];
  for (const s of node.select) {
    if (s.kind === 'column' && s.aggregate === null) keys.push(withCast(columnSql(node.alias, s.expr), s.cast));
    if (s.kind === 'embed') keys.push(...embedOutputs(s.embed, true).filter((o) => o.groupKey).map((o) => o.expr));
  }
  // A related order's column is part of its (grouped) to-one embed, so it never splits a group.
  for (const o of node.order) if (o.embedAlias !== null) keys.push(columnSql(o.embedAlias, o.expr));
  return keys.length === 0 ? empty : sql` GROUP BY ${join(keys)}`;
}

/** How an embedded node is joined to its parent (set by the parent; absent for the root). */
export interface NodeSqlOptions { readonly from?: Sql; readonly where?: readonly Sql[] }

/** FROM … lateral joins of the embeds … WHERE …: shared by the page query and the exact count. */
export function fromWhereSql(node: ReadNode, opts: NodeSqlOptions = {}): Sql {
  const joins = node.select.flatMap((s) => {
    if (s.kind !== 'embed') return [];
    const child = s.embed.node;
    return [embedJoinSql(s.embed, readNodeSql(child, embedCorrelation(s.embed, node.alias, sourceSql(child.source, child.alias))))];
  });
  return sql`FROM ${opts.from ?? sourceSql(node.source, node.alias)}${join(joins, '')}${whereSql(node.alias, node.where, opts.where ?? [])}`;
}

export function readNodeSql(node: ReadNode, opts: NodeSqlOptions = {}): Sql {
  const grouped = isGrouped(node);
  // PostgREST's key order: the columns in select order, then the embeds.
  const columns = node.select.filter((s) => s.kind !== 'embed').flatMap((s) => selectItemSql(node, node.alias, s, grouped));
  const embeds = node.select.filter((s) => s.kind === 'embed').flatMap((s) => selectItemSql(node, node.alias, s, grouped));
  const items = [...columns, ...embeds];
  const limit = node.limit === null ? empty : sql` LIMIT ${unsafeRaw(String(Math.trunc(node.limit)))}`;
  const offset = node.offset > 0 ? sql` OFFSET ${unsafeRaw(String(Math.trunc(node.offset)))}` : empty;
  return sql`SELECT ${join(items)} ${fromWhereSql(node, opts)}${groupBySql(node)}${orderSql(node.alias, node.order)}${limit}${offset}`;
}
