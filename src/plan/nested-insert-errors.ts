// Where in a nested insert's body a database error happened: the level from the error's table (or
// the junction or foreign key it names), the object from the values it reports, put in front of
// `details` in PostgREST's error shape. Example: a NOT NULL violation on order_lines.qty for the
// second line → details "order_lines[1].qty: Failing row contains (…)".
import { isPgError } from '../errors/pg-error.js';
import type { NestedInsert, NestedLevel } from './nested-insert-types.js';
import { isConnect } from './nested-insert.js';
import type { WritePlan } from './types.js';

type Obj = Readonly<Record<string, unknown>>;
interface At { readonly obj: Obj; readonly path: string }
interface PgFields { code?: string; message: string; detail?: string; table?: string; column?: string }

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (base: string, key: string) => (base === '' ? key : `${base}.${key}`);
const asText = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v));

/** Each level's objects with their paths, in the order the statement numbers them. */
function levelObjects(levels: readonly NestedLevel[], rows: readonly unknown[], isArray: boolean): At[][] {
  const out: At[][] = [rows.filter(isObj).map((obj, i) => ({ obj, path: isArray ? `[${i}]` : '' }))];
  for (const l of levels.slice(1)) {
    const list: At[] = [];
    for (const p of out[l.parent ?? 0] ?? []) {
      const v = p.obj[l.key ?? ''];
      const here = at(p.path, l.key ?? '');
      if (isObj(v)) list.push({ obj: v, path: here });
      else if (Array.isArray(v)) v.forEach((x, i) => { if (isObj(x)) list.push({ obj: x, path: `${here}[${i}]` }); });
    }
    out.push(list);
  }
  return out;
}

/** `Key (a, b)=(1, x) already exists.` → [[a, '1'], [b, 'x']] (null when it does not parse). */
function keyValues(detail: string | undefined): Array<[string, string]> | null {
  const m = /^Key \((.+)\)=\((.*)\)/.exec(detail ?? '');
  if (!m) return null;
  const cols = (m[1] as string).split(', ');
  const vals = (m[2] as string).split(', ');
  return cols.length === vals.length ? cols.map((c, i) => [c, vals[i] as string]) : null;
}

/**
 * Objects that may hold the failing row, with the column names the error's table uses mapped to
 * the object's keys: the level of that table, a many-to-many level whose junction it is, and a
 * to-one level whose key the table's foreign key takes.
 */
function candidates(levels: readonly NestedLevel[], objs: At[][], table: string): Array<{ list: At[]; map: Map<string, string>; level: NestedLevel }> {
  const out: Array<{ list: At[]; map: Map<string, string>; level: NestedLevel }> = [];
  for (const l of levels) {
    const list = objs[l.id] ?? [];
    if (l.name === table) out.push({ list, map: new Map(), level: l });
    if (l.junction?.name === table) out.push({ list, map: new Map(l.junction.childPairs), level: l });
    if (l.kind === 'one' && levels[l.parent ?? 0]?.name === table) out.push({ list, map: new Map(l.pairs), level: l });
  }
  return out;
}

/** The path of the failing object (and column), or null when the error does not say enough. */
export function nestedErrorPath(nested: NestedInsert, rows: readonly unknown[], err: PgFields): string | null {
  const levels = nested.levels;
  const objs = levelObjects(levels, rows, nested.isArray);
  const table = err.table ?? /for table "([^"]+)"/.exec(err.message)?.[1];
  if (table === undefined) {
    // A value PostgreSQL could not read (`invalid input syntax for type integer: "x"`): find it.
    const bad = /: "(.*)"$/.exec(err.message)?.[1];
    for (const list of objs) for (const o of list) for (const [k, v] of Object.entries(o.obj)) if (bad !== undefined && asText(v) === bad) return at(o.path, k);
    return null;
  }
  const kv = keyValues(err.detail);
  for (const c of candidates(levels, objs, table)) {
    const inserts = c.list.filter((o) => !(c.level.connectKey.length > 0 && isConnect(o.obj, c.level.connectKey) && c.map.size === 0));
    const key = (col: string) => c.map.get(col) ?? col;
    if (err.code === '23502' && err.column !== undefined) {
      const o = inserts.find((x) => x.obj[err.column as string] === null || x.obj[err.column as string] === undefined);
      if (o) return at(o.path, err.column);
    } else if (kv !== null) {
      // Columns a relationship sets (a child's foreign key) are not in the objects: compare the others.
      const given = (o: At) => kv.filter(([col]) => key(col) in o.obj);
      const found = c.list.filter((o) => given(o).length > 0 && given(o).every(([col, val]) => asText(o.obj[key(col)]) === val));
      // A duplicate inside the body fails on its later copy.
      const o = err.code === '23505' ? found[found.length - 1] : found[0];
      const cols = o === undefined ? [] : given(o);
      if (o) return cols.length === 1 ? at(o.path, key((cols[0] as [string, string])[0])) : o.path;
    } else if (c.map.size === 0) {
      const tokens = new Set(/Failing row contains \((.*)\)/.exec(err.detail ?? '')?.[1]?.split(', ') ?? []);
      const o = inserts.length === 1 ? inserts[0] : inserts.find((x) => tokens.size > 0 && Object.values(x.obj).every((v) => isObj(v) || Array.isArray(v) || v === null || tokens.has(asText(v) as string)));
      if (o) return err.column === undefined ? o.path : at(o.path, err.column);
      return inserts[0]?.path.replace(/\[\d+\]$/, '') ?? null;
    }
  }
  return null;
}

/** The error with the failing path in front of its detail (other errors unchanged). */
export function locateNestedError(plan: WritePlan, err: unknown): unknown {
  if (plan.nested === undefined || plan.body === null || !isPgError(err)) return err;
  let rows: unknown;
  try { rows = JSON.parse(plan.body); } catch { return err; }
  if (!Array.isArray(rows)) return err;
  const path = nestedErrorPath(plan.nested, rows, err as PgFields);
  if (path === null || path === '') return err;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(err) as object) as Error, err);
  copy.message = err.message;
  (copy as unknown as { detail: string }).detail = err.detail ? `${path}: ${err.detail}` : path;
  return copy;
}
