// What missing=default (and a nested insert's generated keys) write for a column a row lacks.
import type { Table } from '../schema-cache/types.js';
import type { ColumnDefault } from './types.js';

/** The column's default, or NULL (null) without one. */
export function columnDefault(table: Table, name: string): ColumnDefault | null {
  const col = table.columnsByName.get(name);
  if (!col || col.default === null) return null;
  if (col.default.startsWith('generated ') && col.default.endsWith(' as identity')) return { kind: 'identity', column: name };
  return { kind: 'expression', sql: col.default };
}
