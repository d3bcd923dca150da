// Builds every relationship embedding can use, as PostgREST does: FKs in both directions
// (one-to-one when the FK columns are a PK/UNIQUE key), the same FKs inferred through views,
// many-to-many through junctions whose FKs are part of their PK, and computed relationships.
import type { Conn } from '../db/types.js';
import { computedRelationshipsSql, uniqueKeysSql } from './sql/relationships.sql.js';
import {
  tableKey,
  type ForeignKey, type QualifiedName, type Relationship, type Table, type ViewColumnSource,
} from './types.js';

/** A PRIMARY KEY or UNIQUE constraint, columns sorted by name. */
export interface UniqueKey { readonly schema: string; readonly table: string; readonly primary: boolean; readonly columns: readonly string[] }

/** A function `name(parent) RETURNS [SETOF] target`. */
export interface ComputedFunction {
  readonly schema: string;
  readonly name: string;
  readonly parent: QualifiedName;
  readonly target: QualifiedName;
  readonly toOne: boolean;
}

export interface RelationshipInputs {
  readonly tables: ReadonlyMap<string, Table>;
  readonly foreignKeys: readonly ForeignKey[];
  readonly viewColumnSources: readonly ViewColumnSource[];
  readonly uniqueKeys: readonly UniqueKey[];
  readonly computed: readonly ComputedFunction[];
}

type Row = Record<string, unknown>;
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export async function loadRelationshipInputs(conn: Conn, schemas: readonly string[]): Promise<Pick<RelationshipInputs, 'uniqueKeys' | 'computed'>> {
  const keys = (await conn.query<Row>(uniqueKeysSql)).rows;
  const fns = (await conn.query<Row>(computedRelationshipsSql, [schemas])).rows;
  return {
    uniqueKeys: keys.map((r) => ({
      schema: String(r.schema), table: String(r.table), primary: r.primary === true, columns: json<string[] | null>(r.columns) ?? [],
    })),
    computed: fns.map((r) => ({
      schema: String(r.schema),
      name: String(r.name),
      parent: { schema: String(r.parent_schema), name: String(r.parent_name) },
      target: { schema: String(r.target_schema), name: String(r.target_name) },
      toOne: r.to_one === true,
    })),
  };
}

/** One side of a FK as seen through a relation: the table itself or a view exposing the columns. */
interface End { readonly qn: QualifiedName; readonly columns: readonly string[] }

const sameQn = (a: QualifiedName, b: QualifiedName) => a.schema === b.schema && a.name === b.name;
const sortedKey = (cols: readonly string[]) => JSON.stringify([...cols].sort());
const zip = (a: readonly string[], b: readonly string[]) => a.map((x, i) => [x, b[i] as string] as const);

