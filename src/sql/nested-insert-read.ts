// A nested insert's representation: its embeds read the tables the statement inserted into, whose
// new rows the statement's snapshot does not show, so each such embed reads the table's rows plus
// the RETURNING rows of those inserts (a CTE per embed, referenced once, so PostgreSQL inlines it
// and the embed's join condition still reaches the table's indexes).
// Example: select=id,order_lines(sku) → the embed reads
//   pgrst_u1 AS (SELECT * FROM "api"."order_lines" UNION ALL SELECT * FROM pgrst_i1)
import type { NestedLevel } from '../plan/nested-insert-types.js';
import type { ReadNode, SelectExpr } from '../plan/types.js';
import { tableKey } from '../schema-cache/types.js';
import { cteName } from './nested-insert-data.js';
import { join, qualified, sql, type Sql } from './sql.js';

export interface NewRowsRead {
  readonly node: ReadNode | null;
  readonly ctes: readonly Sql[];
}

/** tableKey → the CTEs returning that relation's new rows (level inserts and junction inserts). */
function newRowSources(levels: readonly NestedLevel[]): Map<string, Sql[]> {
  const out = new Map<string, Sql[]>();
  const add = (schema: string, name: string, cte: Sql) => {
    const k = tableKey(schema, name);
    out.set(k, [...(out.get(k) ?? []), cte]);
  };
  for (const l of levels) {
    if (l.returning) add(l.schema, l.name, cteName('i', l.id));
    if (l.junction !== null && l.returning) add(l.junction.schema, l.junction.name, cteName('j', l.id));
  }
  return out;
}

export function newRowsRepresentation(node: ReadNode | null, levels: readonly NestedLevel[]): NewRowsRead {
  if (node === null) return { node, ctes: [] };
  const sources = newRowSources(levels);
  const ctes: Sql[] = [];
  /** A CTE of the relation's rows and its new rows; its name, or undefined when nothing was inserted. */
  const union = (schema: string, name: string): string | undefined => {
    const news = sources.get(tableKey(schema, name));
    if (news === undefined) return undefined;
    const cte = `pgrst_u${ctes.length + 1}`;
    const all = join([sql`SELECT * FROM ${qualified(schema, name)}`, ...news.map((n) => sql`SELECT * FROM ${n}`)], ' UNION ALL ');
    ctes.push(sql`${cteName('u', ctes.length + 1)} AS (${all})`);
    return cte;
  };
  const visit = (n: ReadNode): ReadNode => ({
    ...n,
    select: n.select.map((s): SelectExpr => {
      if (s.kind !== 'embed') return s;
      const e = s.embed;
      const src = e.node.source;
      const from = src.kind === 'relation' && src.from === undefined ? union(src.schema, src.name) : undefined;
      const child = visit(e.node);
      const node = from === undefined || src.kind !== 'relation' ? child : { ...child, source: { ...src, from } };
      const j = e.join;
      const jfrom = j.kind === 'junction' ? union(j.schema, j.table) : undefined;
      const joinSpec = j.kind === 'junction' && jfrom !== undefined ? { ...j, from: jfrom } : j;
      return { ...s, embed: { ...e, node, join: joinSpec } };
    }),
  });
  return { node: visit(node), ctes };
}
