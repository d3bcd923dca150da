// Plans an embedded resource (`select=*,rel(...)`, `alias:rel!hint!inner(...)`, `...rel(...)`)
// from the relationships in the schema cache: the child node, its cardinality and how it joins.
// Example: films?select=title,directors(last_name) → EmbedPlan { as: 'directors', cardinality: 'one',
//   join: { kind: 'columns', pairs: [['director_id', 'id']] }, node: { alias: 'directors_1', … } }
import type { SelectItem } from '../request/types.js';
import { tableKey, type Relationship, type Table } from '../schema-cache/types.js';
import { planNode, type NodeInput, type NodeParams, type PlanContext } from './node.js';
import { findRelationship } from './relationships.js';
import { liftSpread } from './embed-spread.js';
import type { EmbedPlan, JoinSpec, ReadNode } from './types.js';

export function planEmbed(ctx: PlanContext, parent: NodeInput, item: Extract<SelectItem, { kind: 'embed' }>, params: NodeParams): EmbedPlan {
  const origin = relationOf(ctx, parent);
  const rel = findRelationship(ctx.cache, ctx.schema, origin, origin ?? parent.source.name, item.name, item.hint);
  const target = rel.foreignTable;
  const table = ctx.cache.tables.get(tableKey(target.schema, target.name)) as Table;
  const as = item.alias ?? item.name;
  const alias = ctx.nextAlias(target.name);
  const cardinality = cardinalityOf(rel);
  const planned = planNode(ctx, {
    source: { kind: 'relation', schema: target.schema, name: target.name },
    table,
    alias,
    select: item.select,
    path: [...parent.path, as],
    params,
  });
  const lifted = item.spread ? liftSpread(planned, table, cardinality === 'one') : null;
  const node = lifted?.node ?? planned;
  return {
    node: cardinality === 'many' ? capRows(node, ctx.maxRows ?? null) : node,
    name: item.name,
    as,
    cardinality,
    joinType: item.joinType ?? 'left',
    empty: item.select.length === 0,
    spread: lifted?.columns ?? null,
    join: joinSpec(ctx, rel),
  };
}

/** db-max-rows caps an embedded to-many array as it caps the page (PostgREST applies it to every node). */
function capRows(node: ReadNode, maxRows: number | null): ReadNode {
  if (maxRows === null || (node.limit !== null && node.limit <= maxRows)) return node;
  return { ...node, limit: maxRows };
}

/** The relation whose relationships apply to the parent: its table, or a function's row type. */
function relationOf(ctx: PlanContext, parent: NodeInput): string | null {
  if (parent.table) return parent.table.name;
  const source = parent.source;
  if (source.kind === 'relation') return source.name;
  const fns = ctx.cache.functions.get(tableKey(source.schema, source.name)) ?? [];
  return fns.find((f) => f.returnsRelation?.schema === ctx.schema)?.returnsRelation?.name ?? null;
}

function cardinalityOf(rel: Relationship): 'one' | 'many' {
  switch (rel.kind) {
    case 'fk': return rel.cardinality === 'one-to-many' ? 'many' : 'one';
    case 'm2m': return 'many';
    case 'computed': return rel.toOne ? 'one' : 'many';
  }
}

function joinSpec(ctx: PlanContext, rel: Relationship): JoinSpec {
  switch (rel.kind) {
    case 'fk':
      return { kind: 'columns', pairs: rel.columns };
    case 'm2m': {
      const j = rel.junction;
      return { kind: 'junction', schema: j.schema, table: j.name, alias: ctx.nextAlias(j.name), parentPairs: j.sourceColumns, childPairs: j.targetColumns };
    }
    case 'computed':
      return { kind: 'function', schema: rel.function.schema, name: rel.function.name, parentType: rel.table };
  }
}
