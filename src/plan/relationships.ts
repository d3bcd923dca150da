// Chooses the relationship an embed names (PostgREST's findRel): by target relation, FK or
// column name, narrowed by a `!hint`; none → 400 PGRST200, several → 300 PGRST201.
// Example: films?select=directors(*) → films many-to-one directors via films_director_id_fkey.
import { errors } from '../errors/codes.js';
import { cardinalityOf } from '../schema-cache/relationships.js';
import { tableKey, type Relationship, type SchemaCache } from '../schema-cache/types.js';
import { closest } from './fuzzy.js';

/** The single column of an FK relationship on the origin side / the foreign side. */
const originCol = (r: Relationship) => (r.kind === 'fk' && r.columns.length === 1 ? r.columns[0]?.[0] : undefined);
const foreignCol = (r: Relationship) => (r.kind === 'fk' && r.columns.length === 1 ? r.columns[0]?.[1] : undefined);

function matchesTarget(r: Relationship, target: string): boolean {
  if (r.kind === 'computed') return r.function.name === target;
  if (r.foreignTable.name === target) return true;
  // By FK name, or by the FK's own column from the side that holds it: `projects?select=client_id(*)`.
  // Views are not matched this way (PostgREST 10).
  return r.kind === 'fk' && !r.foreignTableIsView && (r.constraint === target || (!r.isParent && originCol(r) === target));
}

function matchesHint(r: Relationship, hint: string | null): boolean {
  if (hint === null) return true;
  switch (r.kind) {
    case 'fk': return r.constraint === hint || originCol(r) === hint || foreignCol(r) === hint;
    case 'm2m': return r.junction.name === hint;
    case 'computed': return false;
  }
}

/**
 * `origin` is the relation whose rows are being embedded into (null for a function result
 * without a relation type); `originLabel` names it in errors.
 */
export function findRelationship(cache: SchemaCache, schema: string, origin: string | null, originLabel: string, target: string, hint: string | null): Relationship {
  // Only relationships within the request's schema (a computed one: its function's schema).
  const all = (origin === null ? [] : cache.relationships.get(tableKey(schema, origin)) ?? [])
    .filter((r) => (r.kind === 'computed' ? r.function.schema : r.foreignTable.schema) === schema);
  const found = all.filter((r) => matchesTarget(r, target) && matchesHint(r, hint));
  if (found.length === 1) return found[0] as Relationship;
  if (found.length === 0) {
    throw errors.noRelationship(originLabel, target, schema, noRelationshipHint(cache, schema, origin, originLabel, target), hint);
  }
  // A self-reference matched in both directions (e.g. `family_tree!parent`): the children win.
  const o2m = found.filter((r) => r.isSelf && cardinalityOf(r) === 'one-to-many');
  if (o2m.length === 1 && found.every((r) => r.isSelf)) return o2m[0] as Relationship;
  throw errors.ambiguousEmbed(originLabel, target, found.map(describe), ambiguousHint(target, found));
}

function noRelationshipHint(cache: SchemaCache, schema: string, origin: string | null, originLabel: string, target: string): string | null {
  const rels = origin === null ? undefined : cache.relationships.get(tableKey(schema, origin));
  if (rels && rels.length > 0) {
    const names = new Set(rels.map((r) => r.foreignTable.name));
    if (names.has(target)) return null;
    const guess = closest(target, names);
    return guess ? `Perhaps you meant '${guess}' instead of '${target}'.` : null;
  }
  const parents = new Set<string>();
  for (const list of cache.relationships.values()) for (const r of list) if (r.table.schema === schema) parents.add(r.table.name);
  const guess = closest(originLabel, parents);
  return guess ? `Perhaps you meant '${guess}' instead of '${originLabel}'.` : null;
}

const cols = (names: readonly string[]) => `(${names.join(', ')})`;

/** One PGRST201 candidate, as PostgREST prints it. */
export function describe(r: Relationship): Record<string, string> {
  const embedding = `${r.table.name} with ${r.foreignTable.name}`;
  switch (r.kind) {
    case 'fk':
      return {
        cardinality: r.cardinality,
        embedding,
        relationship: `${r.constraint} using ${r.table.name}${cols(r.columns.map((c) => c[0]))} and ${r.foreignTable.name}${cols(r.columns.map((c) => c[1]))}`,
      };
    case 'm2m': {
      const j = r.junction;
      return {
        cardinality: 'many-to-many',
        embedding,
        relationship: `${j.name} using ${j.constraint1}${cols(j.sourceColumns.map((c) => c[1]))} and ${j.constraint2}${cols(j.targetColumns.map((c) => c[0]))}`,
      };
    }
    case 'computed':
      return {};
  }
}

function ambiguousHint(target: string, rels: readonly Relationship[]): string {
  const options = rels.map((r) => {
    const via = r.kind === 'fk' ? r.constraint : r.kind === 'm2m' ? r.junction.name : r.function.name;
    return `'${r.foreignTable.name}!${via}'`;
  });
  return `Try changing '${target}' to one of the following: ${options.join(', ')}. Find the desired relationship in the 'details' key.`;
}
