// The table designer's typed description of a table (what the client edits and sends back) and
// the shape check that turns untrusted JSON into it, with a clear error naming the bad field.
import { AdminError } from '../errors.js';
import { policyCommands, type PolicySpec } from '../policy-sql.js';

export type Identity = 'always' | 'by-default';
export const fkActions = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const;
export type FkAction = (typeof fkActions)[number];
export const indexMethods = ['btree', 'hash', 'gist', 'gin', 'brin', 'spgist'] as const;
export type IndexMethod = (typeof indexMethods)[number];

export interface ColumnSpec {
  readonly name: string;
  /** The column's current name when altering (a different `name` renames it); absent: a new column. */
  readonly from?: string;
  /** A type as the picker lists it: `integer`, `character varying(20)`, `public.mood`, `text[]`. */
  readonly type: string;
  readonly nullable: boolean;
  /** An SQL expression (typed by the owner on purpose). */
  readonly default: string | null;
  readonly identity: Identity | null;
  /** GENERATED ALWAYS AS (expression) STORED. */
  readonly generated: string | null;
}

export interface KeySpec { readonly name: string | null; readonly columns: readonly string[] }
export interface CheckSpec { readonly name: string | null; readonly expression: string }
export interface ForeignKeySpec {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly refSchema: string;
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
}
export interface IndexSpec {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly method: IndexMethod;
  /** An existing index the designer cannot describe (expressions, WHERE): kept or dropped as a whole. */
  readonly definition?: string;
}

export const privileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;
export type Privilege = (typeof privileges)[number];
/** Privileges granted with this change (the API's roles need them to see a new table). */
export interface GrantSpec { readonly role: string; readonly privileges: readonly Privilege[] }

export interface TableSpec {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: KeySpec | null;
  readonly uniques: readonly KeySpec[];
  readonly checks: readonly CheckSpec[];
  readonly foreignKeys: readonly ForeignKeySpec[];
  readonly indexes: readonly IndexSpec[];
  readonly rls: boolean;
  /** A policy to create with this change (the first one, typically). */
  readonly policy: PolicySpec | null;
  readonly grants: readonly GrantSpec[];
}

const bad = (field: string, why: string) => new AdminError(400, 'bad-table', `${field}: ${why}`);

function str(v: unknown, field: string, opt = false): string {
  if (opt && (v === undefined || v === null)) return '';
  if (typeof v !== 'string') throw bad(field, 'must be a string');
  return v;
}
function name(v: unknown, field: string): string {
  const s = str(v, field);
  if (!s.trim()) throw bad(field, 'must not be empty');
  if (s.length > 63) throw bad(field, `"${s}" is longer than PostgreSQL's 63-character names`);
  if (s.includes('\0')) throw bad(field, 'holds a NUL character');
  return s;
}
const optName = (v: unknown, field: string) => (v === undefined || v === null || v === '' ? null : name(v, field));
const optExpr = (v: unknown, field: string) => (v === undefined || v === null || str(v, field).trim() === '' ? null : str(v, field).trim());
function list(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(field, 'must be a list');
  return v;
}
function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(field, 'must be an object');
  return v as Record<string, unknown>;
}
function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string, dflt: T): T {
  if (v === undefined || v === null) return dflt;
  const s = typeof v === 'string' ? v : '';
  const hit = allowed.find((a) => a.toLowerCase() === s.toLowerCase());
  if (!hit) throw bad(field, `must be one of ${allowed.join(', ')}`);
  return hit;
}
const names = (v: unknown, field: string) => list(v, field).map((x, i) => name(x, `${field}[${i}]`));

function column(v: unknown, i: number): ColumnSpec {
  const o = obj(v, `columns[${i}]`);
  const f = `column "${typeof o.name === 'string' ? o.name : i}"`;
  const identity = o.identity === undefined || o.identity === null || o.identity === '' ? null : oneOf(o.identity, ['always', 'by-default'] as const, `${f} identity`, 'always');
  const c: ColumnSpec = {
    name: name(o.name, `columns[${i}].name`), type: str(o.type, `${f} type`).trim(), nullable: o.nullable !== false,
    default: optExpr(o.default, `${f} default`), identity, generated: optExpr(o.generated, `${f} generated`),
    ...(o.from === undefined || o.from === null ? {} : { from: name(o.from, `${f} from`) }),
  };
  if (!c.type) throw bad(`${f} type`, 'pick a type');
  if ([c.default, c.identity, c.generated].filter((x) => x !== null).length > 1) throw bad(f, 'a default, an identity and a generated expression exclude each other');
  return c;
}

