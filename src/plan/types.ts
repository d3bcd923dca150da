// Plans: the request resolved against the schema cache — every name checked, every choice made.
// sql/ compiles them; response/ reads `media` and counts. Readonly data with `kind` tags.
import type { AggregateFn, FtsOperator, IsValue, JsonStep, QuantifiableOperator, SimpleOperator } from '../request/types.js';

/** A column reference with an optional JSON path; `toJsonb` wraps composite/array columns. */
export interface ColumnExpr {
  readonly column: string;
  readonly path: readonly JsonStep[];
  readonly toJsonb: boolean;
}

export type SelectExpr =
  | { readonly kind: 'star' }
  | {
      readonly kind: 'column';
      readonly expr: ColumnExpr;
      readonly cast: string | null;
      readonly aggregate: AggregateFn | null;
      readonly aggregateCast: string | null;
      /** Output key; null keeps PostgreSQL's own name (plain columns without alias). */
      readonly as: string | null;
    }
  | { readonly kind: 'count'; readonly cast: string | null; readonly as: string }
  | { readonly kind: 'embed'; readonly embed: EmbedPlan };

export type PlannedOperation =
  | { readonly kind: 'simple'; readonly op: SimpleOperator; readonly value: string }
  | { readonly kind: 'quantified'; readonly op: QuantifiableOperator; readonly quantifier: 'any' | 'all'; readonly values: readonly string[] }
  | { readonly kind: 'in'; readonly values: readonly string[] }
  | { readonly kind: 'is'; readonly value: IsValue }
  | { readonly kind: 'fts'; readonly op: FtsOperator; readonly language: string | null; readonly value: string; readonly isTsvector: boolean };

export type Cond =
  | { readonly kind: 'filter'; readonly expr: ColumnExpr; readonly negated: boolean; readonly operation: PlannedOperation }
  | { readonly kind: 'logic'; readonly op: 'and' | 'or'; readonly negated: boolean; readonly children: readonly Cond[] }
  /** `rel=is.null` / `rel=not.is.null` on an embed: tests whether the embed produced rows. */
  | { readonly kind: 'embed-null'; readonly alias: string; readonly isNull: boolean };

export interface OrderExpr {
  /** SQL alias of a to-one embed when ordering by a related column. */
  readonly embedAlias: string | null;
  readonly expr: ColumnExpr;
  readonly direction: 'asc' | 'desc' | null;
  readonly nulls: 'first' | 'last' | null;
}

/** Where a read node's rows come from. */
export type Source =
  | { readonly kind: 'relation'; readonly schema: string; readonly name: string }
  | {
      readonly kind: 'function';
      readonly schema: string;
      readonly name: string;
      /** Named arguments: value null sends SQL NULL; `type` casts the argument. */
      readonly args: ReadonlyArray<{ readonly name: string; readonly value: import('../sql/sql.js').Param | import('../sql/sql.js').Sql; readonly type: string; readonly variadic: boolean }>;
      readonly returnsScalar: boolean;
    };

export interface ReadNode {
  readonly source: Source;
  /** The SQL alias rows of this node are referred to by. */
  readonly alias: string;
  readonly select: readonly SelectExpr[];
  readonly where: readonly Cond[];
  readonly order: readonly OrderExpr[];
  readonly limit: number | null;
  readonly offset: number;
}

/** A related resource embedded in its parent's rows (filled in by the embedding planner). */
export interface EmbedPlan {
  readonly node: ReadNode;
  /** Output key in the parent object. */
  readonly as: string;
  readonly cardinality: 'one' | 'many';
  readonly joinType: 'inner' | 'left';
  readonly spread: boolean;
  /** Join condition columns: parent column → child column (after junction for M2M). */
  readonly join: JoinSpec;
}

export type JoinSpec =
  | { readonly kind: 'columns'; readonly pairs: ReadonlyArray<readonly [string, string]> }
  | {
      readonly kind: 'junction';
      readonly schema: string;
      readonly table: string;
      readonly alias: string;
      /** parent column → junction column */
      readonly parentPairs: ReadonlyArray<readonly [string, string]>;
      /** junction column → child column */
      readonly childPairs: ReadonlyArray<readonly [string, string]>;
    }
  | { readonly kind: 'function'; readonly schema: string; readonly name: string; readonly parentRelation: string };

export type OutputMedia =
  | { readonly kind: 'json' }
  | { readonly kind: 'object'; readonly stripNulls: boolean }
  | { readonly kind: 'array-stripped' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'openapi' }
  | { readonly kind: 'html' };

export type CountMethod = 'exact' | 'planned' | 'estimated' | null;

export interface ReadPlan {
  readonly kind: 'read';
  readonly root: ReadNode;
  readonly media: OutputMedia;
  readonly count: CountMethod;
  readonly headOnly: boolean;
  readonly maxRows: number | null;
}
