// The parsed request: what the client asked for, before names are resolved against the schema.
// Produced by request/ (pure), consumed by plan/. All nodes are readonly data with a `kind` tag.
import type { ApiError } from '../errors/api-error.js';

/** One JSON arrow step: `->` keeps json, `->>` gives text. Keys that are integers index arrays. */
export interface JsonStep { readonly arrow: '->' | '->>'; readonly key: string }

/** A column, optionally followed by JSON arrows: `data->a->>b`. */
export interface Field { readonly name: string; readonly path: readonly JsonStep[] }

export type AggregateFn = 'count' | 'sum' | 'avg' | 'max' | 'min';

export type SelectItem =
  | { readonly kind: 'star' }
  | {
      readonly kind: 'field';
      readonly field: Field;
      readonly alias: string | null;
      readonly cast: string | null;
      readonly aggregate: AggregateFn | null;
      /** Cast applied to the aggregate's result: `amount.sum()::int`. */
      readonly aggregateCast: string | null;
    }
  /** `count()` on its own. */
  | { readonly kind: 'count'; readonly alias: string | null; readonly cast: string | null }
  | {
      readonly kind: 'embed';
      readonly name: string;
      readonly alias: string | null;
      /** `!fk_name` or `!column` disambiguation hint. */
      readonly hint: string | null;
      readonly joinType: 'inner' | 'left' | null;
      readonly spread: boolean;
      readonly select: readonly SelectItem[];
    };

export const simpleOperators = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'isdistinct', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj'] as const;
export type SimpleOperator = (typeof simpleOperators)[number];
export const quantifiableOperators = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch'] as const;
export type QuantifiableOperator = (typeof quantifiableOperators)[number];
export const ftsOperators = ['fts', 'plfts', 'phfts', 'wfts'] as const;
export type FtsOperator = (typeof ftsOperators)[number];
export const isValues = ['null', 'not_null', 'true', 'false', 'unknown'] as const;
export type IsValue = (typeof isValues)[number];

export type Operation =
  | { readonly kind: 'simple'; readonly op: SimpleOperator; readonly value: string }
  | { readonly kind: 'quantified'; readonly op: QuantifiableOperator; readonly quantifier: 'any' | 'all'; readonly values: readonly string[] }
  | { readonly kind: 'in'; readonly values: readonly string[] }
  | { readonly kind: 'is'; readonly value: IsValue }
  | { readonly kind: 'fts'; readonly op: FtsOperator; readonly language: string | null; readonly value: string };

export interface Filter {
  readonly kind: 'filter';
  readonly field: Field;
  readonly negated: boolean;
  readonly operation: Operation;
}

export interface LogicTree {
  readonly kind: 'logic';
  readonly op: 'and' | 'or';
  readonly negated: boolean;
  readonly children: readonly Condition[];
}

export type Condition = Filter | LogicTree;

export interface OrderTerm {
  /** `rel(col)` orders by a to-one related column. */
  readonly relation: string | null;
  readonly field: Field;
  readonly direction: 'asc' | 'desc' | null;
  readonly nulls: 'first' | 'last' | null;
}

/** A query-string parameter that applies at an embed path (empty path = the top level). */
export interface AtPath<T> { readonly path: readonly string[]; readonly value: T }

/**
 * A filter or logic parameter. Parse errors are kept, not thrown: on `GET /rpc/f?a=1` the
 * planner first takes the function's arguments out, and only the rest must be filters.
 */
export interface FilterParam {
  readonly key: string;
  readonly value: string;
  readonly path: readonly string[];
  readonly parsed: Condition | ApiError;
}

export interface QueryParams {
  /** null: no select given (all columns). */
  readonly select: readonly SelectItem[] | null;
  readonly filters: readonly FilterParam[];
  readonly order: readonly AtPath<readonly OrderTerm[]>[];
  readonly limit: readonly AtPath<number>[];
  readonly offset: readonly AtPath<number>[];
  readonly columns: readonly string[] | null;
  readonly onConflict: readonly string[] | null;
}

export interface MediaType {
  readonly type: string; // lowercased `type/subtype`
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

export interface Preferences {
  readonly return: 'minimal' | 'headers-only' | 'representation' | null;
  readonly count: 'exact' | 'planned' | 'estimated' | null;
  readonly resolution: 'merge-duplicates' | 'ignore-duplicates' | null;
  readonly missing: 'default' | 'null' | null;
  readonly handling: 'strict' | 'lenient' | null;
  readonly timezone: string | null;
  readonly maxAffected: number | null;
  readonly tx: 'commit' | 'rollback' | null;
  /** PeSquel's `read=primary`: read from the primary, not a read replica (read-your-writes). */
  readonly read: 'primary' | null;
  /** Preferences that were not understood, as sent. */
  readonly invalid: readonly string[];
}

export type Target =
  | { readonly kind: 'root' }
  | { readonly kind: 'relation'; readonly name: string }
  | { readonly kind: 'rpc'; readonly name: string };

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS';

export interface ApiRequest {
  readonly method: Method;
  readonly path: string;
  readonly target: Target;
  /** The schema chosen with Accept-Profile/Content-Profile (or the default). */
  readonly schema: string;
  /** True when the client named the schema explicitly or several are exposed (Content-Profile echo). */
  readonly schemaNegotiated: boolean;
  readonly query: QueryParams;
  readonly preferences: Preferences;
  readonly accept: readonly MediaType[];
  readonly contentType: MediaType | null;
  /** From the Range header (GET only): offset and inclusive upper bound. */
  readonly range: { readonly offset: number; readonly limit: number | null } | null;
  /** Lowercased request headers, for request.headers. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
  readonly body: Buffer | null;
  /**
   * Method, URL, schema and the headers parsing and planning read (Accept, Prefer, Range,
   * Content-Type) as one string: two requests with equal keys plan identically against the same
   * schema cache, whatever their other headers, cookies or token (compiled statements are cached by it).
   */
  readonly key: string;
}
