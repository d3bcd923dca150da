// A hand-built schema cache for the pure embedding tests: directors ← films ↔ actors (roles),
// films_view over films, a computed relationship, one-to-one specs. No database involved.
import { buildRelationships, type ComputedFunction, type UniqueKey } from '../../src/schema-cache/relationships.js';
import {
  tableKey, type ForeignKey, type RelationKind, type SchemaCache, type Table, type ViewColumnSource,
} from '../../src/schema-cache/types.js';

export function table(name: string, cols: readonly string[], primaryKey: readonly string[] = ['id'], kind: RelationKind = 'table'): Table {
  const columns = cols.map((c, i) => ({
    name: c, type: 'integer', baseType: 'int4', category: 'N', nullable: true, default: null, generated: false,
    maxLength: null, enumValues: null, comment: null, position: i + 1,
  }));
  return {
    schema: 'api', name, kind, comment: null, insertable: true, updatable: true, deletable: true,
    columns, columnsByName: new Map(columns.map((c) => [c.name, c])), primaryKey, privileges: new Map(), rlsEnabled: false,
  };
}

export const fk = (name: string, t: string, columns: string[], refTable: string, refColumns: string[]): ForeignKey =>
  ({ name, schema: 'api', table: t, columns, refSchema: 'api', refTable, refColumns });

export const viewCol = (view: string, viewColumn: string, t: string, column: string): ViewColumnSource =>
  ({ viewSchema: 'api', view, viewColumn, schema: 'api', table: t, column });

export interface CacheParts {
  readonly tables: readonly Table[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly views?: readonly ViewColumnSource[];
  readonly uniques?: readonly UniqueKey[];
  readonly computed?: readonly ComputedFunction[];
}

export function cacheOf(parts: CacheParts): SchemaCache {
  const tables = new Map(parts.tables.map((t) => [tableKey(t.schema, t.name), t]));
  const pks: UniqueKey[] = parts.tables.filter((t) => t.primaryKey.length > 0)
    .map((t) => ({ schema: t.schema, table: t.name, primary: true, columns: [...t.primaryKey].sort() }));
  const viewColumnSources = parts.views ?? [];
  return {
    schemas: ['api'], tables, functions: new Map(), foreignKeys: parts.foreignKeys, viewColumnSources,
    relationships: buildRelationships({
      tables, foreignKeys: parts.foreignKeys, viewColumnSources, uniqueKeys: [...pks, ...(parts.uniques ?? [])], computed: parts.computed ?? [],
    }),
    roles: new Map(), timezones: new Set(), serverVersion: 170000, loadedAt: new Date(0),
  };
}

/** directors ← films (director_id) ↔ actors through roles; specs is one-to-one with films. */
export function filmsCache(): SchemaCache {
  return cacheOf({
    tables: [
      table('directors', ['id', 'name']),
      table('films', ['id', 'title', 'year', 'director_id']),
      table('actors', ['id', 'name']),
      table('roles', ['film_id', 'actor_id', 'character'], ['film_id', 'actor_id']),
      table('specs', ['film_id', 'runtime'], ['film_id']),
      table('films_view', ['id', 'title', 'dir'], [], 'view'),
    ],
    foreignKeys: [
      fk('films_director_id_fkey', 'films', ['director_id'], 'directors', ['id']),
      fk('roles_film_id_fkey', 'roles', ['film_id'], 'films', ['id']),
      fk('roles_actor_id_fkey', 'roles', ['actor_id'], 'actors', ['id']),
      fk('specs_film_id_fkey', 'specs', ['film_id'], 'films', ['id']),
    ],
    views: [viewCol('films_view', 'id', 'films', 'id'), viewCol('films_view', 'title', 'films', 'title'), viewCol('films_view', 'dir', 'films', 'director_id')],
    computed: [{ schema: 'api', name: 'first_film', parent: { schema: 'api', name: 'directors' }, target: { schema: 'api', name: 'films' }, toOne: true }],
  });
}
