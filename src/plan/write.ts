// Plans POST/PATCH/PUT/DELETE on a table or view: the mutation, what RETURNING yields, and the
// representation (select/embeds planned by planNode over the RETURNING rows).
// Example: POST /todos?select=id,title, Prefer: return=representation, body [{"title":"a"}]
//   → { mutation: insert (title), returning: 'all', representation: SELECT id, title FROM pgrst_mutation AS todos }
import { errors } from '../errors/codes.js';
import { parseRowsBody, type RowsPayload } from '../request/body.js';
import type { ApiRequest } from '../request/types.js';
import { tableKey, type SchemaCache, type Table } from '../schema-cache/types.js';
import { planNestedInsert } from './nested-insert.js';
import { refuseNestedWrite, relationshipKeys, type RelationshipKey } from './nested-insert-keys.js';
import { negotiate, relationMedia } from './media.js';
import { checkParamPaths, planNode } from './node.js';
import { planContext } from './read.js';
import { findTable } from './resolve.js';
import { checkWriteRestrictions, checkPutBody, putKey } from './write-checks.js';
import type { Cond, Mutation, ReadNode, WritePlan } from './types.js';
import { columnDefault } from './column-default.js';

export interface WriteSettings {
  readonly aggregatesEnabled: boolean;
  /** db-plan-enabled: Accept: application/vnd.pgrst.plan is served. */
  readonly planEnabled?: boolean;
}

type WriteMethod = WritePlan['method'];

/** The CTE the RETURNING rows are read from. */
export const mutationCte = 'pgrst_mutation';

/** The body of a write as rows (DELETE has none); 400 PGRST102 when it does not parse. */
export function writePayload(req: ApiRequest): RowsPayload | null {
  return req.method === 'DELETE' ? null : parseRowsBody(req.body, req.contentType, req.query.columns === null);
}

/**
 * What of the body a write's plan depends on, as a string, when that is only the body's shape (its
 * keys, and for PATCH whether it has a row): with the request key it identifies a compiled write
 * whose payload is the only per-request value. null when values matter (PUT checks the key in the
 * body; a PATCH with missing=default sets the columns its row lacks to DEFAULT).
 */
export function writeShape(req: ApiRequest, payload: RowsPayload | null, cache?: SchemaCache): string | null {
  // A key that is not a column may name a relationship: a nested insert depends on the whole body.
  if (cache !== undefined && payload !== null && req.target.kind === 'relation') {
    const table = cache.tables.get(tableKey(req.schema, req.target.name));
    if (table !== undefined && (req.query.columns ?? payload.keys).some((k) => !table.columnsByName.has(k))) return null;
  }
  if (req.method === 'PUT' || (req.method === 'PATCH' && req.preferences.missing === 'default' && req.query.columns !== null)) return null;
  if (payload === null) return '';
  const keys = req.query.columns === null ? JSON.stringify(payload.keys) : '';
  return req.method === 'PATCH' ? `${keys}\n${Math.min(payload.rowCount, 2)}` : keys;
}

export function planWrite(req: ApiRequest, cache: SchemaCache, settings: WriteSettings, payload: RowsPayload | null = writePayload(req)): WritePlan {
  const method = req.method as WriteMethod;
  const name = req.target.kind === 'relation' ? req.target.name : '';
  const table = findTable(cache, req.schema, name);
  if (method !== 'POST') checkWriteRestrictions(req);
  // A relation PostgreSQL cannot write this way (e.g. an aggregating view): 405, as OPTIONS says.
  const allowed = method === 'POST' ? table.insertable : method === 'PATCH' ? table.updatable
    : method === 'DELETE' ? table.deletable : table.insertable && table.updatable;
  if (!allowed) throw errors.unsupportedVerb(method);
  const prefs = req.preferences;
  const media = negotiate(req.accept, ['json', 'object', 'csv'], req.headers.accept, relationMedia(cache, table, req.query.select, settings.planEnabled === true));
  const wantsLocation = method === 'POST' && prefs.return === 'headers-only' && table.primaryKey.length > 0;

  const key = method === 'PUT' ? putKey(req, table) : null;
  if (key !== null && payload !== null) {
    const csv = req.contentType?.type === 'text/csv';
    if (payload.isArray && !csv) throw errors.invalidBody('PUT payload must contain a single row');
    checkPutBody(payload, key);
  }

  // Relationship keys: a nested insert (POST), refused elsewhere; none in most writes.
  const relKeys = relationshipKeys(req, cache, table, payload);
  refuseNestedWrite(req, table, relKeys);
  const mutation = relKeys.length === 0 ? planMutation(req, cache, settings, table, method, payload) : planRootOfNested(req, cache, settings, table, payload as RowsPayload, relKeys);
  // Parameters addressed to embeds must reach one (PGRST108) even when nothing is returned.
  const embedded = [...req.query.filters, ...req.query.order, ...req.query.limit, ...req.query.offset].some((p) => p.path.length > 0);
  const read = prefs.return === 'representation' || embedded ? planRepresentation(req, cache, settings, table) : null;
  const representation = prefs.return === 'representation' ? read : null;
  const plan: WritePlan = {
    kind: 'write',
    method,
    schema: table.schema,
    name: table.name,
    body: payload?.json ?? null,
    mutation,
    returning: prefs.return === 'representation' ? 'all' : wantsLocation ? 'pk' : 'none',
    representation,
    returnColumns: representation === null ? null : readColumns(representation, table),
    primaryKey: table.primaryKey,
    media,
    count: prefs.count !== null,
    // xmax tells inserted from updated rows; views have no system columns (their upserts answer 201).
    insertedBySnapshot: table.kind === 'partitioned_table',
    detectInserted: (table.kind === 'table' || table.kind === 'partitioned_table')
      && (method === 'PUT' || (method === 'POST' && prefs.resolution === 'merge-duplicates')),
    maxAffected: prefs.handling === 'strict' && prefs.maxAffected !== null && (method === 'PATCH' || method === 'DELETE') ? prefs.maxAffected : null,
  };
  return relKeys.length === 0 ? plan : planNestedInsert(plan, req, cache, table, payload as RowsPayload, relKeys);
}

