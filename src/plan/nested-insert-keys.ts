// Which body keys of a write name a relationship instead of a column (the names and `!hint`s that
// `select=` embedding accepts), and the refusal of nested keys outside plain inserts (PGRST192).
// Example: POST /orders {"title":"o","order_lines":[…]} → [{ key: 'order_lines', rel: orders → order_lines }]
import { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import type { RowsPayload } from '../request/body.js';
import type { ApiRequest } from '../request/types.js';
import type { Relationship, SchemaCache, Table } from '../schema-cache/types.js';
import { findRelationship } from './relationships.js';

/** A relationship a nested insert can write through (computed relationships are read-only). */
export type WritableRelationship = Extract<Relationship, { kind: 'fk' | 'm2m' }>;

export interface RelationshipKey {
  readonly key: string;
  readonly rel: WritableRelationship;
}

/**
 * The relationship `key` names from `table`, or null when it is a column (a column keeps its
 * meaning, e.g. a jsonb column named like a relationship) or names nothing (today's PGRST204).
 * Several matches are the same 300 PGRST201 as in `select=`, whose hint shows the `!hint` to add.
 */
export function relationshipOf(cache: SchemaCache, schema: string, table: Table, key: string): WritableRelationship | null {
  if (table.columnsByName.has(key)) return null;
  const bang = key.indexOf('!');
  const name = bang < 0 ? key : key.slice(0, bang);
  const hint = bang < 0 ? null : key.slice(bang + 1);
  if (name === '' || hint === '') return null;
  try {
    const rel = findRelationship(cache, schema, table.name, table.name, name, hint);
    return rel.kind === 'computed' ? null : rel;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'PGRST200') return null;
    throw err;
  }
}

/** The top-level keys of a write body (or of `?columns=`) that name relationships; [] for most writes. */
export function relationshipKeys(req: ApiRequest, cache: SchemaCache, table: Table, payload: RowsPayload | null): RelationshipKey[] {
  if (payload === null) return [];
  const keys = req.query.columns ?? payload.keys;
  // The common case costs one lookup per key: every key is a column.
  if (keys.every((k) => table.columnsByName.has(k))) return [];
  const out: RelationshipKey[] = [];
  for (const key of new Set(keys)) {
    const rel = relationshipOf(cache, req.schema, table, key);
    if (rel !== null) out.push({ key, rel });
  }
  return out;
}

/** PATCH, PUT and upserts with nested keys: 400 PGRST192 naming the key (their semantics are a later step). */
export function refuseNestedWrite(req: ApiRequest, table: Table, keys: readonly RelationshipKey[]): void {
  const first = keys[0];
  if (first === undefined) return;
  if (req.method !== 'POST') throw errors.nestedWriteMethod(req.method, first.key, table.name);
  const r = req.preferences.resolution;
  if (r !== null) throw errors.nestedWriteMethod(`An upsert (resolution=${r})`, first.key, table.name);
}
