// ALTER TABLE statements that turn the table as the catalog describes it into the edited
// description: renames first, then drops, new columns, column changes, new constraints and
// indexes, and RLS last. Constraints and indexes are matched by name; a changed one is dropped
// and added again.
//   column "title" text → "title" character varying(80) NOT NULL
//   → ALTER TABLE "api"."todos" ALTER COLUMN "title" TYPE character varying(80) USING "title"::character varying(80)
//   → ALTER TABLE "api"."todos" ALTER COLUMN "title" SET NOT NULL
import { ident, qualified, renderInline, sql, unsafeRaw, type Sql } from '../../sql/sql.js';
import { AdminError } from '../errors.js';
import { checkClause, columnDefinition, foreignKeyClause, primaryKeyClause, uniqueClause, unsafeExpression } from './clauses.js';
import { createIndex, securityStatements } from './create.js';
import type { ColumnSpec, IndexSpec, KeySpec, TableSpec } from './spec.js';
import { columnType, type TypeCatalog } from './types.js';

type Named = { readonly name: string | null };
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

function columnChanges(alter: (s: Sql) => Sql, was: ColumnSpec, now: ColumnSpec, types: TypeCatalog): Sql[] {
  const col = sql`ALTER COLUMN ${ident(now.name)}`;
  const out: Sql[] = [];
  if (norm(was.generated) !== norm(now.generated)) {
    if (!was.generated) throw new AdminError(400, 'bad-change', `column "${now.name}": an existing column cannot become generated; add a new column instead`);
    out.push(alter(now.generated ? sql`${col} SET EXPRESSION AS ${unsafeExpression(now.generated)}` : sql`${col} DROP EXPRESSION`));
  }
  if (norm(was.type) !== norm(now.type)) {
    const t = columnType(now.type, types);
    out.push(alter(sql`${col} TYPE ${t} USING ${ident(now.name)}::${t}`));
  }
  const defaultChanged = norm(was.default) !== norm(now.default);
  if (defaultChanged && was.default && !now.default) out.push(alter(sql`${col} DROP DEFAULT`));
  if (was.nullable !== now.nullable) out.push(alter(sql`${col} ${unsafeRaw(now.nullable ? 'DROP NOT NULL' : 'SET NOT NULL')}`));
  if (was.identity !== now.identity) {
    const kind = unsafeRaw(now.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT');
    if (!now.identity) out.push(alter(sql`${col} DROP IDENTITY`));
    else if (!was.identity) out.push(alter(sql`${col} ADD GENERATED ${kind} AS IDENTITY`));
    else out.push(alter(sql`${col} SET GENERATED ${kind}`));
  }
  if (defaultChanged && now.default) out.push(alter(sql`${col} SET DEFAULT ${unsafeExpression(now.default)}`));
  return out;
}

/** Constraints or indexes of `was` kept as they are in `now` (same name, same text), by name. */
function kept<T extends Named>(was: readonly T[], now: readonly T[], text: (x: T) => string, wasText: (x: T) => string): Set<string> {
  const out = new Set<string>();
  for (const w of was) {
    if (w.name && now.some((n) => n.name === w.name && text(n) === wasText(w))) out.add(w.name);
  }
  return out;
}

export function alterTable(was: TableSpec, now: TableSpec, types: TypeCatalog): Sql[] {
  const out: Sql[] = [];
  if (was.schema !== now.schema) throw new AdminError(400, 'bad-change', 'moving a table to another schema is not a designer change');
  const table = qualified(now.schema, now.name);
  const alter = (s: Sql) => sql`ALTER TABLE ${table} ${s}`;
  if (was.name !== now.name) out.push(sql`ALTER TABLE ${qualified(was.schema, was.name)} RENAME TO ${ident(now.name)}`);

  const byOld = new Map(was.columns.map((c) => [c.name, c]));
  const matched = new Map<string, ColumnSpec>();
  for (const c of now.columns) {
    const old = byOld.get(c.from ?? c.name);
    if (old && !matched.has(old.name)) matched.set(old.name, c);
  }
  const renamed = (n: string) => matched.get(n)?.name ?? n;
  const renamedKey = <K extends KeySpec>(k: K): K => ({ ...k, columns: k.columns.map(renamed) });

  // Constraints and indexes compared with the old ones' columns under their new names.
  const text = (f: Sql) => renderInline(f);
  const keepPk = was.primaryKey && now.primaryKey && now.primaryKey.name === was.primaryKey.name
    && text(primaryKeyClause(now.primaryKey)) === text(primaryKeyClause(renamedKey(was.primaryKey)));
  const keepU = kept(was.uniques, now.uniques, (u) => text(uniqueClause(u)), (u) => text(uniqueClause(renamedKey(u))));
  const keepC = kept(was.checks, now.checks, (c) => text(checkClause(c)), (c) => text(checkClause(c)));
  const keepF = kept(was.foreignKeys, now.foreignKeys, (f) => text(foreignKeyClause(f)), (f) => text(foreignKeyClause({ ...f, columns: f.columns.map(renamed) })));
  const ixText = (x: IndexSpec) => x.definition ?? `${x.unique} ${x.method} ${x.columns.join('\0')}`;
  const keepI = kept(was.indexes, now.indexes, ixText, (x) => ixText({ ...x, columns: x.columns.map(renamed) }));
  for (const x of now.indexes) {
    if (x.definition !== undefined && !keepI.has(x.name ?? '')) throw new AdminError(400, 'bad-change', `index "${x.name}": an index with expressions or a predicate can be kept or dropped, not edited here`);
  }

  const dropConstraint = (n: string | null) => { if (n) out.push(alter(sql`DROP CONSTRAINT ${ident(n)}`)); };
  for (const f of was.foreignKeys) if (!keepF.has(f.name ?? '')) dropConstraint(f.name);
  for (const c of was.checks) if (!keepC.has(c.name ?? '')) dropConstraint(c.name);
  for (const u of was.uniques) if (!keepU.has(u.name ?? '')) dropConstraint(u.name);
  if (was.primaryKey && !keepPk) dropConstraint(was.primaryKey.name);
  for (const x of was.indexes) if (x.name && !keepI.has(x.name)) out.push(sql`DROP INDEX ${qualified(now.schema, x.name)}`);

  for (const c of was.columns) if (!matched.has(c.name)) out.push(alter(sql`DROP COLUMN ${ident(c.name)}`));
  for (const [old, c] of matched) if (old !== c.name) out.push(alter(sql`RENAME COLUMN ${ident(old)} TO ${ident(c.name)}`));
  const added = new Set(now.columns.filter((c) => !byOld.has(c.from ?? c.name) || matched.get(c.from ?? c.name) !== c));
  for (const c of added) out.push(alter(sql`ADD COLUMN ${columnDefinition(c, types)}`));
  for (const [old, c] of matched) out.push(...columnChanges(alter, byOld.get(old) as ColumnSpec, c, types));

  if (now.primaryKey && !keepPk) out.push(alter(sql`ADD ${primaryKeyClause(now.primaryKey)}`));
  for (const u of now.uniques) if (!keepU.has(u.name ?? '')) out.push(alter(sql`ADD ${uniqueClause(u)}`));
  for (const c of now.checks) if (!keepC.has(c.name ?? '')) out.push(alter(sql`ADD ${checkClause(c)}`));
  for (const f of now.foreignKeys) if (!keepF.has(f.name ?? '')) out.push(alter(sql`ADD ${foreignKeyClause(f)}`));
  for (const x of now.indexes) if (!keepI.has(x.name ?? '')) out.push(createIndex(now.schema, now.name, x));
  out.push(...securityStatements(now, was.rls));
  return out;
}
