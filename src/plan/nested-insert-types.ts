// The plan of a nested insert (POST with relationship keys): the tree of levels — one per
// relationship path in the body — that sql/nested-insert.ts compiles into data-modifying CTEs.
// Example: POST /orders {"title":"o","order_lines":[{"sku":"a"}]} → levels
//   [0] orders (root, columns [title], fill [id]), [1] order_lines (many under 0, pairs [[id, order_id]])
import type { ColumnDefault } from './types.js';

/**
 * How a level's rows relate to its parent level's rows:
 * - many: this level holds the foreign key (`pairs`: [parent column, this column]), inserted after;
 * - one: the parent holds the foreign key (`pairs`: [parent column, this column]), this level first;
 * - m2m: rows of this level plus junction rows linking them to the parent.
 */
export type NestedKind = 'root' | 'many' | 'one' | 'm2m';

/** A key column others read from this level, generated before the insert when a row lacks it. */
export interface NestedFill {
  readonly column: string;
  /** The column's default (null: the body must give the value). */
  readonly default: ColumnDefault | null;
}

export interface NestedJunction {
  readonly schema: string;
  readonly name: string;
  /** [parent column, junction column] and [junction column, this level's column]. */
  readonly parentPairs: ReadonlyArray<readonly [string, string]>;
  readonly childPairs: ReadonlyArray<readonly [string, string]>;
}

export interface NestedLevel {
  /** Index in `levels`; the root is 0 and every parent comes before its children. */
  readonly id: number;
  readonly schema: string;
  readonly name: string;
  readonly kind: NestedKind;
  readonly parent: number | null;
  /** The body key holding this level's objects in the parent's objects (null for the root). */
  readonly key: string | null;
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  readonly junction: NestedJunction | null;
  /** Columns written from the objects' own keys. */
  readonly columns: readonly string[];
  /** missing=default: what a row lacking a column's key takes (null: NULL); null otherwise. */
  readonly defaults: ReadonlyArray<ColumnDefault | null> | null;
  readonly fill: readonly NestedFill[];
  /** An object holding exactly these keys connects to an existing row (empty: never). */
  readonly connectKey: readonly string[];
  /** A filled column is an identity GENERATED ALWAYS: the INSERT says OVERRIDING SYSTEM VALUE. */
  readonly overriding: boolean;
  /** The representation reads this level's new rows (RETURNING *). */
  readonly returning: boolean;
}

export interface NestedInsert {
  readonly levels: readonly NestedLevel[];
  /** The body was an array (error paths start with `[i]`), not one object. */
  readonly isArray: boolean;
}

/** At most this many levels (relationship paths) in one body: a budget, checked before the database. */
export const MAX_NESTED_LEVELS = 64;
