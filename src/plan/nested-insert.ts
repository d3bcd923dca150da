// Plans a nested insert: walks the body level by level (one level per relationship path), checks
// every object against its relation (columns, connect objects, key columns), and yields the
// levels sql/nested-insert.ts compiles. Planned per request: the plan depends on the whole body.
// Example: POST /films {"title":"F","actors":[{"name":"A"},{"id":7}]} → levels films (root, fill
//   [id]) and actors (m2m through film_actors, fill [id], connectKey [id]: {"id":7} connects).
import { errors } from '../errors/codes.js';
import type { RowsPayload } from '../request/body.js';
import type { ApiRequest } from '../request/types.js';
import { tableKey, type SchemaCache, type Table } from '../schema-cache/types.js';
import { relationshipOf, type RelationshipKey, type WritableRelationship } from './nested-insert-keys.js';
import { levelFill, representedTables } from './nested-insert-fill.js';
import { MAX_NESTED_LEVELS, type NestedKind, type NestedLevel } from './nested-insert-types.js';
import type { WritePlan } from './types.js';
import { columnDefault } from './column-default.js';

type Obj = Readonly<Record<string, unknown>>;
/** An object of the body and where it is (`[0].order_lines[1]`), for error details. */
export interface Located { readonly obj: Obj; readonly path: string }

