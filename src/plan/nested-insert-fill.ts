// The key columns of a nested insert's level that other levels read (the parent side of a foreign
// key, a junction's ends), generated before the INSERT when a row lacks them; and which tables a
// representation embeds (their new rows must be visible to it).
// Example: orders with order_lines (order_lines.order_id → orders.id) → orders fills [id] with
//   nextval('orders_id_seq') for each row that gives no id.
import { errors } from '../errors/codes.js';
import { tableKey } from '../schema-cache/types.js';
import { columnDefault } from './column-default.js';
import type { Located } from './nested-insert.js';
import type { NestedFill, NestedLevel } from './nested-insert-types.js';
import { isConnect } from './nested-insert.js';
import type { ReadNode } from './types.js';
import type { Table } from '../schema-cache/types.js';

interface DraftLike {
  readonly level: Pick<NestedLevel, 'id' | 'kind' | 'parent' | 'pairs' | 'junction' | 'connectKey' | 'key'>;
  readonly table: Table;
  readonly objects: readonly Located[];
}

/** The columns of `d` that its children and its parent read. */
function readColumns(d: DraftLike, all: readonly DraftLike[]): string[] {
  const out = new Set<string>();
  for (const c of all) {
    if (c.level.parent !== d.level.id) continue;
    if (c.level.kind === 'many') for (const [p] of c.level.pairs) out.add(p);
    if (c.level.kind === 'm2m') for (const [p] of c.level.junction?.parentPairs ?? []) out.add(p);
  }
  if (d.level.kind === 'one') for (const [, c] of d.level.pairs) out.add(c);
  if (d.level.kind === 'm2m') for (const [, c] of d.level.junction?.childPairs ?? []) out.add(c);
  return [...out];
}

export function levelFill(d: DraftLike, all: readonly DraftLike[]): NestedFill[] {
  const name = d.table.name;
  // A to-one child sets these columns of `d` at insert time, after the keys are generated.
  const setByToOne = new Set(all.filter((c) => c.level.parent === d.level.id && c.level.kind === 'one').flatMap((c) => c.level.pairs.map(([p]) => p)));
  return readColumns(d, all).map((column) => {
    const col = d.table.columnsByName.get(column);
    if (col === undefined || (col.generated && columnDefault(d.table, column)?.kind !== 'identity') || setByToOne.has(column)) {
      throw errors.nestedBody(`The key '${column}' of '${name}' cannot be known before the insert (a generated column or one set by another relationship)`, d.objects[0]?.path ?? '');
    }
    const def = columnDefault(d.table, column);
    for (const o of d.objects) {
      const connect = d.level.connectKey.length > 0 && isConnect(o.obj, d.level.connectKey);
      if (connect && !d.level.connectKey.includes(column)) {
        throw errors.nestedBody(`Connecting a '${name}' row by its primary key needs the relationship to use it, not '${column}'`, o.path);
      }
      if (def === null && !(column in o.obj)) throw errors.nestedBody(`'${column}' of '${name}' has no default: give it in the body`, o.path);
    }
    return { column, default: def };
  });
}

/** tableKeys of every relation (and junction) a representation embeds, at any depth. */
export function representedTables(node: ReadNode | null): Set<string> {
  const out = new Set<string>();
  const visit = (n: ReadNode) => {
    for (const s of n.select) {
      if (s.kind !== 'embed') continue;
      const src = s.embed.node.source;
      if (src.kind === 'relation') out.add(tableKey(src.schema, src.name));
      const j = s.embed.join;
      if (j.kind === 'junction') out.add(tableKey(j.schema, j.table));
      visit(s.embed.node);
    }
  };
  if (node !== null) visit(node);
  return out;
}
