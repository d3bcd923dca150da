// Plans one read node (a relation or function result at an embed path): select, filters, order,
// limit/offset. Embedded resources recurse through plan/embed.ts.
import { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import { fieldOutputName } from '../request/parse-field.js';
import type { AtPath, Condition, FilterParam, OrderTerm, QueryParams, SelectItem } from '../request/types.js';
import type { SchemaCache, Table } from '../schema-cache/types.js';
import { columnExpr, isTsvector } from './resolve.js';
import { planEmbed } from './embed.js';
import type { Cond, EmbedPlan, OrderExpr, ReadNode, SelectExpr, Source } from './types.js';

export interface PlanContext {
  readonly cache: SchemaCache;
  readonly schema: string;
  readonly aggregatesEnabled: boolean;
  /** db-max-rows: also caps every embedded to-many array (null: no cap). */
  readonly maxRows?: number | null;
  readonly query: QueryParams;
  /** Hands out unique SQL aliases for embedded nodes. */
  nextAlias(base: string): string;
}

/** Query parameters addressed to a node, their paths relative to it. */
export interface NodeParams {
  readonly filters: readonly FilterParam[];
  readonly order: readonly AtPath<readonly OrderTerm[]>[];
  readonly limit: readonly AtPath<number>[];
  readonly offset: readonly AtPath<number>[];
}

export interface NodeInput {
  readonly source: Source;
  readonly table: Table | null;
  readonly alias: string;
  readonly select: readonly SelectItem[];
  /** Output keys from the root to this node ([] for the root). */
  readonly path: readonly string[];
  /** The parameters for this node and below; the root takes all of ctx.query's. */
  readonly params?: NodeParams;
}

type EmbedItem = Extract<SelectItem, { kind: 'embed' }>;

/**
 * The first embed of `select` that `segment` names, by alias or by name (PostgREST's rule:
 * `clients.name=eq.x` reaches `clients(*)` and `c:clients(*)`). Returns its index or -1.
 */
export function embedIndex(select: readonly SelectItem[], segment: string): number {
  return select.findIndex((s) => s.kind === 'embed' && (s.alias === segment || s.name === segment));
}

/** Splits params into this node's own and those for each embed (by select index). */
function routeParams(select: readonly SelectItem[], params: NodeParams): { own: NodeParams; byEmbed: Map<number, NodeParams> } {
  const own: { [K in keyof NodeParams]: NodeParams[K][number][] } = { filters: [], order: [], limit: [], offset: [] };
  const byEmbed = new Map<number, typeof own>();
  const route = <K extends keyof NodeParams>(key: K) => {
    for (const p of params[key]) {
      if (p.path.length === 0) { (own[key] as unknown[]).push(p); continue; }
      const i = embedIndex(select, p.path[0] as string);
      if (i < 0) continue; // checkParamPaths reports it (PGRST108)
      const child = byEmbed.get(i) ?? { filters: [], order: [], limit: [], offset: [] };
      byEmbed.set(i, child);
      (child[key] as unknown[]).push({ ...p, path: p.path.slice(1) });
    }
  };
  route('filters');
  route('order');
  route('limit');
  route('offset');
  return { own, byEmbed };
}

/** Legacy `rel(count)`: a bare `count` in an embed of a relation without such a column. */
function isLegacyCount(item: SelectItem, table: Table | null, embedded: boolean): boolean {
  return embedded && item.kind === 'field' && item.field.name === 'count' && item.field.path.length === 0
    && item.aggregate === null && table !== null && !table.columnsByName.has('count');
}

export function planNode(ctx: PlanContext, input: NodeInput): ReadNode {
  const { table } = input;
  const { own, byEmbed } = routeParams(input.select, input.params ?? ctx.query);
  const embeds: { plan: EmbedPlan; item: EmbedItem }[] = [];
  const select: SelectExpr[] = [];
  input.select.forEach((item, index) => {
    if (isLegacyCount(item, table, input.path.length > 0) && item.kind === 'field') {
      select.push({ kind: 'count', cast: item.cast, as: item.alias ?? 'count' });
      return;
    }
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
        checkUniqueEmbed(input, item, index);
        const params = byEmbed.get(index) ?? { filters: [], order: [], limit: [], offset: [] };
        const embed = planEmbed(ctx, input, item, params);
        embeds.push({ plan: embed, item });
        select.push({ kind: 'embed', embed });
        break;
      }
    }
  });

  const where: Cond[] = [];
  for (const f of own.filters) {
    if (f.parsed instanceof ApiError) throw f.parsed;
    where.push(planCondition(ctx.cache, f.parsed, table, embeds));
  }
  const order: OrderExpr[] = [];
  for (const o of own.order) {
    for (const t of o.value) {
      const embedAlias = t.relation === null ? null : relatedOrderAlias(t.relation, embeds, input);
      order.push({ embedAlias, expr: columnExpr(embedAlias === null ? table : null, t.field), direction: t.direction, nulls: t.nulls });
    }
  }
  const limit = own.limit[0]?.value ?? null;
  const offset = own.offset[0]?.value ?? 0;
  return { source: input.source, alias: input.alias, select, where, order, limit, offset };
}

