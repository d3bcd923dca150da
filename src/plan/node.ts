// Plans one read node (a relation or function result at an embed path): select, filters, order,
// limit/offset. Embedded resources recurse through plan/embed.ts.
import { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import { fieldOutputName } from '../request/parse-field.js';
import type { Condition, QueryParams, SelectItem } from '../request/types.js';
import type { SchemaCache, Table } from '../schema-cache/types.js';
import { columnExpr, isTsvector } from './resolve.js';
import { planEmbed } from './embed.js';
import type { Cond, EmbedPlan, OrderExpr, ReadNode, SelectExpr, Source } from './types.js';

export interface PlanContext {
  readonly cache: SchemaCache;
  readonly schema: string;
  readonly aggregatesEnabled: boolean;
  readonly query: QueryParams;
  /** Hands out unique SQL aliases for embedded nodes. */
  nextAlias(base: string): string;
}

export interface NodeInput {
  readonly source: Source;
  readonly table: Table | null;
  readonly alias: string;
  readonly select: readonly SelectItem[];
  readonly path: readonly string[];
}

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function planNode(ctx: PlanContext, input: NodeInput): ReadNode {
  const { table, path } = input;
  const embeds: EmbedPlan[] = [];
  const select: SelectExpr[] = [];
  for (const item of input.select) {
    switch (item.kind) {
      case 'star':
        select.push({ kind: 'star' });
        break;
      case 'count':
        if (!ctx.aggregatesEnabled) throw errors.aggregatesDisabled();
        select.push({ kind: 'count', cast: item.cast, as: item.alias ?? 'count' });
        break;
      case 'field':
        if (item.aggregate && !ctx.aggregatesEnabled) throw errors.aggregatesDisabled();
        select.push({
          kind: 'column',
          expr: columnExpr(table, item.field),
          cast: item.cast,
          aggregate: item.aggregate,
          aggregateCast: item.aggregateCast,
          as: item.alias ?? (item.field.path.length > 0 ? fieldOutputName(item.field) : item.aggregate ?? (item.cast ? item.field.name : null)),
        });
        break;
      case 'embed': {
        const embed = planEmbed(ctx, input, item);
        embeds.push(embed);
        select.push({ kind: 'embed', embed });
        break;
      }
    }
  }

  // Parameters addressed to this node's path; those naming an embed that isn't there → PGRST108.
  const where: Cond[] = [];
  for (const f of ctx.query.filters) {
    if (!samePath(f.path, path)) continue;
    if (f.parsed instanceof ApiError) throw f.parsed;
    where.push(planCondition(f.parsed, table, embeds));
  }
  const order: OrderExpr[] = [];
  for (const o of ctx.query.order) {
    if (!samePath(o.path, path)) continue;
    for (const t of o.value) {
      const embedAlias = t.relation === null ? null : relatedOrderAlias(t.relation, embeds, input);
      order.push({ embedAlias, expr: columnExpr(embedAlias === null ? table : null, t.field), direction: t.direction, nulls: t.nulls });
    }
  }
  const limit = ctx.query.limit.find((l) => samePath(l.path, path))?.value ?? null;
  const offset = ctx.query.offset.find((l) => samePath(l.path, path))?.value ?? 0;
  return { source: input.source, alias: input.alias, select, where, order, limit, offset };
}

function planCondition(c: Condition, table: Table | null, embeds: readonly EmbedPlan[]): Cond {
  if (c.kind === 'logic') {
    return { kind: 'logic', op: c.op, negated: c.negated, children: c.children.map((x) => planCondition(x, table, embeds)) };
  }
  const embed = c.field.path.length === 0 ? embeds.find((e) => e.as === c.field.name) : undefined;
  if (embed) {
    // Only `is.null` / `not.is.null` (or is.not_null) make sense on an embedded resource.
    const op = c.operation;
    if (op.kind !== 'is' || (op.value !== 'null' && op.value !== 'not_null')) throw errors.embedOperator(c.field.name);
    const isNull = (op.value === 'null') !== c.negated;
    return { kind: 'embed-null', alias: embed.node.alias, isNull };
  }
  const op = c.operation;
  return {
    kind: 'filter',
    expr: columnExpr(table, c.field),
    negated: c.negated,
    operation: op.kind === 'fts' ? { ...op, isTsvector: isTsvector(table, c.field) } : op,
  };
}

function relatedOrderAlias(relation: string, embeds: readonly EmbedPlan[], input: NodeInput): string {
  const e = embeds.find((x) => x.as === relation);
  if (!e) throw errors.filterOnMissingEmbed(relation);
  if (e.cardinality !== 'one') {
    throw errors.relatedOrderNotToOne(input.source.kind === 'relation' ? input.source.name : input.alias, relation);
  }
  return e.node.alias;
}

/** Checks that every parameter with an embed path names an embed of the plan. */
export function checkParamPaths(ctx: PlanContext, root: ReadNode): void {
  const paths = new Set<string>();
  const visit = (node: ReadNode, path: readonly string[]) => {
    paths.add(JSON.stringify(path));
    for (const s of node.select) if (s.kind === 'embed') visit(s.embed.node, [...path, s.embed.as]);
  };
  visit(root, []);
  const all = [...ctx.query.filters, ...ctx.query.order, ...ctx.query.limit, ...ctx.query.offset];
  for (const p of all) {
    if (!paths.has(JSON.stringify(p.path))) throw errors.filterOnMissingEmbed(p.path[p.path.length - 1] ?? '');
  }
}