/** The root insert of a nested insert: the flat insert of the keys that are not relationships. */
function planRootOfNested(req: ApiRequest, cache: SchemaCache, settings: WriteSettings, table: Table, payload: RowsPayload, keys: readonly RelationshipKey[]): Mutation {
  const rel = new Set(keys.map((k) => k.key));
  const columns = req.query.columns === null ? null : req.query.columns.filter((c) => !rel.has(c));
  const flat: RowsPayload = { json: payload.json, get rows() { return payload.rows; }, rowCount: payload.rowCount, keys: payload.keys.filter((k) => !rel.has(k)), isArray: payload.isArray };
  return planMutation({ ...req, query: { ...req.query, columns } }, cache, settings, table, 'POST', flat);
}

function planMutation(req: ApiRequest, cache: SchemaCache, settings: WriteSettings, table: Table, method: WriteMethod, payload: RowsPayload | null): Mutation {
  if (method === 'DELETE') return { kind: 'delete', where: rootFilters(req, cache, settings, table) };
  const p = payload as RowsPayload;
  const columns = writeColumns(req, table, p);
  const missingDefault = req.preferences.missing === 'default' && req.query.columns !== null;
  if (method === 'PATCH') {
    if (p.rowCount > 1) throw errors.invalidBody('A PATCH body must be a single JSON object');
    // The row's values are built only for missing=default (rowCount needs none).
    const set = p.rowCount === 0 ? [] : columns.map((column) => ({
      column,
      value: missingDefault && !(column in (p.rows[0] as object)) ? 'default' as const : 'body' as const,
    }));
    return { kind: 'update', set, where: rootFilters(req, cache, settings, table) };
  }
  const onConflict = method === 'PUT'
    ? { columns: table.primaryKey, action: 'update' as const }
    : req.preferences.resolution === null ? null
    : { columns: req.query.onConflict ?? table.primaryKey, action: req.preferences.resolution === 'merge-duplicates' ? 'update' as const : 'nothing' as const };
  // Merging needs a conflict target: without a primary key, `?on_conflict=` must name it.
  if (onConflict !== null && onConflict.action === 'update' && onConflict.columns.length === 0) throw errors.upsertWithoutKey(table.name);
  const defaults = req.preferences.missing === 'default' ? columns.map((c) => columnDefault(table, c)) : null;
  return { kind: 'insert', columns, defaults, onConflict };
}

/** `?columns=` or the body's keys; every one must be a column of the relation (PGRST204). */
function writeColumns(req: ApiRequest, table: Table, payload: RowsPayload): readonly string[] {
  const columns = req.query.columns ?? payload.keys;
  for (const c of columns) if (!table.columnsByName.has(c)) throw errors.noColumn(c, table.name);
  return [...new Set(columns)];
}

/**
 * The columns a representation reads from the RETURNING rows, as PostgREST returns only those (so
 * `select=` of the columns a role may read works under column privileges); null when it needs the
 * whole row (`*`, a computed field, a computed relationship).
 */
function readColumns(node: ReadNode, table: Table): string[] | null {
  const out = new Set<string>();
  for (const s of node.select) {
    if (s.kind === 'star') return null;
    if (s.kind === 'column') {
      if (!table.columnsByName.has(s.expr.column)) return null;
      out.add(s.expr.column);
    }
    if (s.kind === 'embed') {
      const j = s.embed.join;
      if (j.kind === 'function') return null;
      for (const [parent] of j.kind === 'columns' ? j.pairs : j.parentPairs) out.add(parent);
    }
  }
  for (const o of node.order) if (o.embedAlias === null) out.add(o.expr.column);
  for (const c of out) if (!table.columnsByName.has(c)) return null;
  return [...out];
}

function writeContext(req: ApiRequest, cache: SchemaCache, settings: WriteSettings) {
  return planContext(req, cache, { maxRows: null, aggregatesEnabled: settings.aggregatesEnabled });
}

/** The filters of the target rows (top-level parameters only; embedded ones were refused). */
function rootFilters(req: ApiRequest, cache: SchemaCache, settings: WriteSettings, table: Table): readonly Cond[] {
  const ctx = writeContext(req, cache, settings);
  return planNode(ctx, { source: { kind: 'relation', schema: table.schema, name: table.name }, table, alias: table.name, select: [], path: [] }).where;
}

/**
 * select= over the RETURNING rows. Top-level filters, limit and offset chose the rows to change;
 * they must not filter the returned rows again (a PATCH may change the filtered column).
 */
function planRepresentation(req: ApiRequest, cache: SchemaCache, settings: WriteSettings, table: Table): ReadNode {
  const q = req.query;
  const query = {
    ...q,
    filters: q.filters.filter((f) => f.path.length > 0),
    limit: q.limit.filter((l) => l.path.length > 0),
    offset: q.offset.filter((o) => o.path.length > 0),
  };
  const ctx = writeContext({ ...req, query }, cache, settings);
  const node = planNode(ctx, {
    source: { kind: 'relation', schema: table.schema, name: table.name, from: mutationCte },
    table,
    alias: table.name,
    select: q.select ?? [{ kind: 'star' }],
    path: [],
  });
  checkParamPaths(ctx, node);
  return node;
}
