// PostgREST's common parameters and responses, shared by every path through `$ref`:
// select, order, limit, offset, Range, Prefer per verb, on_conflict, columns, the profile headers.
import type { JsonSchema, Parameter } from './types.js';

const str: JsonSchema = { type: 'string' };

const prefer = (description: string, example: string): Parameter => ({
  name: 'Prefer', in: 'header', description, required: false, schema: str, example,
});

export const commonParameters: Record<string, Parameter> = {
  select: {
    name: 'select', in: 'query', schema: str, example: '*',
    description: 'Columns to return: `a,b`, aliases `alias:col`, casts `col::text`, JSON paths `data->>key`, embedded resources `rel(*)`.',
  },
  order: {
    name: 'order', in: 'query', schema: str, example: 'id.desc',
    description: 'Ordering: `col.asc|desc` with optional `.nullsfirst|.nullslast`, comma-separated.',
  },
  limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0 }, description: 'Maximum number of rows.' },
  offset: { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 }, description: 'Number of rows to skip.' },
  range: {
    name: 'Range', in: 'header', schema: str, example: '0-24',
    description: 'Pagination by items, inclusive: `0-24` or open-ended `25-`. The response carries `Content-Range`.',
  },
  rangeUnit: { name: 'Range-Unit', in: 'header', schema: { type: 'string', default: 'items' }, description: 'Unit of the Range header.' },
  onConflict: {
    name: 'on_conflict', in: 'query', schema: str,
    description: 'Columns of a unique constraint for an upsert (with `Prefer: resolution=merge-duplicates`).',
  },
  columns: { name: 'columns', in: 'query', schema: str, description: 'Only these body keys are inserted: `a,b`.' },
  preferGet: prefer('`count=exact|planned|estimated` adds the total to `Content-Range`; also `timezone=…`, `handling=strict|lenient`.', 'count=exact'),
  preferPost: prefer(
    '`return=minimal|headers-only|representation`, `resolution=merge-duplicates|ignore-duplicates` (upsert), `missing=default`, `count=exact`, `tx=commit|rollback`.',
    'return=representation',
  ),
  preferPatch: prefer('`return=minimal|headers-only|representation`, `count=exact`, `max-affected=N` with `handling=strict`, `tx=commit|rollback`.', 'return=representation'),
  preferDelete: prefer('`return=minimal|representation`, `count=exact`, `max-affected=N` with `handling=strict`, `tx=commit|rollback`.', 'return=representation'),
  preferRpc: prefer('`count=exact|planned|estimated`, `params=single-object`, `tx=commit|rollback`, `return=representation`.', 'count=exact'),
};

/** Profile headers, needed only to reach a schema that is not the first exposed one. */
export function profileParameters(schema: string): Record<string, Parameter> {
  const p = (name: string, description: string): Parameter => ({ name, in: 'header', required: true, description, schema: { type: 'string', enum: [schema], default: schema } });
  return {
    acceptProfile: p('Accept-Profile', `Selects the schema \`${schema}\` for reads.`),
    contentProfile: p('Content-Profile', `Selects the schema \`${schema}\` for writes and function calls.`),
  };
}

/** PostgREST's error body: `{code, details, hint, message}`. */
export const errorSchema: JsonSchema = {
  type: 'object',
  description: 'PostgREST-compatible error: a PGRST code or a PostgreSQL SQLSTATE.',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', example: 'PGRST100' },
    details: { nullable: true, description: 'A string (sometimes a list) with specifics.' },
    hint: { type: 'string', nullable: true },
    message: { type: 'string' },
  },
};

export const contentRangeHeader = {
  description: 'Rows returned and the total when a count was asked for: `0-24/3573`, `*/0`, `0-24/*`.',
  schema: str,
};
