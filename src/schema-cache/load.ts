// Loads a SchemaCache snapshot from the catalog in one connection (a handful of queries).
import type { Conn, Db } from '../db/types.js';
import { relationsSql } from './sql/relations.sql.js';
import { functionsSql } from './sql/functions.sql.js';
import { foreignKeysSql, rolesSql, serverSql } from './sql/misc.sql.js';
import { mediaHandlersSql, postgisSql } from './sql/media.sql.js';
import { representationsSql } from './sql/representations.sql.js';
import { loadViewColumnSources } from './view-sources.js';
import { buildRelationships, loadRelationshipInputs, type UniqueKey } from './relationships.js';
import {
  tableKey,
  type Column, type ColumnRepresentation, type ForeignKey, type Func, type MediaHandler, type RelationKind, type RoleInfo, type SchemaCache, type Table,
  type ViewColumnSource,
} from './types.js';

const kinds: Record<string, RelationKind> = { r: 'table', v: 'view', m: 'materialized_view', f: 'foreign_table', p: 'partitioned_table' };

type Row = Record<string, unknown>;
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const textArray = (v: unknown): string[] => {
  if (Array.isArray(v)) return v as string[];
  if (typeof v !== 'string' || v === '{}') return [];
  // A text[] in PostgreSQL's text form (simple elements only: names, modes).
  return v.slice(1, -1).split(',').map((s) => s.replace(/^"(.*)"$/, '$1'));
};