/**
 * Two embeds of one relation without aliases (`select=a(x),a(y)`): PostgREST names both lateral
 * joins `<parent>_<relation>_<depth>` and PostgreSQL answers 42712; aliases tell them apart.
 */
function checkUniqueEmbed(input: NodeInput, item: EmbedItem, index: number): void {
  if (item.alias !== null) return;
  const twin = input.select.findIndex((s) => s.kind === 'embed' && s.alias === null && s.name === item.name);
  if (twin !== index) throw errors.duplicateEmbed(`${input.table?.name ?? input.source.name}_${item.name}_${input.path.length + 1}`);
}

type PlannedEmbeds = readonly { plan: EmbedPlan; item: EmbedItem }[];

const findEmbed = (embeds: PlannedEmbeds, name: string) => embeds.find((e) => e.item.alias === name || e.item.name === name)?.plan;

function planCondition(cache: SchemaCache, c: Condition, table: Table | null, embeds: PlannedEmbeds): Cond {
  if (c.kind === 'logic') {
    return { kind: 'logic', op: c.op, negated: c.negated, children: c.children.map((x) => planCondition(cache, x, table, embeds)) };
  }
  // PostgREST v13's rule: `rel=is.null` / `rel=not.is.null` test an embed named by its alias (or
  // its name when it has none); any other filter is on a column, even one named like an embed.
  // A relation without such a column answers PGRST120 rather than PostgreSQL's 42703.
  const op = c.operation;
  const embed = c.field.path.length === 0 ? embeds.find((e) => (e.item.alias ?? e.item.name) === c.field.name)?.plan : undefined;
  if (embed && op.kind === 'is' && op.value === 'null') return { kind: 'embed-null', alias: embed.node.alias, isNull: !c.negated };
  if (embed && table !== null && !table.columnsByName.has(c.field.name)) throw errors.embedOperator(c.field.name);
  return {
    kind: 'filter',
    expr: columnExpr(table, c.field),
    negated: c.negated,
    operation: op.kind === 'fts' ? { ...op, isTsvector: isTsvector(cache, table, c.field) } : op,
  };
}

function relatedOrderAlias(relation: string, embeds: PlannedEmbeds, input: NodeInput): string {
  const e = findEmbed(embeds, relation);
  if (!e) throw errors.filterOnMissingEmbed(relation);
  if (e.cardinality !== 'one') {
    throw errors.relatedOrderNotToOne(input.table?.name ?? input.source.name, relation);
  }
  return e.node.alias;
}

/**
 * Checks that every parameter with an embed path reaches an embed of the plan, following the
 * same first-match-by-alias-or-name rule as planNode; otherwise 400 PGRST108.
 */
export function checkParamPaths(ctx: PlanContext, root: ReadNode): void {
  const all = [...ctx.query.filters, ...ctx.query.order, ...ctx.query.limit, ...ctx.query.offset];
  for (const p of all) {
    let node = root;
    for (const segment of p.path) {
      const found = node.select.find((s) => s.kind === 'embed' && (s.embed.as === segment || s.embed.name === segment));
      if (!found || found.kind !== 'embed') throw errors.filterOnMissingEmbed(segment);
      node = found.embed.node;
    }
  }
}
