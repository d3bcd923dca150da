// Data representations (PostgREST's domain representations): a column whose domain has implicit
// casts to/from json or from text is formatted in the output through its `domain → json` cast and
// its filter values are parsed through its `text → domain` cast. Applied to a finished plan, node by
// node (reads, embeds, return=representation, RPC results), so the planners stay unaware of it.
// Example: `color` (domain over int) with CREATE CAST (color AS json) WITH FUNCTION api.color_json …
//   GET /widgets?color=eq.#ff0000 → SELECT "api"."color_json"("widgets"."color") AS "color" …
//     WHERE "widgets"."color" = "api"."color_from_text"('#ff0000')
import { tableKey, type ColumnRepresentation, type SchemaCache } from '../schema-cache/types.js';
import type { CallPlan, Cond, ReadNode, ReadPlan, SelectExpr, WritePlan } from './types.js';

type Reps = ReadonlyMap<string, ColumnRepresentation>;

/** Filters whose values are not parsed (patterns, IS DISTINCT FROM as PostgREST, full-text search). */
const unparsedOps = new Set(['like', 'ilike', 'isdistinct']);

const hasReps = (cache: SchemaCache) => cache.representations !== undefined && cache.representations.size > 0;

export function representRead(plan: ReadPlan, cache: SchemaCache): ReadPlan {
  return hasReps(cache) ? { ...plan, root: representNode(plan.root, cache) } : plan;
}

export function representCall(plan: CallPlan, cache: SchemaCache): CallPlan {
  return hasReps(cache) ? { ...plan, read: representRead(plan.read, cache) } : plan;
}

export function representWrite(plan: WritePlan, cache: SchemaCache): WritePlan {
  if (!hasReps(cache)) return plan;
  const reps = cache.representations?.get(tableKey(plan.schema, plan.name));
  const m = plan.mutation;
  const mutation = reps === undefined || m.kind === 'insert' ? m : { ...m, where: m.where.map((c) => representCond(c, reps)) };
  // Only the columns written are parsed (keys outside ?columns= are ignored, as PostgREST does).
  const written = new Set(m.kind === 'insert' ? m.columns : m.kind === 'update' ? m.set.map((x) => x.column) : []);
  const parsers = reps === undefined ? [] : [...reps].flatMap(([column, r]) =>
    r.fromJson === null ? [] : [[column, written.has(column) ? r.fromJson : null] as const]);
  return {
    ...plan,
    mutation,
    representation: plan.representation === null ? null : representNode(plan.representation, cache),
    ...(parsers.length > 0 ? { parsers } : {}),
  };
}

/** The relation whose columns a node reads: the relation itself or a function's returned table. */
function nodeTableKey(node: ReadNode, cache: SchemaCache): string | null {
  const s = node.source;
  if (s.kind === 'relation') return tableKey(s.schema, s.name);
  const rel = cache.functions.get(tableKey(s.schema, s.name))?.find((f) => f.returnsRelation !== null)?.returnsRelation;
  return rel ? tableKey(rel.schema, rel.name) : null;
}

function representNode(node: ReadNode, cache: SchemaCache): ReadNode {
  const key = nodeTableKey(node, cache);
  const reps = key === null ? undefined : cache.representations?.get(key);
  const select = node.select.flatMap((s): SelectExpr[] => {
    if (s.kind === 'embed') return [{ ...s, embed: { ...s.embed, node: representNode(s.embed.node, cache) } }];
    if (reps === undefined) return [s];
    if (s.kind === 'star') return expandStar(s, key as string, reps, cache);
    if (s.kind !== 'column') return [s];
    const format = reps.get(s.expr.column)?.toJson ?? null;
    if (format === null || s.expr.path.length > 0 || s.aggregate !== null) return [s];
    return [{ ...s, format, as: s.as ?? s.expr.column }];
  });
  const where = reps === undefined ? node.where : node.where.map((c) => representCond(c, reps));
  return { ...node, select, where };
}

/** `*` as every column, in order, when one of them is formatted (its output is an expression). */
function expandStar(star: SelectExpr, key: string, reps: Reps, cache: SchemaCache): SelectExpr[] {
  const table = cache.tables.get(key);
  if (table === undefined || ![...reps.values()].some((r) => r.toJson !== null)) return [star];
  return table.columns.map((c): SelectExpr => {
    const format = reps.get(c.name)?.toJson ?? null;
    const base = { kind: 'column' as const, expr: { column: c.name, path: [], toJsonb: false }, cast: null, aggregate: null, aggregateCast: null };
    return format === null ? { ...base, as: null } : { ...base, as: c.name, format };
  });
}

function representCond(c: Cond, reps: Reps): Cond {
  if (c.kind === 'logic') return { ...c, children: c.children.map((x) => representCond(x, reps)) };
  if (c.kind !== 'filter' || c.expr.path.length > 0) return c;
  const parse = reps.get(c.expr.column)?.fromText ?? null;
  const op = c.operation;
  const parsed = op.kind === 'in' || ((op.kind === 'simple' || op.kind === 'quantified') && !unparsedOps.has(op.op));
  return parse !== null && parsed ? { ...c, parse } : c;
}
