// Compiles a ReadNode into a SELECT: columns, embeds (lateral joins), WHERE, GROUP BY, ORDER, LIMIT.
// Example: node for GET /todos?select=id,title&completed=is.false&order=created_at.desc&limit=10 →
//   SELECT "todos"."id", "todos"."title" FROM "api"."todos" AS "todos"
//   WHERE ("todos"."completed" IS FALSE) ORDER BY "todos"."created_at" DESC LIMIT 10 OFFSET 0
import type { OrderExpr, ReadNode, SelectExpr, Source } from '../plan/types.js';
import { embedJoinSql, embedSelectSql, embedWhereSql } from './embed.js';
import { columnSql, whereSql, withCast } from './expr.js';
import { empty, ident, join, qualified, sql, unsafeRaw, type Sql } from './sql.js';

export function sourceSql(source: Source, alias: string): Sql {
  if (source.kind === 'relation') return sql`${qualified(source.schema, source.name)} AS ${ident(alias)}`;
  const args = join(source.args.map((a) => sql`${ident(a.name)} := ${a.variadic ? sql`VARIADIC ` : empty}${a.value}`));
  const call = sql`${qualified(source.schema, source.name)}(${args})`;
  // A scalar function's value is exposed as a column named after the function, as PostgREST does.
  return source.returnsScalar ? sql`${call} AS ${ident(alias)}(${ident(source.name)})` : sql`${call} AS ${ident(alias)}`;
}

function selectItemSql(alias: string, s: SelectExpr): Sql | null {
  switch (s.kind) {
    case 'star':
      return sql`${ident(alias)}.*`;
    case 'count': {
      const e = withCast(sql`pg_catalog.count(*)`, s.cast);
      return sql`${e} AS ${ident(s.as)}`;
    }
    case 'column': {
      let e = withCast(columnSql(alias, s.expr), s.cast);
      if (s.aggregate) e = withCast(sql`${unsafeRaw(s.aggregate)}(${e})`, s.aggregateCast);
      return s.as === null ? e : sql`${e} AS ${ident(s.as)}`;
    }
    case 'embed':
      return embedSelectSql(s.embed);
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

/** Non-aggregated output columns become the GROUP BY when the select has aggregates. */
function groupBySql(alias: string, select: readonly SelectExpr[]): Sql {
  const hasAggregate = select.some((s) => s.kind === 'count' || (s.kind === 'column' && s.aggregate !== null));
  if (!hasAggregate) return empty;
  const keys: Sql[] = [];
  for (const s of select) {
    if (s.kind === 'column' && s.aggregate === null) keys.push(withCast(columnSql(alias, s.expr), s.cast));
    if (s.kind === 'embed') keys.push(embedSelectSql(s.embed, false));
  }
  return keys.length === 0 ? empty : sql` GROUP BY ${join(keys)}`;
}

/** FROM … joins … WHERE …: shared by the page query and the exact count. */
export function fromWhereSql(node: ReadNode): Sql {
  const joins = node.select.flatMap((s) => (s.kind === 'embed' ? [embedJoinSql(s.embed, node)] : []));
  const embedConds = node.select.flatMap((s) => (s.kind === 'embed' ? embedWhereSql(s.embed) : []));
  return sql`FROM ${sourceSql(node.source, node.alias)}${join(joins, '')}${whereSql(node.alias, node.where, embedConds)}`;
}

export function readNodeSql(node: ReadNode): Sql {
  const items = node.select.map((s) => selectItemSql(node.alias, s)).filter((x): x is Sql => x !== null);
  const limit = node.limit === null ? empty : sql` LIMIT ${unsafeRaw(String(Math.trunc(node.limit)))}`;
  const offset = node.offset > 0 ? sql` OFFSET ${unsafeRaw(String(Math.trunc(node.offset)))}` : empty;
  return sql`SELECT ${join(items)} ${fromWhereSql(node)}${groupBySql(node.alias, node.select)}${orderSql(node.alias, node.order)}${limit}${offset}`;
}