interface Draft {
  readonly level: Omit<NestedLevel, 'columns' | 'defaults' | 'fill' | 'overriding' | 'returning'>;
  readonly table: Table;
  readonly objects: Located[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (base: string, key: string) => (base === '' ? key : `${base}.${key}`);

export function kindOf(rel: WritableRelationship): Exclude<NestedKind, 'root'> {
  return rel.kind === 'm2m' ? 'm2m' : rel.isParent ? 'many' : 'one';
}

/** The body's objects at the root, with their paths (an object body has the empty path). */
export function rootObjects(payload: RowsPayload): Located[] {
  return payload.rows.map((obj, i) => ({ obj, path: payload.isArray ? `[${i}]` : '' }));
}

/** Whether an object only names the primary key, i.e. connects to an existing row. */
export const isConnect = (obj: Obj, pk: readonly string[]) => {
  const keys = Object.keys(obj);
  return pk.length > 0 && keys.length === pk.length && pk.every((k) => k in obj);
};

/** The objects a relationship key holds in each parent object (null or absent: none). */
function childObjects(kind: NestedKind, key: string, parents: readonly Located[]): Located[] {
  const out: Located[] = [];
  for (const { obj, path } of parents) {
    const v = obj[key];
    const here = at(path, key);
    if (v === null || v === undefined) continue;
    if (isObj(v)) out.push({ obj: v, path: here });
    else if (Array.isArray(v) && kind !== 'one') {
      v.forEach((x, i) => {
        if (!isObj(x)) throw errors.nestedBody(`The elements of '${key}' must be objects`, `${here}[${i}]`);
        out.push({ obj: x, path: `${here}[${i}]` });
      });
    } else {
      throw errors.nestedBody(kind === 'one' ? `'${key}' must be an object or null` : `'${key}' must be an array, an object or null`, here);
    }
  }
  return out;
}

function childDraft(cache: SchemaCache, parent: Draft, id: number, key: string, rel: WritableRelationship): Draft {
  const kind = kindOf(rel);
  const table = cache.tables.get(tableKey(rel.foreignTable.schema, rel.foreignTable.name)) as Table;
  const j = rel.kind === 'm2m' ? rel.junction : null;
  const level = {
    id, schema: table.schema, name: table.name, kind, parent: parent.level.id, key,
    pairs: rel.kind === 'fk' ? rel.columns : [],
    junction: j === null ? null : { schema: j.schema, name: j.name, parentPairs: j.sourceColumns, childPairs: j.targetColumns },
    connectKey: kind === 'many' ? [] : table.primaryKey,
  };
  const objects = childObjects(kind, key, parent.objects);
  for (const o of objects) {
    const connect = isConnect(o.obj, table.primaryKey);
    if (connect && kind === 'many') {
      throw errors.nestedBody(`An object with only the primary key of '${table.name}' would connect an existing row, which a to-many relationship cannot do`, o.path);
    }
    // The relationship sets these columns; the body may not give them too.
    if (kind === 'many') for (const [, c] of level.pairs) if (c in o.obj) throw errors.nestedBody(`'${c}' is set by the relationship '${key}'`, at(o.path, c));
  }
  if (kind === 'one') {
    for (const p of parent.objects) for (const [c] of level.pairs) {
      if (key in p.obj && c in p.obj) throw errors.nestedBody(`'${c}' is set by the relationship '${key}'`, at(p.path, c));
    }
  }
  return { level, table, objects };
}

/** Every level of the body, parents first; each object's keys checked against its relation. */
function drafts(req: ApiRequest, cache: SchemaCache, root: Draft, rootKeys: readonly RelationshipKey[]): Draft[] {
  const all: Draft[] = [root];
  for (let n = 0; n < all.length; n++) {
    const d = all[n] as Draft;
    const rels = new Map<string, WritableRelationship>(n === 0 ? rootKeys.map((k) => [k.key, k.rel]) : []);
    if (n > 0) {
      for (const { obj, path } of d.objects) for (const key of Object.keys(obj)) {
        if (d.table.columnsByName.has(key) || rels.has(key)) continue;
        const rel = relationshipOf(cache, req.schema, d.table, key);
        if (rel === null) throw errors.noColumnAt(key, d.table.name, at(path, key));
        rels.set(key, rel);
      }
    }
    for (const [key, rel] of rels) {
      if (all.length >= MAX_NESTED_LEVELS) throw errors.nestedBody(`A nested insert may have at most ${MAX_NESTED_LEVELS} levels`, at(d.objects[0]?.path ?? '', key));
      all.push(childDraft(cache, d, all.length, key, rel));
    }
  }
  return all;
}

/** The columns a child level writes from its objects' keys (connect objects write nothing). */
function levelColumns(req: ApiRequest, d: Draft): string[] {
  const inserts = d.objects.filter((o) => !(d.level.connectKey.length > 0 && isConnect(o.obj, d.level.connectKey)));
  const cols = (o: Located) => Object.keys(o.obj).filter((k) => d.table.columnsByName.has(k));
  const first = inserts[0] === undefined ? [] : cols(inserts[0]);
  const union = new Set(first);
  // As at the top: without ?columns= (or missing=default) every object of a level has the same keys.
  const strict = req.query.columns === null && req.preferences.missing !== 'default';
  for (const o of inserts) {
    const keys = cols(o);
    if (strict && (keys.length !== first.length || keys.some((k) => !union.has(k)))) throw errors.nestedBody('All object keys must match', o.path);
    for (const k of keys) union.add(k);
  }
  return [...union];
}

/**
 * The plan of a POST whose body holds relationship keys: `plan` is the flat insert of the root
 * (its columns without those keys), `payload` the whole body.
 */
export function planNestedInsert(plan: WritePlan, req: ApiRequest, cache: SchemaCache, table: Table, payload: RowsPayload, keys: readonly RelationshipKey[]): WritePlan {
  const m = plan.mutation;
  if (m.kind !== 'insert') return plan;
  const root: Draft = {
    level: { id: 0, schema: table.schema, name: table.name, kind: 'root', parent: null, key: null, pairs: [], junction: null, connectKey: [] },
    table,
    objects: rootObjects(payload),
  };
  const all = drafts(req, cache, root, keys);
  const embedded = representedTables(plan.representation);
  const missingDefault = req.preferences.missing === 'default';
  const levels = all.map((d): NestedLevel => {
    const columns = d.level.id === 0 ? m.columns : levelColumns(req, d);
    const fill = levelFill(d, all);
    const junction = d.level.junction;
    return {
      ...d.level,
      columns,
      defaults: d.level.id === 0 ? m.defaults : missingDefault ? columns.map((c) => columnDefault(d.table, c)) : null,
      fill,
      overriding: fill.some((f) => d.table.columnsByName.get(f.column)?.default === 'generated always as identity'),
      returning: embedded.has(tableKey(d.table.schema, d.table.name)) || (junction !== null && embedded.has(tableKey(junction.schema, junction.name))),
    };
  });
  return { ...plan, nested: { levels, isArray: payload.isArray } };
}
