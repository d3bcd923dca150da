// Spread embeds (`...rel(cols)`): the columns they lift into the parent. To-one spreads hoist
// their aggregates into the parent (PostgREST: `...customers(country),amount.sum()` groups the
// parent by the customer's country); to-many spreads (v13) give one array per column.
import { errors } from '../errors/codes.js';
import type { Table } from '../schema-cache/types.js';
import type { ReadNode, SelectExpr, SpreadColumn } from './types.js';

const plain = (name: string): SpreadColumn => ({ name, as: name, aggregate: null, aggregateCast: null });

export function liftSpread(node: ReadNode, table: Table, toOne: boolean): { node: ReadNode; columns: SpreadColumn[] } {
  // As PostgREST v13: a to-many spread gives arrays, which cannot be aggregated in the parent.
  if (!toOne && node.select.some((s) => s.kind === 'count' || (s.kind === 'column' && s.aggregate !== null))) {
    throw errors.notImplemented('Aggregates are not implemented for one-to-many or many-to-many spreads.');
  }
  const select: SelectExpr[] = [];
  const columns: SpreadColumn[] = [];
  for (const s of node.select) {
    switch (s.kind) {
      case 'star':
        select.push(s);
        columns.push(...table.columns.map((c) => plain(c.name)));
        break;
      case 'column':
        if (toOne && s.aggregate !== null) {
          // The child selects the raw value under a private name; the parent aggregates it.
          const name = `pgrst_spread_${columns.length}`;
          select.push({ ...s, aggregate: null, aggregateCast: null, as: name });
          columns.push({ name, as: s.as ?? s.aggregate, aggregate: s.aggregate, aggregateCast: s.aggregateCast });
        } else {
          select.push(s);
          columns.push(plain(s.as ?? s.expr.column));
        }
        break;
      case 'count':
        if (toOne) {
          columns.push({ name: null, as: s.as, aggregate: 'count', aggregateCast: s.cast });
        } else {
          select.push(s);
          columns.push(plain(s.as));
        }
        break;
      case 'embed':
        // A to-one spread inside a to-one spread: its aggregates rise further, to the first
        // parent that is not spread (PostgREST groups the top by every lifted column).
        if (toOne && s.embed.spread && s.embed.cardinality === 'one' && s.embed.spread.some((c) => c.aggregate !== null)) {
          const inner: SpreadColumn[] = [];
          for (const c of s.embed.spread) {
            if (c.aggregate === null) {
              inner.push(c);
              columns.push(plain(c.as));
            } else if (c.name === null) {
              columns.push(c);
            } else {
              const name = `pgrst_spread_${columns.length}`;
              inner.push({ name: c.name, as: name, aggregate: null, aggregateCast: null });
              columns.push({ ...c, name });
            }
          }
          select.push({ kind: 'embed', embed: { ...s.embed, spread: inner } });
          break;
        }
        select.push(s);
        if (s.embed.spread) columns.push(...s.embed.spread.map((c) => plain(c.as)));
        else if (!s.embed.empty) columns.push(plain(s.embed.as));
        break;
    }
  }
  return { node: { ...node, select }, columns };
}
