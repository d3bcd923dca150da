// The schema cache: an immutable snapshot of what the exposed schemas contain.
// Built by load.ts from the catalog; read by plan/, openapi/ and admin; never mutated.

export interface Column {
  readonly name: string;
  /** format_type() of the column, e.g. `character varying(20)`, `integer[]`. */
  readonly type: string;
  /** Base type name after domains, e.g. `int4`, `jsonb`, `_text`, `tsvector`. */
  readonly baseType: string;
  /** pg_type.typcategory of the base type: A array, B bool, C composite, D datetime, E enum, N numeric, S string, U user (json*), R range… */
  readonly category: string;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly generated: boolean;
  readonly maxLength: number | null;
  readonly enumValues: readonly string[] | null;
  readonly comment: string | null;
  readonly position: number;
}

export type RelationKind = 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table';

export interface Table {
  readonly schema: string;
  readonly name: string;
  readonly kind: RelationKind;
  readonly comment: string | null;
  readonly insertable: boolean;
  readonly updatable: boolean;
  readonly deletable: boolean;
  readonly columns: readonly Column[];
  readonly columnsByName: ReadonlyMap<string, Column>;
  readonly primaryKey: readonly string[];
  /** Roles (that the connecting role may switch to) → privileges held on this relation. */
  readonly privileges: ReadonlyMap<string, ReadonlySet<'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'>>;
  readonly rlsEnabled: boolean;
}

export interface FunctionArg {
  readonly name: string;
  readonly type: string;
  readonly baseType: string;
  /** The argument type's own schema and name (`pg_catalog`, `_int4`), for casts built with qualified(). */
  readonly typeSchema?: string;
  readonly typeName?: string;
  readonly hasDefault: boolean;
  readonly variadic: boolean;
}

export interface Func {
  readonly schema: string;
  readonly name: string;
  readonly oid: number;
  readonly args: readonly FunctionArg[];
  readonly returnType: string;
  /** The relation returned, when the function returns a table's row type (SETOF tbl / tbl). */
  readonly returnsRelation: { readonly schema: string; readonly name: string } | null;
  readonly returnsSet: boolean;
  /** RETURNS TABLE(...) / OUT params: composite record columns. */
  readonly returnsComposite: boolean;
  readonly returnsScalar: boolean;
  readonly returnsVoid: boolean;
  readonly volatility: 'i' | 's' | 'v';
  /** ROWS estimate: 1 marks a to-one computed relationship. */
  readonly rows: number;
  readonly comment: string | null;
  /** Function-level SET settings: [name, value]. */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  readonly executableBy: ReadonlySet<string>;
}

/** A foreign key constraint, as stored (child → parent). */
export interface ForeignKey {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly refSchema: string;
  readonly refTable: string;
  readonly refColumns: readonly string[];
}

/** A view column that is a plain reference to a base-table column. */
export interface ViewColumnSource {
  readonly viewSchema: string;
  readonly view: string;
  readonly viewColumn: string;
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

export interface QualifiedName { readonly schema: string; readonly name: string }

/** A junction table linking two relations many-to-many (its FKs are part of its primary key). */
export interface Junction {
  readonly schema: string;
  readonly name: string;
  /** FK from the junction to the origin side, and to the foreign side. */
  readonly constraint1: string;
  readonly constraint2: string;
  /** [origin column, junction column] and [junction column, foreign column]. */
  readonly sourceColumns: ReadonlyArray<readonly [string, string]>;
  readonly targetColumns: ReadonlyArray<readonly [string, string]>;
}

/**
 * A relationship seen from its origin `table` (PostgREST's Relationship): a foreign key in either
 * direction (also inferred through views), a many-to-many junction, or a computed relationship
 * (a function `fn(table) RETURNS SETOF foreignTable`). Built once per snapshot by relationships.ts.
 */
export type Relationship =
  | (RelationshipEnds & {
      readonly kind: 'fk';
      readonly cardinality: 'many-to-one' | 'one-to-many' | 'one-to-one';
      readonly constraint: string;
      /** [origin column, foreign column] pairs of the constraint. */
      readonly columns: ReadonlyArray<readonly [string, string]>;
      /** The origin is the referenced side (one-to-many, or one-to-one seen from the parent). */
      readonly isParent: boolean;
    })
  | (RelationshipEnds & { readonly kind: 'm2m'; readonly junction: Junction })
  | (RelationshipEnds & { readonly kind: 'computed'; readonly function: QualifiedName; readonly toOne: boolean });

export interface RelationshipEnds {
  readonly table: QualifiedName;
  readonly foreignTable: QualifiedName;
  readonly tableIsView: boolean;
  readonly foreignTableIsView: boolean;
  readonly isSelf: boolean;
}

export interface RoleInfo {
  readonly name: string;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  /** ALTER ROLE … SET settings applied to requests run as this role. */
  readonly settings: ReadonlyArray<readonly [string, string]>;
}

export interface SchemaCache {
  readonly schemas: readonly string[];
  /** Key: tableKey(schema, name) — names joined with NUL, which no identifier can contain. */
  readonly tables: ReadonlyMap<string, Table>;
  readonly functions: ReadonlyMap<string, readonly Func[]>;
  readonly foreignKeys: readonly ForeignKey[];
  readonly viewColumnSources: readonly ViewColumnSource[];
  /** Relationships by tableKey of their origin relation (only relations of exposed schemas). */
  readonly relationships: ReadonlyMap<string, readonly Relationship[]>;
  readonly roles: ReadonlyMap<string, RoleInfo>;
  readonly timezones: ReadonlySet<string>;
  readonly serverVersion: number;
  readonly loadedAt: Date;
  /** Custom media-type handlers (aggregates and functions returning a media-type domain). */
  readonly mediaHandlers?: readonly MediaHandler[];
  /** The schema where PostGIS's ST_AsGeoJSON lives (application/geo+json), null without PostGIS. */
  readonly postgisSchema?: string | null;
  /** Data representations by tableKey, then column name (columns of domains with json/text casts). */
  readonly representations?: ReadonlyMap<string, ReadonlyMap<string, ColumnRepresentation>>;
}

/**
 * The cast functions of a column's domain (PostgREST's data representations): `toJson` formats the
 * output, `fromJson` parses request bodies, `fromText` parses filter values. Null: no such cast.
 */
export interface ColumnRepresentation {
  readonly toJson: QualifiedName | null;
  readonly fromJson: QualifiedName | null;
  readonly fromText: QualifiedName | null;
}

/**
 * A media type a database object serves (PostgREST's media handlers): an aggregate over a relation's
 * row type (`target` that relation) or over `anyelement` (target null: every relation), returning a
 * domain named after the media type; or a function returning such a domain (kind 'function',
 * `target` the function itself).
 */
export interface MediaHandler {
  readonly kind: 'aggregate' | 'function';
  readonly schema: string;
  readonly name: string;
  readonly target: { readonly schema: string; readonly name: string } | null;
  /** The domain's name, lowercased: `text/tab-separated-values`, `*\/*`. */
  readonly mediaType: string;
  /** What Content-Type says: the domain's name, `application/octet-stream` for `*\/*`. */
  readonly resolvedType: string;
  /** The domain's base type is bytea: the body is raw bytes. */
  readonly binary: boolean;
}

export const tableKey = (schema: string, name: string) => `${schema}\u0000${name}`;
