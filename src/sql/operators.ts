// Closed maps from PostgREST operator names to SQL operators: the only way operators enter SQL.
import type { SimpleOperator } from '../request/types.js';
import { unsafeRaw, type Sql } from './sql.js';

const simple: Record<SimpleOperator, string> = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=',
  like: 'LIKE', ilike: 'ILIKE', match: '~', imatch: '~*',
  isdistinct: 'IS DISTINCT FROM',
  cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-',
};

export function sqlOperator(op: SimpleOperator): Sql {
  return unsafeRaw(simple[op]);
}

export const ftsFunctions = { fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery' } as const;

export const isKeywords = { null: 'IS NULL', not_null: 'IS NOT NULL', true: 'IS TRUE', false: 'IS FALSE', unknown: 'IS UNKNOWN' } as const;

const multiWordTypes = new Set([
  'double precision', 'character varying', 'bit varying',
  'timestamp with time zone', 'timestamp without time zone', 'time with time zone', 'time without time zone',
]);

export class InvalidCastError extends Error {}

/**
 * A type name for `::cast`. Single words (`text`, `_int4`, `int[]`) and a closed list of
 * multi-word names pass; anything else is refused, so a cast can never add SQL of its own.
 */
export function castType(type: string): Sql {
  const t = type.trim().replace(/\s+/g, ' ');
  const base = t.replace(/(\[\])+$/, '');
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(base) || multiWordTypes.has(base.toLowerCase())) return unsafeRaw(t);
  throw new InvalidCastError(`unsupported cast type '${type}'`);
}
