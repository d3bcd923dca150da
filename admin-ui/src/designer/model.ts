// The designer's table description on the client (the server's TableSpec) and the pure edits the
// forms make to it: a blank table, and a column rename followed through keys, indexes and FKs.
export type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';
export const fkActions: FkAction[] = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];
export const indexMethods = ['btree', 'hash', 'gist', 'gin', 'brin', 'spgist'];
export const privileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

export interface Column { name: string; from?: string; type: string; nullable: boolean; default: string | null; identity: 'always' | 'by-default' | null; generated: string | null }
export interface Key { name: string | null; columns: string[] }
export interface Check { name: string | null; expression: string }
export interface ForeignKey { name: string | null; columns: string[]; refSchema: string; refTable: string; refColumns: string[]; onDelete: FkAction; onUpdate: FkAction }
export interface Index { name: string | null; columns: string[]; unique: boolean; method: string; definition?: string }
export interface Policy { name: string; command: string; permissive: boolean; roles: string[]; using: string | null; check: string | null }
export interface Grant { role: string; privileges: string[] }

export interface TableSpec {
  schema: string;
  name: string;
  columns: Column[];
  primaryKey: Key | null;
  uniques: Key[];
  checks: Check[];
  foreignKeys: ForeignKey[];
  indexes: Index[];
  rls: boolean;
  policy: Policy | null;
  grants: Grant[];
}

export const blankColumn = (): Column => ({ name: '', type: 'text', nullable: true, default: null, identity: null, generated: null });

export const blankTable = (schema: string): TableSpec => ({
  schema, name: '', rls: false, policy: null, grants: [], uniques: [], checks: [], foreignKeys: [], indexes: [],
  columns: [{ name: 'id', type: 'bigint', nullable: false, default: null, identity: 'always', generated: null }],
  primaryKey: { name: null, columns: ['id'] },
});

/** The table with column `from` renamed `to` everywhere a key, index or FK lists it. */
export function renameColumn(t: TableSpec, from: string, to: string): TableSpec {
  const r = (cols: string[]) => cols.map((c) => (c === from ? to : c));
  return {
    ...t,
    primaryKey: t.primaryKey && { ...t.primaryKey, columns: r(t.primaryKey.columns) },
    uniques: t.uniques.map((u) => ({ ...u, columns: r(u.columns) })),
    foreignKeys: t.foreignKeys.map((f) => ({ ...f, columns: r(f.columns) })),
    indexes: t.indexes.map((x) => ({ ...x, columns: r(x.columns) })),
  };
}

/** The table with its column `i` removed, and from every key, index or FK (a key left empty goes too). */
export function removeColumn(t: TableSpec, i: number): TableSpec {
  const name = t.columns[i]?.name ?? '';
  const f = (cols: string[]) => cols.filter((c) => c !== name);
  const pk = t.primaryKey && f(t.primaryKey.columns);
  return {
    ...t,
    columns: t.columns.filter((_, j) => j !== i),
    primaryKey: pk && pk.length > 0 ? { ...t.primaryKey!, columns: pk } : null,
    uniques: t.uniques.map((u) => ({ ...u, columns: f(u.columns) })).filter((u) => u.columns.length > 0),
    foreignKeys: t.foreignKeys.filter((k) => !k.columns.includes(name)),
    indexes: t.indexes.map((x) => ({ ...x, columns: f(x.columns) })).filter((x) => x.columns.length > 0 || x.definition !== undefined),
  };
}

/** Toggles `c` in a list of columns, keeping the table's column order. */
export const toggle = (list: string[], c: string, order: string[]) =>
  (list.includes(c) ? list.filter((x) => x !== c) : order.filter((x) => x === c || list.includes(x)));