export function buildRelationships(inp: RelationshipInputs): Map<string, Relationship[]> {
  const isView = (qn: QualifiedName) => {
    const k = inp.tables.get(tableKey(qn.schema, qn.name))?.kind;
    return k === 'view' || k === 'materialized_view';
  };
  const exposed = (qn: QualifiedName) => inp.tables.has(tableKey(qn.schema, qn.name));
  const ends = endsResolver(inp.viewColumnSources);
  const uniques = new Set(inp.uniqueKeys.map((u) => `${tableKey(u.schema, u.table)}\0${sortedKey(u.columns)}`));
  const pks = new Map(inp.uniqueKeys.filter((u) => u.primary).map((u) => [tableKey(u.schema, u.table), new Set(u.columns)]));
  const out: Relationship[] = [];
  const base = (a: QualifiedName, b: QualifiedName) => ({
    table: a, foreignTable: b, tableIsView: isView(a), foreignTableIsView: isView(b), isSelf: sameQn(a, b),
  });

  for (const fk of inp.foreignKeys) {
    const oneToOne = uniques.has(`${tableKey(fk.schema, fk.table)}\0${sortedKey(fk.columns)}`);
    const children = ends({ schema: fk.schema, name: fk.table }, fk.columns);
    const parents = ends({ schema: fk.refSchema, name: fk.refTable }, fk.refColumns);
    for (const c of children) {
      for (const p of parents) {
        out.push({ ...base(c.qn, p.qn), kind: 'fk', cardinality: oneToOne ? 'one-to-one' : 'many-to-one', constraint: fk.name, columns: zip(c.columns, p.columns), isParent: false });
        out.push({ ...base(p.qn, c.qn), kind: 'fk', cardinality: oneToOne ? 'one-to-one' : 'one-to-many', constraint: fk.name, columns: zip(p.columns, c.columns), isParent: true });
      }
    }
  }

  // The junction itself when exposed or not shown by any view; else the views of exposed schemas
  // that show both FKs' columns (a junction table kept in a private schema behind a view).
  const junctionEnds = (fk1: ForeignKey, fk2: ForeignKey): End[] => {
    const qn = { schema: fk1.schema, name: fk1.table };
    const all = ends(qn, [...fk1.columns, ...fk2.columns]);
    return exposed(qn) || all.length === 1 ? all.slice(0, 1) : all.slice(1);
  };

  // Junctions: every ordered pair of distinct FKs of one table whose columns all lie in its PK.
  const byTable = new Map<string, ForeignKey[]>();
  for (const fk of inp.foreignKeys) byTable.set(tableKey(fk.schema, fk.table), [...(byTable.get(tableKey(fk.schema, fk.table)) ?? []), fk]);
  for (const [key, fks] of byTable) {
    const pk = pks.get(key);
    if (!pk) continue;
    for (const fk1 of fks) {
      for (const fk2 of fks) {
        if (fk1 === fk2 || ![...fk1.columns, ...fk2.columns].every((c) => pk.has(c))) continue;
        for (const j of junctionEnds(fk1, fk2)) {
          const jc1 = j.columns.slice(0, fk1.columns.length);
          const jc2 = j.columns.slice(fk1.columns.length);
          for (const a of ends({ schema: fk1.refSchema, name: fk1.refTable }, fk1.refColumns)) {
            for (const b of ends({ schema: fk2.refSchema, name: fk2.refTable }, fk2.refColumns)) {
              out.push({
                ...base(a.qn, b.qn),
                kind: 'm2m',
                junction: {
                  schema: j.qn.schema, name: j.qn.name, constraint1: fk1.name, constraint2: fk2.name,
                  sourceColumns: zip(a.columns, jc1), targetColumns: zip(jc2, b.columns),
                },
              });
            }
          }
        }
      }
    }
  }

  // A computed relationship replaces detected ones from its parent to a relation of its name.
  const overridden = new Set(inp.computed.map((f) => `${tableKey(f.parent.schema, f.parent.name)}\0${tableKey(f.schema, f.name)}`));
  const kept = out.filter((r) => !overridden.has(`${tableKey(r.table.schema, r.table.name)}\0${tableKey(r.foreignTable.schema, r.foreignTable.name)}`));
  for (const f of inp.computed) {
    kept.push({ ...base(f.parent, f.target), kind: 'computed', function: { schema: f.schema, name: f.name }, toOne: f.toOne });
  }

  const map = new Map<string, Relationship[]>();
  for (const r of kept) {
    if (!exposed(r.table) || !exposed(r.foreignTable)) continue;
    const k = tableKey(r.table.schema, r.table.name);
    map.set(k, [...(map.get(k) ?? []), r]);
  }
  for (const list of map.values()) list.sort(compareRelationships);
  return map;
}

/**
 * The relation itself plus every view that exposes all `columns` of it (first view column per
 * base column, in view column order), with the view's names for those columns.
 */
function endsResolver(sources: readonly ViewColumnSource[]) {
  const byBase = new Map<string, Map<string, { qn: QualifiedName; cols: Map<string, string> }>>();
  for (const s of sources) {
    const bk = tableKey(s.schema, s.table);
    const views = byBase.get(bk) ?? new Map<string, { qn: QualifiedName; cols: Map<string, string> }>();
    byBase.set(bk, views);
    const vk = tableKey(s.viewSchema, s.view);
    const v = views.get(vk) ?? { qn: { schema: s.viewSchema, name: s.view }, cols: new Map<string, string>() };
    views.set(vk, v);
    if (!v.cols.has(s.column)) v.cols.set(s.column, s.viewColumn);
  }
  return (qn: QualifiedName, columns: readonly string[]): End[] => {
    const out: End[] = [{ qn, columns }];
    for (const v of byBase.get(tableKey(qn.schema, qn.name))?.values() ?? []) {
      const mapped = columns.map((c) => v.cols.get(c));
      if (mapped.every((c): c is string => c !== undefined)) out.push({ qn: v.qn, columns: mapped });
    }
    return out;
  };
}

const cardinalityOrder = { 'one-to-many': 0, 'many-to-one': 1, 'one-to-one': 2, 'many-to-many': 3, computed: 4 } as const;

export function cardinalityOf(r: Relationship): keyof typeof cardinalityOrder {
  return r.kind === 'fk' ? r.cardinality : r.kind === 'm2m' ? 'many-to-many' : 'computed';
}

/** PostgREST's order: origin, foreign table, self-reference, cardinality, constraint. */
function compareRelationships(a: Relationship, b: Relationship): number {
  const key = (r: Relationship) => [
    r.foreignTable.schema, r.foreignTable.name, r.isSelf ? '1' : '0', String(cardinalityOrder[cardinalityOf(r)]),
    r.kind === 'fk' ? r.constraint : r.kind === 'm2m' ? `${r.junction.name}\0${r.junction.constraint1}\0${r.junction.constraint2}` : r.function.name,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    const c = (ka[i] as string).localeCompare(kb[i] as string);
    if (c !== 0) return c;
  }
  return 0;
}
