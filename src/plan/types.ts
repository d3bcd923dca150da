// Plans: the request resolved against the schema cache — every name checked, every choice made.
// sql/ compiles them; response/ reads `media` and counts. Readonly data with `kind` tags.
import type { AggregateFn, FtsOperator, IsValue, JsonStep, QuantifiableOperator, SimpleOperator } from '../request/types.js';

/** A column reference with an optional JSON path; `toJsonb` wraps composite/array columns. */
export interface ColumnExpr {
  readonly column: string;
  readonly path: readonly JsonStep[];
  readonly toJsonb: boolean;
  /** A computed field (`fn(table)`): read from a CTE's plain records it needs the row typed. */
  readonly computed?: boolean;
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
      /** Data representation: the column's domain → json cast function formats it (plan/representations.ts). */
      readonly format?: MediaName;
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
  | {
      readonly kind: 'filter';
      readonly expr: ColumnExpr;
      readonly negated: boolean;
      readonly operation: PlannedOperation;
      /** Data representation: the text → domain cast function that parses the values. */
      readonly parse?: MediaName;
    }
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
  | {
      readonly kind: 'relation';
      readonly schema: string;
      readonly name: string;
      /** Read this relation's rows from a CTE of the statement instead (a write's RETURNING rows). */
      readonly from?: string;
    }
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

/**
 * A related resource embedded in its parent's rows: compiled to a lateral subquery aliased
 * `node.alias`, correlated with the parent by `join`.
 */
export interface EmbedPlan {
  readonly node: ReadNode;
  /** The name used in `select` (relation, FK or column name); filters may address it or `as`. */
  readonly name: string;
  /** Output key in the parent object (alias or name). */
  readonly as: string;
  readonly cardinality: 'one' | 'many';
  readonly joinType: 'inner' | 'left';
  /** `rel()`: joined for filtering only, adds nothing to the output. */
  readonly empty: boolean;
  /** `...rel(...)`: the columns lifted into the parent instead of one object/array (else null). */
  readonly spread: readonly SpreadColumn[] | null;
  readonly join: JoinSpec;
}

/**
 * A column a spread lifts into its parent. `name` is the child's output column (null: `count()`).
 * To-one spreads compute `aggregate` in the parent (PostgREST hoists them); to-many give arrays.
 */
export interface SpreadColumn {
  readonly name: string | null;
  readonly as: string;
  readonly aggregate: AggregateFn | null;
  readonly aggregateCast: string | null;
}

/** How the child's rows are correlated with the parent row. */
export type JoinSpec =
  /** child.column = parent.column for each [parent column, child column]. */
  | { readonly kind: 'columns'; readonly pairs: ReadonlyArray<readonly [string, string]> }
  | {
      readonly kind: 'junction';
      readonly schema: string;
      readonly table: string;
      readonly alias: string;
      /** Read the junction's rows from a CTE of the statement (a nested insert's new rows too). */
      readonly from?: string;
      /** parent column → junction column */
      readonly parentPairs: ReadonlyArray<readonly [string, string]>;
      /** junction column → child column */
      readonly childPairs: ReadonlyArray<readonly [string, string]>;
    }
  /** Computed relationship: the child rows are `schema.name(parent_row::parentType)`. */
  | { readonly kind: 'function'; readonly schema: string; readonly name: string; readonly parentType: { readonly schema: string; readonly name: string } };

export type OutputMedia =
  | { readonly kind: 'json' }
  | { readonly kind: 'object'; readonly stripNulls: boolean }
  | { readonly kind: 'array-stripped' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'openapi' }
  | { readonly kind: 'html' }
  /** Media types and plans beyond PostgREST's JSON/CSV (plan/media.ts, sql/media-body.ts). */
  | ExtraMedia;

/** A qualified name of a function or type used by a media handler. */
export interface MediaName { readonly schema: string; readonly name: string }

export type PlanOption = 'analyze' | 'verbose' | 'settings' | 'buffers' | 'wal';

export type ExtraMedia =
  /** application/geo+json: PostGIS's ST_AsGeoJSON of every row, in `schema` (where PostGIS lives). */
  | { readonly kind: 'geojson'; readonly postgisSchema: string }
  /**
   * text/plain, text/xml, application/octet-stream of one scalar column (or a function's scalar
   * value), every row's value concatenated. `binary`: the column is bytea (sent as raw bytes).
   */
  | { readonly kind: 'raw'; readonly mediaType: 'text/plain' | 'text/xml' | 'application/octet-stream'; readonly column: string; readonly binary: boolean }
  /**
   * A custom handler: an aggregate returning a domain named after the media type (called on every row,
   * cast to `castTo` when it serves one relation), or a function whose return domain names it
   * (`aggregate` null: the function's value, in `column`, is the body).
   */
  | {
      readonly kind: 'handler';
      readonly contentType: string;
      readonly aggregate: MediaName | null;
      readonly castTo: MediaName | null;
      /** The scalar column the aggregate or value reads (scalar functions), else the whole row. */
      readonly column: string | null;
      readonly binary: boolean;
    }
  /** Accept: application/vnd.pgrst.plan: EXPLAIN of the statement that would produce `for`. */
  | {
      readonly kind: 'plan';
      readonly format: 'json' | 'text';
      readonly options: readonly PlanOption[];
      readonly for: OutputMedia;
      /** The `for` media type as PostgREST names it in Content-Type. */
      readonly forType: string;
    };

export type CountMethod = 'exact' | 'planned' | 'estimated' | null;

export interface ReadPlan {
  readonly kind: 'read';
  readonly root: ReadNode;
  readonly media: OutputMedia;
  readonly count: CountMethod;
  readonly headOnly: boolean;
  readonly maxRows: number | null;
  /**
   * A page that may be large comes as several rows of at most this many JSON elements each, so no
   * single string (in PostgreSQL's reply, the driver or the response) holds the whole body; the
   * response writes the pieces in turn. null: the body is one value (small pages, objects, CSV).
   */
  readonly chunkRows: number | null;
}

/**
 * A column's default for missing=default: its expression as the catalog prints it (pg_get_expr,
 * trusted SQL from the database itself), or the next value of an identity column's sequence.
 */
export type ColumnDefault =
  | { readonly kind: 'expression'; readonly sql: string }
  | { readonly kind: 'identity'; readonly column: string };

/** What a POST/PATCH/PUT/DELETE changes (compiled by sql/write.ts). */
export type Mutation =
  | {
      readonly kind: 'insert';
      /** Every column named by the payload or `?columns=`, written for every row. */
      readonly columns: readonly string[];
      /**
       * missing=default: per column, what a row without that key takes — the column's default,
       * evaluated per row (null: NULL). null without missing=default (absent keys are NULL).
       */
      readonly defaults: ReadonlyArray<ColumnDefault | null> | null;
      readonly onConflict: { readonly columns: readonly string[]; readonly action: 'update' | 'nothing' } | null;
    }
  | {
      readonly kind: 'update';
      /** Columns set from the body, or to DEFAULT (missing=default with ?columns=). */
      readonly set: ReadonlyArray<{ readonly column: string; readonly value: 'body' | 'default' }>;
      readonly where: readonly Cond[];
    }
  | { readonly kind: 'delete'; readonly where: readonly Cond[] };

export interface WritePlan {
  readonly kind: 'write';
  readonly method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly schema: string;
  readonly name: string;
  /** The body rows as one JSON array text (null for DELETE). */
  readonly body: string | null;
  readonly mutation: Mutation;
  /** What RETURNING yields: nothing (return=minimal), the primary key (Location), or whole rows. */
  readonly returning: 'none' | 'pk' | 'all';
  /** return=representation: select/embeds over the RETURNING rows. */
  readonly representation: ReadNode | null;
  /** The columns RETURNING gives the representation (null: the whole row). */
  readonly returnColumns?: readonly string[] | null;
  readonly primaryKey: readonly string[];
  readonly media: OutputMedia;
  readonly count: boolean;
  /**
   * How upserts tell inserted rows: `xmax = 0`, or on a partitioned table (no system columns in its
   * RETURNING) the absence of the conflict key in the statement's snapshot.
   */
  readonly insertedBySnapshot?: boolean;
  /** Upserts tell inserted from updated rows (201 vs 200). */
  readonly detectInserted: boolean;
  /** Prefer: max-affected with handling=strict. */
  readonly maxAffected: number | null;
  /**
   * Data representations: columns whose body values go through their json → domain cast; with null,
   * a represented column the write does not take (outside ?columns=), whose key is dropped unread.
   */
  readonly parsers?: ReadonlyArray<readonly [string, MediaName | null]>;
  /** A POST whose body holds relationship keys: the related rows to insert (plan/nested-insert.ts). */
  readonly nested?: import('./nested-insert-types.js').NestedInsert;
}

/** One argument of a call: a text value cast to the argument's type, or a field of the JSON body. */
export interface CallArg {
  /** '' passes the value by position (a single unnamed parameter). */
  readonly name: string;
  readonly typeSchema: string;
  readonly typeName: string;
  readonly variadic: boolean;
  readonly value: { readonly kind: 'text'; readonly text: string } | { readonly kind: 'json-field' };
}

/** /rpc/<fn>: the call as a read over the function, plus how its result is shaped. */
export interface CallPlan {
  readonly kind: 'call';
  readonly read: ReadPlan;
  /** The arguments passed (sql/rpc.ts puts them into the read's function source). */
  readonly args: readonly CallArg[];
  /** A JSON object body, parsed once into the record `pgrst_args` (null: no JSON arguments). */
  readonly argsJson: string | null;
  /**
   * How argsJson holds the arguments: one object, an array whose first object is used, or an
   * array of objects each called once (`?columns=`, a bulk call).
   */
  readonly argsShape: 'object' | 'first' | 'bulk';
  /**
   * Non-null when the read is over the CTE `pgrst_call` instead of the function itself: a bulk call
   * (one call per argument row) or a function returning `record` (called in a select list).
   */
  readonly call: { readonly kind: 'from' | 'select-list'; readonly scalar: boolean } | null;
  readonly result: 'set' | 'single' | 'scalar' | 'scalar-set' | 'void';
  readonly readOnly: boolean;
  /** Function SET settings hoisted into the transaction (db-hoisted-tx-settings). */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  readonly maxAffected: number | null;
}