function key(v: unknown, field: string): KeySpec {
  const o = obj(v, field);
  const columns = names(o.columns, `${field}.columns`);
  if (columns.length === 0) throw bad(field, 'needs at least one column');
  return { name: optName(o.name, `${field}.name`), columns };
}

function foreignKey(v: unknown, i: number): ForeignKeySpec {
  const field = `foreignKeys[${i}]`;
  const o = obj(v, field);
  const fk: ForeignKeySpec = {
    name: optName(o.name, `${field}.name`), columns: names(o.columns, `${field}.columns`),
    refSchema: name(o.refSchema, `${field}.refSchema`), refTable: name(o.refTable, `${field}.refTable`), refColumns: names(o.refColumns, `${field}.refColumns`),
    onDelete: oneOf(o.onDelete, fkActions, `${field}.onDelete`, 'NO ACTION'), onUpdate: oneOf(o.onUpdate, fkActions, `${field}.onUpdate`, 'NO ACTION'),
  };
  if (fk.columns.length === 0 || fk.columns.length !== fk.refColumns.length) throw bad(field, 'needs as many referenced columns as columns (at least one)');
  return fk;
}

function index(v: unknown, i: number): IndexSpec {
  const field = `indexes[${i}]`;
  const o = obj(v, field);
  const definition = o.definition === undefined || o.definition === null ? undefined : str(o.definition, `${field}.definition`);
  const ix: IndexSpec = {
    name: optName(o.name, `${field}.name`), columns: names(o.columns, `${field}.columns`), unique: o.unique === true,
    method: oneOf(o.method, indexMethods, `${field}.method`, 'btree'), ...(definition === undefined ? {} : { definition }),
  };
  if (ix.columns.length === 0 && definition === undefined) throw bad(field, 'needs at least one column');
  if (definition !== undefined && ix.name === null) throw bad(field, 'an existing index keeps its name');
  return ix;
}

function policy(v: unknown, schema: string, table: string): PolicySpec | null {
  if (v === undefined || v === null) return null;
  const o = obj(v, 'policy');
  return {
    schema, table, name: name(o.name, 'policy.name'), command: oneOf(o.command, policyCommands, 'policy.command', 'ALL'),
    permissive: o.permissive !== false, roles: names(o.roles, 'policy.roles'),
    using: optExpr(o.using, 'policy.using'), check: optExpr(o.check, 'policy.check'),
  };
}

/** Checks the shape of a table description sent by the client. */
export function parseTableSpec(v: unknown): TableSpec {
  const o = obj(v, 'table');
  const schema = name(o.schema, 'schema');
  const table = name(o.name, 'name');
  const columns = list(o.columns, 'columns').map(column);
  if (columns.length === 0) throw bad('columns', 'a table needs at least one column');
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw bad('columns', `"${c.name}" appears twice`);
    seen.add(c.name);
  }
  const spec: TableSpec = {
    schema, name: table, columns,
    primaryKey: o.primaryKey === undefined || o.primaryKey === null ? null : key(o.primaryKey, 'primaryKey'),
    uniques: list(o.uniques, 'uniques').map((u, i) => key(u, `uniques[${i}]`)),
    checks: list(o.checks, 'checks').map((c, i) => {
      const co = obj(c, `checks[${i}]`);
      const expression = optExpr(co.expression, `checks[${i}].expression`);
      if (!expression) throw bad(`checks[${i}]`, 'needs an expression');
      return { name: optName(co.name, `checks[${i}].name`), expression };
    }),
    foreignKeys: list(o.foreignKeys, 'foreignKeys').map(foreignKey),
    indexes: list(o.indexes, 'indexes').map(index),
    rls: o.rls === true,
    policy: policy(o.policy, schema, table),
    grants: list(o.grants, 'grants').map((g, i) => {
      const go = obj(g, `grants[${i}]`);
      const privs = list(go.privileges, `grants[${i}].privileges`).map((p, j) => oneOf(p, privileges, `grants[${i}].privileges[${j}]`, 'SELECT'));
      if (privs.length === 0) throw bad(`grants[${i}]`, 'needs at least one privilege');
      return { role: name(go.role, `grants[${i}].role`), privileges: privs };
    }),
  };
  const known = (cols: readonly string[], field: string) => {
    for (const c of cols) if (!seen.has(c)) throw bad(field, `no column "${c}" in this table`);
  };
  if (spec.primaryKey) known(spec.primaryKey.columns, 'primaryKey');
  spec.uniques.forEach((u, i) => known(u.columns, `uniques[${i}]`));
  spec.foreignKeys.forEach((f, i) => known(f.columns, `foreignKeys[${i}]`));
  spec.indexes.forEach((x, i) => known(x.columns, `indexes[${i}]`));
  return spec;
}
