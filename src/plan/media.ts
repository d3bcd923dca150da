// Content negotiation: picks the output media type from Accept, or 406 PGRST107. Besides the
// built-in JSON/CSV/object types: execution plans (db-plan-enabled), application/geo+json (PostGIS),
// raw text/xml/bytes of one scalar column, and custom media-type handlers (plan/media-handlers.ts).
// Example: Accept: application/vnd.pgrst.plan+json; for="text/csv"; options=analyze|verbose
//   → { kind: 'plan', format: 'json', options: ['analyze', 'verbose'], for: { kind: 'csv' } }
import { errors } from '../errors/codes.js';
import type { MediaType, SelectItem } from '../request/types.js';
import { tableKey, type Func, type SchemaCache, type Table } from '../schema-cache/types.js';
import { findHandler, type HandlerTarget } from './media-handlers.js';
import type { OutputMedia, PlanOption } from './types.js';

export type Offer = 'json' | 'csv' | 'object' | 'openapi' | 'html';

/** What the resource being planned can produce beyond the built-in types. */
export interface MediaContext {
  readonly cache: SchemaCache;
  readonly target: HandlerTarget;
  /** No `select=`: the target's own handlers apply (PostgREST's defaultSelect). */
  readonly defaultSelect: boolean;
  /**
   * The one scalar column raw output reads (`select=col`, or a scalar function's value) and its
   * type: `xml` is sent as text/xml, `bytea` as application/octet-stream, others as text/plain.
   */
  readonly scalar: { readonly column: string; readonly type: string } | null;
  readonly planEnabled: boolean;
}

const planOptions: readonly PlanOption[] = ['analyze', 'verbose', 'settings', 'buffers', 'wal'];

function builtin(m: MediaType, offers: readonly Offer[], ctx: MediaContext | undefined): OutputMedia | null {
  switch (m.type) {
    case '*/*': case 'application/*': case 'application/json':
      return offers.includes('json') ? { kind: 'json' } : offers.includes('openapi') ? { kind: 'openapi' } : null;
    case 'text/csv':
      return offers.includes('csv') ? { kind: 'csv' } : null;
    case 'application/openapi+json':
      return offers.includes('openapi') ? { kind: 'openapi' } : null;
    case 'text/html': case 'text/*':
      return offers.includes('html') ? { kind: 'html' } : null;
    case 'application/geo+json': {
      const schema = ctx?.cache.postgisSchema ?? null;
      return offers.includes('json') && schema !== null ? { kind: 'geojson', postgisSchema: schema } : null;
    }
    case 'text/plain': case 'text/xml': case 'application/octet-stream': {
      const scalar = ctx?.scalar ?? null;
      if (scalar === null || rawTypeOf(scalar.type) !== m.type) return null;
      return { kind: 'raw', mediaType: m.type, column: scalar.column, binary: scalar.type === 'bytea' };
    }
    default:
      return null;
  }
}

/** The raw media type a scalar of this type is sent as. */
function rawTypeOf(type: string): string {
  return type === 'xml' ? 'text/xml' : type === 'bytea' ? 'application/octet-stream' : 'text/plain';
}

function match(m: MediaType, offers: readonly Offer[], ctx: MediaContext | undefined): OutputMedia | null {
  const stripped = m.params.nulls === 'stripped';
  switch (m.type) {
    // PostgREST's vendored types have parameters and cannot be overridden by handlers.
    case 'application/vnd.pgrst.array+json': case 'application/vnd.pgrst.array':
      return offers.includes('json') ? (stripped ? { kind: 'array-stripped' } : { kind: 'json' }) : null;
    case 'application/vnd.pgrst.object+json': case 'application/vnd.pgrst.object':
      return offers.includes('object') ? { kind: 'object', stripNulls: stripped } : null;
    case 'application/vnd.pgrst.plan': case 'application/vnd.pgrst.plan+text': case 'application/vnd.pgrst.plan+json':
      return ctx?.planEnabled === true ? planMedia(m, offers, ctx) : null;
  }
  if (ctx) {
    const custom = findHandler(ctx.cache, ctx.target, m.type, ctx.defaultSelect);
    if (custom) return custom;
  }
  return builtin(m, offers, ctx);
}

/** The plan of what `for=` (default application/json) would produce; null when that is not produced. */
function planMedia(m: MediaType, offers: readonly Offer[], ctx: MediaContext): OutputMedia | null {
  const forType = parseFor(m.params.for);
  if (forType.type.startsWith('application/vnd.pgrst.plan')) return null;
  const inner = match(forType, offers, ctx);
  if (inner === null) return null;
  const asked = (m.params.options ?? '').split('|').map((o) => o.trim().toLowerCase());
  return {
    kind: 'plan',
    format: m.type === 'application/vnd.pgrst.plan+json' ? 'json' : 'text',
    options: planOptions.filter((o) => asked.includes(o)),
    for: inner,
    forType: mimeOf(forType),
  };
}

