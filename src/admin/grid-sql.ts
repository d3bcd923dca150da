// The data grid's SQL, built with the one SQL builder: page reads (sort, filters), counts and the
// single-row insert/update/delete that the UI shows before running. Every value is a parameter,
// every name goes through ident(), operators come from a closed map. Columns are read as ::text
// so what the grid shows is exactly what PostgreSQL prints and can be sent back unchanged.
import { ident, join, param, qualified, sql, unsafeRaw, type Sql } from '../sql/sql.js';
import { AdminError } from './errors.js';

export interface GridTable {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly string[];
  readonly primaryKey: readonly string[];
}

export const filterOps = {
  eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=', like: 'LIKE', ilike: 'ILIKE', null: 'IS NULL', notnull: 'IS NOT NULL',
} as const;
export type FilterOp = keyof typeof filterOps;

export interface GridFilter { readonly column: string; readonly op: FilterOp; readonly value?: string | null }
export interface GridSort { readonly column: string; readonly dir: 'asc' | 'desc' }
export interface GridQuery {
  readonly limit: number;
  readonly offset: number;
  readonly sort: readonly GridSort[];
  readonly filters: readonly GridFilter[];
}

function column(t: GridTable, name: string): Sql {
  if (!t.columns.includes(name)) throw new AdminError(400, 'unknown-column', `column "${name}" does not exist on ${t.schema}.${t.name}`);
  return ident(name);
}

function where(t: GridTable, filters: readonly GridFilter[]): Sql {
  if (filters.length === 0) return sql``;
  const parts = filters.map((f) => {
    const op = filterOps[f.op];
    if (op === undefined) throw new AdminError(400, 'bad-filter', `unknown filter operator "${String(f.op)}"`);
    const col = column(t, f.column);
    if (f.op === 'null' || f.op === 'notnull') return sql`${col} ${unsafeRaw(op)}`;
    // Pattern matches work on the text form, so they apply to any type (numbers, dates, uuids).
    if (f.op === 'like' || f.op === 'ilike') return sql`${col}::text ${unsafeRaw(op)} ${param(f.value ?? '')}`;
    return sql`${col} ${unsafeRaw(op)} ${param(f.value ?? null)}`;
  });
  return sql` WHERE ${join(parts, ' AND ')}`;
}

const textColumns = (t: GridTable) => join(t.columns.map((c) => sql`${ident(c)}::text AS ${ident(c)}`));

/** `SELECT "id"::text AS "id", … FROM "api"."todos" WHERE "done" = $1 ORDER BY "id" ASC LIMIT $2 OFFSET $3` */
export function selectPage(t: GridTable, q: GridQuery): Sql {
  const sort = q.sort.length > 0 ? q.sort : t.primaryKey.map((c) => ({ column: c, dir: 'asc' as const }));
  const order = sort.length === 0 ? sql``
    : sql` ORDER BY ${join(sort.map((s) => sql`${column(t, s.column)} ${unsafeRaw(s.dir === 'desc' ? 'DESC' : 'ASC')}`))}`;
  return sql`SELECT ${textColumns(t)} FROM ${qualified(t.schema, t.name)}${where(t, q.filters)}${order} LIMIT ${param(q.limit)} OFFSET ${param(q.offset)}`;
}

export function countRows(t: GridTable, filters: readonly GridFilter[]): Sql {
  return sql`SELECT count(*)::text AS count FROM ${qualified(t.schema, t.name)}${where(t, filters)}`;
}

export type RowChange =
  | { readonly op: 'insert'; readonly values: Readonly<Record<string, string | null>> }
  | { readonly op: 'update'; readonly key: Readonly<Record<string, string | null>>; readonly values: Readonly<Record<string, string | null>> }
  | { readonly op: 'delete'; readonly key: Readonly<Record<string, string | null>> };

function keyCondition(t: GridTable, key: Readonly<Record<string, string | null>>): Sql {
  if (t.primaryKey.length === 0) {
    throw new AdminError(400, 'no-primary-key', `${t.schema}.${t.name} has no primary key: rows can't be edited or deleted from the grid`);
  }
  return join(t.primaryKey.map((c) => {
    const v = key[c];
    if (v === undefined || v === null) throw new AdminError(400, 'bad-key', `the primary key column "${c}" needs a value`);
    return sql`${ident(c)} = ${param(v)}`;
  }), ' AND ');
}

/** One row's INSERT/UPDATE/DELETE, returning the row as text: shown to the user, then run. */
export function rowChange(t: GridTable, change: RowChange): Sql {
  const target = qualified(t.schema, t.name);
  const returning = sql` RETURNING ${textColumns(t)}`;
  if (change.op === 'insert') {
    const cols = Object.keys(change.values);
    if (cols.length === 0) return sql`INSERT INTO ${target} DEFAULT VALUES${returning}`;
    return sql`INSERT INTO ${target} (${join(cols.map((c) => column(t, c)))}) VALUES (${join(cols.map((c) => param(change.values[c] ?? null)))})${returning}`;
  }
  if (change.op === 'update') {
    const cols = Object.keys(change.values);
    if (cols.length === 0) throw new AdminError(400, 'nothing-to-update', 'no column was changed');
    const sets = join(cols.map((c) => sql`${column(t, c)} = ${param(change.values[c] ?? null)}`));
    return sql`UPDATE ${target} SET ${sets} WHERE ${keyCondition(t, change.key)}${returning}`;
  }
  return sql`DELETE FROM ${target} WHERE ${keyCondition(t, change.key)}${returning}`;
}

/** A multi-row INSERT for CSV import: `INSERT INTO t ("a","b") VALUES ($1,$2),($3,$4)`. */
export function insertMany(t: GridTable, cols: readonly string[], rows: readonly (readonly (string | null)[])[]): Sql {
  const values = join(rows.map((r) => sql`(${join(cols.map((_, i) => param(r[i] ?? null)))})`));
  return sql`INSERT INTO ${qualified(t.schema, t.name)} (${join(cols.map((c) => column(t, c)))}) VALUES ${values}`;
}
