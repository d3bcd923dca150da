// Plans GET/HEAD on a table, view or materialized view.
// Example: GET /todos?select=id,title&completed=is.false&order=created_at.desc&limit=10
//   → ReadPlan { root: { source: api.todos, select: [id, title], where: [completed IS FALSE], … } }
import type { ApiRequest } from '../request/types.js';
import type { SchemaCache } from '../schema-cache/types.js';
import { negotiate, relationMedia } from './media.js';
import { checkParamPaths, planNode, type PlanContext } from './node.js';
import { findTable } from './resolve.js';
import type { ReadNode, ReadPlan, Source } from './types.js';
import type { Table } from '../schema-cache/types.js';

export interface PlanSettings {
  readonly maxRows: number | null;
  readonly aggregatesEnabled: boolean;
  /** db-plan-enabled: Accept: application/vnd.pgrst.plan is served. */
  readonly planEnabled?: boolean;
}

export function planContext(req: ApiRequest, cache: SchemaCache, settings: PlanSettings): PlanContext {
  const used = new Map<string, number>();
  return {
    cache,
    schema: req.schema,
    aggregatesEnabled: settings.aggregatesEnabled,
    maxRows: settings.maxRows,
    query: req.query,
    nextAlias(base: string) {
      const n = (used.get(base) ?? 0) + 1;
      used.set(base, n);
      return `${base}_${n}`;
    },
  };
}

/** Plans the root node of a read over `source` (a relation or a function call). */
export function planRootNode(ctx: PlanContext, req: ApiRequest, source: Source, table: Table | null): ReadNode {
  const node = planNode(ctx, { source, table, alias: source.name, select: req.query.select ?? [{ kind: 'star' }], path: [] });
  checkParamPaths(ctx, node);
  return node;
}

/** Pages that may hold more rows than this send their JSON body in chunks of CHUNK_ROWS elements. */
export const LARGE_PAGE = 1000;
export const CHUNK_ROWS = 200;

export function planRead(req: ApiRequest, cache: SchemaCache, settings: PlanSettings): ReadPlan {
  const name = req.target.kind === 'relation' ? req.target.name : '';
  const table = findTable(cache, req.schema, name);
  const media = negotiate(req.accept, ['json', 'object', 'csv'], req.headers.accept, relationMedia(cache, table, req.query.select, settings.planEnabled === true));
  const ctx = planContext(req, cache, settings);
  const root = planRootNode(ctx, req, { kind: 'relation', schema: table.schema, name: table.name }, table);
  const page = withRange(root, req, settings.maxRows);
  const headOnly = req.method === 'HEAD';
  const large = (page.limit === null || page.limit > LARGE_PAGE) && !pinsOneRow(root, table);
  return {
    kind: 'read',
    root: page,
    media,
    count: req.preferences.count,
    headOnly,
    maxRows: settings.maxRows,
    chunkRows: large && !headOnly && (media.kind === 'json' || media.kind === 'array-stripped') ? CHUNK_ROWS : null,
  };
}

/**
 * True when the node's own filters give every primary-key column with `eq` (ANDed, not negated, no
 * JSON path), so at most one row comes back: `GET /todos?id=eq.…` then takes the plain json_agg path
 * instead of chunks. (A view's inferred key might not be unique; that only costs the chunking.)
 */
export function pinsOneRow(node: ReadNode, table: Table | null): boolean {
  if (table === null || table.primaryKey.length === 0) return false;
  const pinned = new Set<string>();
  for (const c of node.where) {
    if (c.kind === 'filter' && !c.negated && c.expr.path.length === 0 && c.operation.kind === 'simple' && c.operation.op === 'eq') pinned.add(c.expr.column);
  }
  return table.primaryKey.every((k) => pinned.has(k));
}

/**
 * The top-level page: `limit`/`offset` intersected with the Range header, capped by db-max-rows.
 * Range 0-9 with offset=5 → offset 5, limit 5.
 */
export function withRange(root: ReadNode, req: ApiRequest, maxRows: number | null): ReadNode {
  let lower = root.offset;
  let upper = root.limit === null ? Infinity : root.offset + root.limit - 1;
  if (req.range) {
    const rUpper = req.range.limit === null ? Infinity : req.range.offset + req.range.limit - 1;
    lower = Math.max(lower, req.range.offset);
    upper = Math.min(upper, rUpper);
  }
  let limit = upper === Infinity ? null : Math.max(0, upper - lower + 1);
  if (maxRows !== null) limit = limit === null ? maxRows : Math.min(limit, maxRows);
  return { ...root, offset: lower, limit };
}