function parseFor(value: string | undefined): MediaType {
  const text = (value ?? 'application/json').trim().toLowerCase();
  // `for="application/vnd.pgrst.object+json;nulls=stripped"` carries its own parameter.
  const [type = '', ...rest] = text.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return { type: type.trim(), params, q: 1 };
}

/** PostgREST's toMime of the `for` type: vendored types with `+json`, `*\/*` as application/json. */
function mimeOf(m: MediaType): string {
  const stripped = m.params.nulls === 'stripped';
  switch (m.type) {
    case '*/*': return 'application/json';
    case 'application/vnd.pgrst.object': case 'application/vnd.pgrst.object+json':
      return stripped ? 'application/vnd.pgrst.object+json;nulls=stripped' : 'application/vnd.pgrst.object+json';
    case 'application/vnd.pgrst.array': case 'application/vnd.pgrst.array+json':
      return stripped ? 'application/vnd.pgrst.array+json;nulls=stripped' : 'application/json';
    default: return m.type;
  }
}

/**
 * An Accept entry as PostgREST's 406 message names it (its toMime): without `q` or unknown
 * parameters, vendored types completed, plans with their format, `for` and options.
 */
function mimeForError(m: MediaType): string {
  switch (m.type) {
    case 'application/vnd.pgrst.plan': case 'application/vnd.pgrst.plan+text': case 'application/vnd.pgrst.plan+json': {
      const asked = (m.params.options ?? '').split('|').map((o) => o.trim().toLowerCase());
      const options = planOptions.filter((o) => asked.includes(o));
      const format = m.type === 'application/vnd.pgrst.plan+json' ? 'json' : 'text';
      return `application/vnd.pgrst.plan+${format}; for="${mimeOf(parseFor(m.params.for))}"${options.length === 0 ? '' : `; options=${options.join('|')}`}`;
    }
    case '*/*': return '*/*';
    default: return m.type.startsWith('application/vnd.pgrst.') ? mimeOf(m) : m.type;
  }
}

/** The first Accept entry (by preference) that an offer satisfies. */
export function negotiate(accept: readonly MediaType[], offers: readonly Offer[], acceptHeader: string | undefined, ctx?: MediaContext): OutputMedia {
  for (const m of accept) {
    const r = match(m, offers, ctx);
    if (r) return r;
  }
  throw errors.mediaTypeNotAcceptable(accept.length === 0 ? acceptHeader ?? '*/*' : accept.map(mimeForError).join(', '));
}

/**
 * The context of a relation read or written with `select`: its handlers apply without `select=`,
 * and a single plain column (`select=body`) can be sent raw.
 */
export function relationMedia(cache: SchemaCache, table: Table, select: readonly SelectItem[] | null, planEnabled: boolean): MediaContext {
  const col = singleColumn(select);
  const column = col === null ? undefined : table.columnsByName.get(col);
  return {
    cache,
    target: { kind: 'relation', schema: table.schema, name: table.name },
    defaultSelect: select === null,
    scalar: col === null ? null : { column: col, type: column?.baseType ?? 'text' },
    planEnabled,
  };
}

/** The context of a function call: its return domain's handler, raw output of scalar results. */
export function functionMedia(cache: SchemaCache, fn: Func, select: readonly SelectItem[] | null, planEnabled: boolean): MediaContext {
  const col = singleColumn(select);
  const whole = select === null || (select.length === 1 && select[0]?.kind === 'star');
  // One value (not SETOF): PostgREST sends no set of scalars raw.
  const scalar = fn.returnsScalar && !fn.returnsSet && whole ? { column: fn.name, type: fn.returnType }
    : col !== null ? { column: col, type: returnedColumnType(cache, fn, col) }
    : null;
  return {
    cache,
    target: { kind: 'function', schema: fn.schema, name: fn.name, returnsRelation: fn.returnsRelation, scalar: fn.returnsScalar },
    defaultSelect: whole,
    scalar,
    planEnabled,
  };
}

/** The base type of a column of the relation a function returns (text when unknown). */
function returnedColumnType(cache: SchemaCache, fn: Func, column: string): string {
  const rel = fn.returnsRelation;
  return (rel === null ? undefined : cache.tables.get(tableKey(rel.schema, rel.name))?.columnsByName.get(column)?.baseType) ?? 'text';
}

/** `select=col` (one plain column: no alias, cast, JSON path or aggregate) → its name. */
function singleColumn(select: readonly SelectItem[] | null): string | null {
  if (select === null || select.length !== 1) return null;
  const s = select[0];
  if (s?.kind !== 'field' || s.field.path.length > 0 || s.cast !== null || s.aggregate !== null) return null;
  return s.alias ?? s.field.name;
}
