// Column expressions and conditions: `"todos"."data"->'a'->>'b'`, `"todos"."id" = $1`, logic trees.
import type { ColumnExpr, Cond, MediaName, PlannedOperation } from '../plan/types.js';
import { castType, ftsFunctions, isKeywords, sqlOperator } from './operators.js';
import { empty, ident, join, param, qualified, sql, unsafeRaw, type Sql } from './sql.js';

/** `"alias"."col"` (or `base`) followed by its JSON path; integer keys index arrays. */
export function columnSql(alias: string, e: ColumnExpr, base: Sql = sql`${ident(alias)}.${ident(e.column)}`): Sql {
  let out = base;
  if (e.toJsonb) out = sql`to_jsonb(${out})`;
  for (const step of e.path) {
    const key = /^-?\d+$/.test(step.key) ? unsafeRaw(step.key) : param(step.key);
    out = sql`${out}${unsafeRaw(step.arrow)}${key}`;
  }
  return out;
}

export function withCast(expr: Sql, cast: string | null): Sql {
  return cast === null ? expr : sql`(${expr})::${castType(cast)}`;
}

const likeValue = (op: string, v: string) => (op === 'like' || op === 'ilike' ? v.replace(/\*/g, '%') : v);

/** `{"a","b c"}`: a PostgreSQL array literal, every element quoted. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** A filter value, through its column's text → domain cast when it has one (data representations). */
const valueSql = (v: string, parse: MediaName | undefined): Sql =>
  parse === undefined ? sql`${param(v)}` : sql`${qualified(parse.schema, parse.name)}(${param(v)})`;

function operationSql(lhs: Sql, op: PlannedOperation, parse?: MediaName): Sql {
  switch (op.kind) {
    case 'simple':
      return sql`${lhs} ${sqlOperator(op.op)} ${valueSql(likeValue(op.op, op.value), parse)}`;
    case 'quantified': {
      const values = op.values.map((v) => likeValue(op.op, v));
      const list = parse === undefined ? sql`${param(arrayLiteral(values))}`
        : sql`SELECT ${qualified(parse.schema, parse.name)}(unnest(${param(arrayLiteral(values))}::text[]))`;
      return sql`${lhs} ${sqlOperator(op.op)} ${unsafeRaw(op.quantifier === 'any' ? 'ANY' : 'ALL')}(${list})`;
    }
    case 'in':
      return op.values.length === 0 ? sql`FALSE` : sql`${lhs} IN (${join(op.values.map((v) => valueSql(v, parse)))})`;
    case 'is':
      return sql`${lhs} ${unsafeRaw(isKeywords[op.value])}`;
    case 'fts': {
      const lang = op.language === null ? null : param(op.language);
      const vector = op.isTsvector ? lhs : lang ? sql`to_tsvector(${lang}, ${lhs})` : sql`to_tsvector(${lhs})`;
      const fn = unsafeRaw(ftsFunctions[op.op]);
      const query = lang ? sql`${fn}(${lang}, ${param(op.value)})` : sql`${fn}(${param(op.value)})`;
      return sql`${vector} @@ ${query}`;
    }
  }
}

export function condSql(alias: string, c: Cond): Sql {
  switch (c.kind) {
    case 'filter': {
      const e = operationSql(columnSql(alias, c.expr), c.operation, c.parse);
      return c.negated ? sql`NOT (${e})` : e;
    }
    case 'logic': {
      const inner = join(c.children.map((x) => sql`(${condSql(alias, x)})`), c.op === 'and' ? ' AND ' : ' OR ');
      return c.negated ? sql`NOT (${inner})` : inner;
    }
    case 'embed-null':
      // The embed's lateral row is absent (NULL) when it has no rows; `IS NULL` would also be
      // true for a present row whose columns are all NULL.
      return sql`${ident(c.alias)} IS ${unsafeRaw(c.isNull ? 'NOT DISTINCT' : 'DISTINCT')} FROM NULL`;
  }
}

export function whereSql(alias: string, conds: readonly Cond[], extra: readonly Sql[] = []): Sql {
  const all = [...conds.map((c) => condSql(alias, c)), ...extra];
  if (all.length === 0) return empty;
  return sql` WHERE ${join(all.map((x) => sql`(${x})`), ' AND ')}`;
}
