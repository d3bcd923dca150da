// CREATE TABLE from a table description: the table with its columns and constraints, then its
// indexes, row-level security and first policy, each a statement of one transaction.
//   { schema: 'api', name: 'tags', columns: [{ name: 'id', type: 'bigint', identity: 'always', … }], primaryKey: { columns: ['id'] } }
//   → CREATE TABLE "api"."tags" (\n  "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n  PRIMARY KEY ("id")\n)
import { ident, join, qualified, sql, unsafeRaw, type Sql } from '../../sql/sql.js';
import { policyStatement } from '../policy-sql.js';
import { AdminError } from '../errors.js';
import { checkClause, columnDefinition, foreignKeyClause, idents, primaryKeyClause, uniqueClause } from './clauses.js';
import type { IndexSpec, TableSpec } from './spec.js';
import type { TypeCatalog } from './types.js';

/** `CREATE UNIQUE INDEX "tags_name_idx" ON "api"."tags" USING btree ("name")` */
export function createIndex(schema: string, table: string, x: IndexSpec): Sql {
  const name = x.name ? sql`${ident(x.name)} ` : sql``;
  const method = x.method === 'btree' ? sql`` : sql` USING ${unsafeRaw(x.method)}`;
  return sql`CREATE ${unsafeRaw(x.unique ? 'UNIQUE INDEX' : 'INDEX')} ${name}ON ${qualified(schema, table)}${method} (${idents(x.columns)})`;
}

/** Statements that enable RLS and create the policy of a description (when it asks for them). */
export function securityStatements(t: TableSpec, rlsWasOn: boolean): Sql[] {
  const out: Sql[] = [];
  if (t.rls && !rlsWasOn) out.push(sql`ALTER TABLE ${qualified(t.schema, t.name)} ENABLE ROW LEVEL SECURITY`);
  if (!t.rls && rlsWasOn) out.push(sql`ALTER TABLE ${qualified(t.schema, t.name)} DISABLE ROW LEVEL SECURITY`);
  if (t.policy) out.push(policyStatement({ ...t.policy, schema: t.schema, table: t.name }));
  for (const g of t.grants) {
    const to = g.role.toLowerCase() === 'public' ? unsafeRaw('PUBLIC') : ident(g.role);
    out.push(sql`GRANT ${unsafeRaw(g.privileges.join(', '))} ON ${qualified(t.schema, t.name)} TO ${to}`);
  }
  return out;
}

export function createTable(t: TableSpec, types: TypeCatalog): Sql[] {
  if (t.indexes.some((x) => x.definition !== undefined)) throw new AdminError(400, 'bad-table', 'a new table\'s indexes are described by their columns');
  if (t.columns.some((c) => c.from !== undefined)) throw new AdminError(400, 'bad-table', 'a new table\'s columns have no former name ("from")');
  const body: Sql[] = [
    ...t.columns.map((c) => columnDefinition(c, types)),
    ...(t.primaryKey ? [primaryKeyClause(t.primaryKey)] : []),
    ...t.uniques.map(uniqueClause),
    ...t.checks.map(checkClause),
    ...t.foreignKeys.map(foreignKeyClause),
  ];
  const table = sql`CREATE TABLE ${qualified(t.schema, t.name)} (\n  ${join(body, ',\n  ')}\n)`;
  return [table, ...t.indexes.map((x) => createIndex(t.schema, t.name, x)), ...securityStatements(t, false)];
}
