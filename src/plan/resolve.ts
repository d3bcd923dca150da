// Name resolution against the schema cache: tables (404 PGRST205 with a hint) and columns.
import { errors } from '../errors/codes.js';
import type { Field } from '../request/types.js';
import { tableKey, type SchemaCache, type Table } from '../schema-cache/types.js';
import { closest } from './fuzzy.js';
import type { ColumnExpr } from './types.js';

export function findTable(cache: SchemaCache, schema: string, name: string): Table {
  const t = cache.tables.get(tableKey(schema, name));
  if (t) return t;
  const names = [...cache.tables.values()].filter((x) => x.schema === schema).map((x) => x.name);
  const guess = closest(name, names);
  throw errors.noTable(`${schema}.${name}`, guess ? `Perhaps you meant the table '${schema}.${guess}'` : null);
}

const jsonTypes = new Set(['json', 'jsonb']);

/**
 * A field of `table` (null: a relation without column metadata, e.g. a function's record).
 * Unknown names are left to PostgreSQL: they may be computed fields, and otherwise the server
 * answers `42703 column todos.x does not exist` exactly as PostgREST does.
 */
export function columnExpr(table: Table | null, field: Field): ColumnExpr {
  const col = table?.columnsByName.get(field.name);
  const toJsonb = field.path.length > 0 && col !== undefined && !jsonTypes.has(col.baseType);
  return table !== null && col === undefined
    ? { column: field.name, path: field.path, toJsonb, computed: true }
    : { column: field.name, path: field.path, toJsonb };
}

/**
 * True when `field` already is a tsvector (fts filters then skip to_tsvector): a column whose type is
 * tsvector or a domain over it (at any depth), or a computed field `fn(table) RETURNS tsvector`.
 */
export function isTsvector(cache: SchemaCache, table: Table | null, field: Field): boolean {
  if (field.path.length > 0 || table === null) return false;
  const col = table.columnsByName.get(field.name);
  if (col) return col.baseType === 'tsvector';
  const fns = cache.functions.get(tableKey(table.schema, field.name)) ?? [];
  return fns.some((f) => f.args.length === 1 && f.args[0]?.typeSchema === table.schema && f.args[0]?.typeName === table.name
    && !f.returnsSet && f.returnType === 'tsvector');
}
