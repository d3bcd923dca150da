// OPTIONS on a relation or function: the Allow header from what it supports (no transaction).
// Example: OPTIONS /projects_view (auto-updatable, over a table with a key) → Allow: OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE
import { findFunctions } from '../../plan/rpc-resolve.js';
import { findTable } from '../../plan/resolve.js';
import type { ApiRequest } from '../../request/types.js';
import type { ApiResponse } from '../../response/types.js';
import { tableKey, type SchemaCache, type Table } from '../../schema-cache/types.js';

export function handleOptions(req: ApiRequest, cache: SchemaCache): ApiResponse {
  const t = req.target;
  let allow: string[];
  if (t.kind === 'root') allow = ['OPTIONS', 'GET', 'HEAD'];
  else if (t.kind === 'rpc') {
    const fns = findFunctions(cache, req.schema, t.name);
    allow = fns.every((f) => f.volatility === 'v') ? ['OPTIONS', 'POST'] : ['OPTIONS', 'GET', 'HEAD', 'POST'];
  } else {
    const table = findTable(cache, req.schema, t.name);
    allow = ['OPTIONS', 'GET', 'HEAD'];
    if (table.insertable) allow.push('POST');
    if (table.insertable && table.updatable && keyOf(cache, table).length > 0) allow.push('PUT');
    if (table.updatable) allow.push('PATCH');
    if (table.deletable) allow.push('DELETE');
  }
  return { status: 200, headers: { Allow: allow.join(',') }, body: null };
}

/**
 * A relation's key; a view's is, as in PostgREST, the view columns that select its base tables'
 * primary key columns (the first such column for each).
 */
function keyOf(cache: SchemaCache, table: Table): readonly string[] {
  if (table.primaryKey.length > 0 || table.kind !== 'view') return table.primaryKey;
  const sources = cache.viewColumnSources.filter((s) => s.viewSchema === table.schema && s.view === table.name);
  const key: string[] = [];
  for (const base of new Set(sources.map((s) => tableKey(s.schema, s.table)))) {
    for (const pk of cache.tables.get(base)?.primaryKey ?? []) {
      const col = sources.find((s) => tableKey(s.schema, s.table) === base && s.column === pk);
      if (col) key.push(col.viewColumn);
    }
  }
  return key;
}
