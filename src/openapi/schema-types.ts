// PostgreSQL types → JSON Schema (OpenAPI 3.0 dialect): standard `format`s where one exists,
// the PostgreSQL type itself in `x-pg-type` so generators can refine.
import type { Column } from '../schema-cache/types.js';
import type { JsonSchema } from './types.js';

const byBase: Record<string, JsonSchema> = {
  int2: { type: 'integer', format: 'int32' },
  int4: { type: 'integer', format: 'int32' },
  int8: { type: 'integer', format: 'int64' },
  oid: { type: 'integer', format: 'int64' },
  float4: { type: 'number', format: 'float' },
  float8: { type: 'number', format: 'double' },
  // numeric comes back as a JSON number; money as a formatted string.
  numeric: { type: 'number' },
  bool: { type: 'boolean' },
  uuid: { type: 'string', format: 'uuid' },
  date: { type: 'string', format: 'date' },
  // Only timestamptz is RFC 3339 as PostgreSQL writes it (`2024-01-01T10:00:00+00:00`). Plain
  // timestamp and time lack the offset, interval is `1 day 02:00:00` and bytea is `\x…` hex,
  // not base64: a standard format there would make strict clients reject real values.
  timestamptz: { type: 'string', format: 'date-time' },
  // json/jsonb hold any JSON value: a schema without `type` accepts all of them.
  json: {},
  jsonb: {},
};

/** A schema for a type known by its base name (`int4`, `_text`, `jsonb`) and display name. */
export function typeSchema(baseType: string, displayType: string): JsonSchema {
  if (baseType.startsWith('_')) {
    return { type: 'array', items: typeSchema(baseType.slice(1), displayType.replace(/\[\]$/, '')), 'x-pg-type': displayType };
  }
  const known = byBase[baseType];
  return { ...(known ?? { type: 'string' }), 'x-pg-type': displayType };
}

/**
 * One column's schema: type, nullability, enum values, maxLength, description (with PostgREST's
 * primary-key note), default when it is a plain literal, readOnly for generated columns.
 */
export function columnSchema(col: Column, isPk: boolean): JsonSchema {
  let s: Record<string, unknown> = { ...typeSchema(col.baseType, col.type) };
  if (col.category === 'C') s = { type: 'object', 'x-pg-type': col.type };
  if (col.enumValues) s = { type: 'string', enum: [...col.enumValues], 'x-pg-type': col.type };
  if (col.maxLength !== null && s.type === 'string') s.maxLength = col.maxLength;
  const notes = [col.comment, isPk ? 'Note:\nThis is a Primary Key.<pk/>' : null].filter((x): x is string => x !== null);
  if (notes.length > 0) s.description = notes.join('\n\n');
  const def = literalDefault(col.default, s.type);
  if (def !== undefined) s.default = def;
  if (col.generated) s.readOnly = true;
  if (col.nullable) s.nullable = true;
  return s;
}

/** `42`, `false`, `'open'::text` → the JSON value; expressions such as `now()` → undefined. */
export function literalDefault(expr: string | null, type: unknown): unknown {
  if (expr === null) return undefined;
  const text = /^'((?:[^']|'')*)'(?:::[\w ".[\]]+)?$/.exec(expr);
  if (text) {
    const v = (text[1] as string).replace(/''/g, "'");
    if (type === 'string') return v;
    if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    if (type === 'boolean' && /^(true|false)$/.test(v)) return v === 'true';
    return undefined;
  }
  const bare = expr.replace(/^\((.*)\)$/, '$1').replace(/::[\w ]+$/, '');
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(bare)) return Number(bare);
  if (type === 'boolean' && /^(true|false)$/.test(bare)) return bare === 'true';
  return undefined;
}

/** `required` of a row: NOT NULL columns without a default that are not generated. */
export function requiredColumns(columns: readonly Column[]): string[] {
  return columns.filter((c) => !c.nullable && c.default === null && !c.generated).map((c) => c.name);
}
