// Reads an existing table into the designer's description (the "before" of an alter), from the
// catalog rows of catalog.sql.ts. Constraints and indexes keep their names so a diff can drop them.
import type { AdminConn } from '../db/admin-db.js';
import { AdminError } from '../errors.js';
import { designerColumnsSql, designerConstraintsSql, designerIndexesSql, tableOidSql } from './catalog.sql.js';
import { indexMethods, type FkAction, type IndexMethod, type IndexSpec, type TableSpec } from './spec.js';

const actions: Record<string, FkAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const bool = (v: string | null | undefined) => v === 't' || v === 'true';
const arr = (v: string | null | undefined) => (v ? JSON.parse(v) as string[] : []);
type Row = Record<string, string | null>;

export function indexFromRow(r: Row): IndexSpec {
  const method = indexMethods.includes(r.method as IndexMethod) ? r.method as IndexMethod : 'btree';
  const simple = r.columns != null && indexMethods.includes(r.method as IndexMethod);
  return { name: r.name ?? '', columns: simple ? arr(r.columns) : [], unique: bool(r.unique), method, ...(simple ? {} : { definition: r.definition ?? '' }) };
}

export function tableFromRows(schema: string, name: string, rls: boolean, cols: Row[], cons: Row[], idx: Row[]): TableSpec {
  const pk = cons.find((c) => c.type === 'p');
  return {
    schema, name, rls, policy: null, grants: [],
    columns: cols.map((c) => ({
      name: c.name ?? '', from: c.name ?? '', type: c.type ?? '', nullable: !bool(c.not_null),
      default: c.generated || c.identity ? null : c.expression ?? null,
      identity: c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by-default' : null,
      generated: c.generated === 's' ? c.expression ?? null : null,
    })),
    primaryKey: pk ? { name: pk.name ?? null, columns: arr(pk.columns) } : null,
    uniques: cons.filter((c) => c.type === 'u').map((c) => ({ name: c.name ?? null, columns: arr(c.columns) })),
    checks: cons.filter((c) => c.type === 'c').map((c) => ({ name: c.name ?? null, expression: c.expression ?? '' })),
    foreignKeys: cons.filter((c) => c.type === 'f').map((c) => ({
      name: c.name ?? null, columns: arr(c.columns), refSchema: c.ref_schema ?? '', refTable: c.ref_table ?? '', refColumns: arr(c.ref_columns),
      onDelete: actions[c.on_delete ?? 'a'] ?? 'NO ACTION', onUpdate: actions[c.on_update ?? 'a'] ?? 'NO ACTION',
    })),
    indexes: idx.map(indexFromRow),
  };
}

/** The table `schema.name` as the designer describes it; 404 when there is no such table. */
export async function readTable(c: AdminConn, schema: string, name: string): Promise<TableSpec> {
  const [t] = await c.rows(tableOidSql, [schema, name]);
  if (!t?.oid) throw new AdminError(404, 'not-found', `no table ${schema}.${name}`);
  const [cols, cons, idx] = [await c.rows(designerColumnsSql, [t.oid]), await c.rows(designerConstraintsSql, [t.oid]), await c.rows(designerIndexesSql, [t.oid])];
  return tableFromRows(schema, name, bool(t.rls), cols, cons, idx);
}