/** `extraSchemas` (db-extra-search-path): searched for media-type handlers as well. */
export async function loadSchemaCache(db: Db, schemas: readonly string[], extraSchemas: readonly string[] = []): Promise<SchemaCache> {
  return db.withConnection(async (conn) => {
    await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const cache = await loadWith(conn, schemas, extraSchemas);
      await conn.query('COMMIT');
      return cache;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

async function loadWith(conn: Conn, schemas: readonly string[], extraSchemas: readonly string[]): Promise<SchemaCache> {
  const relRows = (await conn.query<Row>(relationsSql, [schemas])).rows;
  const fnRows = (await conn.query<Row>(functionsSql, [schemas])).rows;
  const fkRows = (await conn.query<Row>(foreignKeysSql)).rows;
  const roleRows = (await conn.query<Row>(rolesSql)).rows;
  const server = (await conn.query<Row>(serverSql)).rows[0] ?? {};
  const viewColumnSources = await loadViewColumnSources(conn, schemas);
  const relationshipInputs = await loadRelationshipInputs(conn, schemas);
  const mediaHandlers = (await conn.query<Row>(mediaHandlersSql, [[...schemas, ...extraSchemas]])).rows.map(toMediaHandler);
  const postgisSchema = ((await conn.query<Row>(postgisSql)).rows[0]?.schema as string | undefined) ?? null;
  const representations = toRepresentations((await conn.query<Row>(representationsSql, [schemas])).rows);

  const tables = new Map<string, Table>();
  for (const r of relRows) {
    const columns = json<Column[]>(r.columns).map((c) => Object.freeze({ ...c, enumValues: c.enumValues ?? null }));
    const mask = Number(r.updatable_mask);
    const privileges = new Map(Object.entries(json<Record<string, string[]>>(r.privileges))
      .map(([role, privs]) => [role, new Set(privs)] as const));
    const t: Table = {
      schema: String(r.schema),
      name: String(r.name),
      kind: kinds[String(r.kind)] ?? 'table',
      comment: (r.comment as string | null) ?? null,
      // pg_relation_is_updatable bits: 8 INSERT, 4 UPDATE, 16 DELETE
      insertable: (mask & 8) !== 0,
      updatable: (mask & 4) !== 0,
      deletable: (mask & 16) !== 0,
      columns,
      columnsByName: new Map(columns.map((c) => [c.name, c])),
      primaryKey: viewKey(String(r.kind), String(r.schema), String(r.name), json<string[]>(r.pk), viewColumnSources, relationshipInputs.uniqueKeys),
      privileges: privileges as Table['privileges'],
      rlsEnabled: r.rls === true,
    };
    tables.set(tableKey(t.schema, t.name), Object.freeze(t));
  }

  const functions = new Map<string, Func[]>();
  for (const r of fnRows) {
    const fn = toFunc(r);
    const key = tableKey(fn.schema, fn.name);
    const list = functions.get(key) ?? [];
    list.push(fn);
    functions.set(key, list);
  }

  const foreignKeys: ForeignKey[] = fkRows.map((r) => Object.freeze({
    name: String(r.name),
    schema: String(r.schema),
    table: String(r.table),
    columns: json<string[]>(r.columns),
    refSchema: String(r.ref_schema),
    refTable: String(r.ref_table),
    refColumns: json<string[]>(r.ref_columns),
  }));

  const roles = new Map<string, RoleInfo>();
  for (const r of roleRows) {
    const settings = [...textArray(r.settings), ...textArray(r.db_settings)].map((s) => {
      const i = s.indexOf('=');
      return [s.slice(0, i), s.slice(i + 1)] as const;
    });
    roles.set(String(r.name), { name: String(r.name), superuser: r.superuser === true, bypassRls: r.bypassrls === true, settings });
  }

  return Object.freeze({
    schemas: [...schemas],
    tables,
    functions,
    foreignKeys,
    viewColumnSources,
    relationships: buildRelationships({ tables, foreignKeys, viewColumnSources, ...relationshipInputs }),
    roles,
    timezones: new Set(json<string[] | null>(server.timezones) ?? []),
    serverVersion: Number(server.version ?? 0),
    loadedAt: new Date(),
    mediaHandlers,
    postgisSchema,
    representations,
  });
}

function toRepresentations(rows: readonly Row[]): Map<string, Map<string, ColumnRepresentation>> {
  const out = new Map<string, Map<string, ColumnRepresentation>>();
  const fn = (v: unknown) => (v == null ? null : Object.freeze(json<{ schema: string; name: string }>(v)));
  for (const r of rows) {
    const key = tableKey(String(r.schema), String(r.table));
    const columns = out.get(key) ?? new Map<string, ColumnRepresentation>();
    columns.set(String(r.column), Object.freeze({ toJson: fn(r.to_json), fromJson: fn(r.from_json), fromText: fn(r.from_text) }));
    out.set(key, columns);
  }
  return out;
}

function toMediaHandler(r: Row): MediaHandler {
  return Object.freeze({
    kind: r.kind === 'function' ? 'function' : 'aggregate',
    schema: String(r.schema),
    name: String(r.name),
    target: r.target_schema == null ? null : { schema: String(r.target_schema), name: String(r.target_name) },
    mediaType: String(r.media_type),
    resolvedType: String(r.resolved_type),
    binary: r.binary === true,
  });
}

/**
 * A view's key, as PostgREST infers it: the primary key of the base table it selects from, when
 * the view shows every key column (named as the view names them). Tables keep their own.
 */
function viewKey(kind: string, schema: string, name: string, pk: string[], sources: readonly ViewColumnSource[], keys: readonly UniqueKey[]): string[] {
  if (pk.length > 0 || (kind !== 'v' && kind !== 'm')) return pk;
  const mine = sources.filter((v) => v.viewSchema === schema && v.view === name);
  for (const base of new Set(mine.map((v) => tableKey(v.schema, v.table)))) {
    const key = keys.find((k) => k.primary && tableKey(k.schema, k.table) === base);
    if (!key) continue;
    const cols = key.columns.map((c) => mine.find((v) => tableKey(v.schema, v.table) === base && v.column === c)?.viewColumn);
    if (cols.every((c): c is string => c !== undefined)) return cols;
  }
  return [];
}

function toFunc(r: Row): Func {
  const argTypes = json<{ type: string; base: string; typeSchema: string; typeName: string }[]>(r.argtypes);
  const names = textArray(r.argnames);
  const modes = textArray(r.argmodes);
  const nargs = Number(r.nargs);
  const nDefaults = Number(r.nargdefaults);
  // proargnames covers all args (IN and OUT); keep the IN/INOUT/VARIADIC ones, in order.
  const inNames = modes.length === 0 ? names.slice(0, nargs) : names.filter((_, i) => ['i', 'b', 'v'].includes(modes[i] ?? 'i'));
  const args = argTypes.map((t, i) => ({
    name: inNames[i] ?? '',
    type: t.type,
    baseType: t.base,
    typeSchema: t.typeSchema,
    typeName: t.typeName,
    hasDefault: i >= nargs - nDefaults,
    variadic: r.variadic === true && i === nargs - 1,
  }));
  const returnsRelation = r.return_relation != null && (r.return_relkind === 'r' || r.return_relkind === 'v' || r.return_relkind === 'm' || r.return_relkind === 'f' || r.return_relkind === 'p')
    ? { schema: String(r.return_schema), name: String(r.return_relation) } : null;
  // PostgREST's rule: a composite (or a domain over one) or named OUT/INOUT/TABLE columns give
  // objects; a bare `record` without them is called like a scalar (its value is the object).
  const returnsComposite = String(r.return_base_typtype) === 'c' || r.has_out_args === true;
  return Object.freeze({
    schema: String(r.schema),
    name: String(r.name),
    oid: Number(r.oid),
    args,
    returnType: String(r.return_type),
    returnsRelation,
    returnsSet: r.returns_set === true,
    returnsComposite,
    returnsScalar: !returnsComposite && String(r.return_typname) !== 'void',
    returnsVoid: String(r.return_typname) === 'void',
    volatility: String(r.volatility) as Func['volatility'],
    rows: Number(r.rows),
    comment: (r.comment as string | null) ?? null,
    settings: textArray(r.config).map((s) => {
      const i = s.indexOf('=');
      return [s.slice(0, i), s.slice(i + 1)] as const;
    }),
    executableBy: new Set(json<string[]>(r.executable_by)),
  });
}
