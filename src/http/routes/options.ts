// OPTIONS on a relation or function: the Allow header from what it supports (no transaction).
// Example: OPTIONS /projects_view (auto-updatable, over a table with a key) → Allow: OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE
import { findFunctions } from '../../plan/rpc-resolve.js';
import { findTable } from '../../plan/resolve.js';
import type { ApiRequest } from '../../request/types.js';
import type { ApiResponse } from '../../response/types.js';
import type { SchemaCache } from '../../schema-cache/types.js';

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
    // A view's key is its base table's, when it shows every key column (schema-cache/load.ts).
    if (table.insertable && table.updatable && table.primaryKey.length > 0) allow.push('PUT');
    if (table.updatable) allow.push('PATCH');
    if (table.deletable) allow.push('DELETE');
  }
  return { status: 200, headers: { Allow: allow.join(',') }, body: null };
}

