// Plans /rpc/<fn>: the arguments (JSON body, form, query string or a raw body), the function
// chosen among overloads, and a read over its result so filters, select, order, limits, counts,
// singular and CSV work as on a table. GET and HEAD call any function, read-only (PostgREST v13).
// Example: GET /rpc/add?a=1&b=2 → args [{a, int4, text '1'}, {b, int4, text '2'}] (compiled by sql/rpc.ts);
//          POST /rpc/add {"a":1,"b":2} → args [{a, json-field}, {b, json-field}], argsJson '{"a":1,"b":2}';
//          POST /rpc/add?columns=a,b [{"a":1,"b":2},{"a":3,"b":4}] → one call per element (argsShape 'bulk').
import { errors } from '../errors/codes.js';
import { formFields, invalidJson, jsonShape } from '../request/body.js';
import type { ApiRequest, FilterParam } from '../request/types.js';
import { tableKey, type Func, type FunctionArg, type SchemaCache } from '../schema-cache/types.js';
import { functionMedia, negotiate } from './media.js';
import { planContext, planRootNode, withRange } from './read.js';
import { resolveFunction, type ArgsMedia } from './rpc-resolve.js';
import type { CallArg, CallPlan, Source } from './types.js';

export interface CallSettings {
  readonly maxRows: number | null;
  readonly aggregatesEnabled: boolean;
  readonly hoistedSettings: readonly string[];
  /** db-plan-enabled: Accept: application/vnd.pgrst.plan is served. */
  readonly planEnabled?: boolean;
}

const typeOf = (a: FunctionArg) => ({ typeSchema: a.typeSchema ?? 'pg_catalog', typeName: a.typeName ?? a.baseType });

/** What the request carries as arguments, before a function is chosen. */
type Args =
  | { readonly kind: 'json'; readonly text: string; readonly keys: readonly string[]; readonly shape: 'object' | 'array' | 'other' }
  | {
      readonly kind: 'values';
      readonly media: 'form' | 'query';
      readonly values: ReadonlyMap<string, readonly string[]>;
      /** The query parameters taken as arguments (the rest are filters). */
      readonly params: ReadonlySet<FilterParam>;
    }
  | { readonly kind: 'raw'; readonly media: 'text' | 'xml' | 'bytea'; readonly body: Buffer };

export function planCall(req: ApiRequest, cache: SchemaCache, settings: CallSettings): CallPlan {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') throw errors.rpcVerb(method);
  const name = req.target.kind === 'rpc' ? req.target.name : '';
  const columns = method === 'POST' ? req.query.columns : null;
  const args = method === 'POST' ? bodyArgs(req, columns) : queryArgs(req.query.filters);
  const keys = args.kind === 'json' ? args.keys : args.kind === 'values' ? [...args.values.keys()] : [];
  const media: ArgsMedia = args.kind === 'json' ? 'json' : args.media;
  const { fn, singleUnnamed } = resolveFunction(cache, req.schema, name, { keys, media });
  // Named arguments come from a JSON object or array of objects; other JSON is only a single unnamed parameter's value.
  if (!singleUnnamed && args.kind === 'json' && args.shape === 'other') throw invalidJson();
  const argsShape = singleUnnamed || args.kind !== 'json' ? null
    : args.shape === 'array' ? (columns !== null ? 'bulk' : 'first') : 'object';

  const callArgList = callArgs(fn, args, singleUnnamed);
  // On GET the arguments came from the query string: only the other parameters are filters.
  const consumed = args.kind === 'values' && args.media === 'query' ? args.params : new Set<FilterParam>();
  const query = { ...req.query, filters: req.query.filters.filter((f) => !consumed.has(f)) };
  const readReq = { ...req, query };
  const ctx = planContext(readReq, cache, settings);
  const table = fn.returnsRelation ? cache.tables.get(tableKey(fn.returnsRelation.schema, fn.returnsRelation.name)) ?? null : null;
  const bulk = argsShape === 'bulk';
  // `record` without OUT parameters is called in a select list (PostgREST's scalar call), and a
  // bulk call reads the calls from a CTE: both read from `pgrst_call` (sql/rpc.ts).
  const fromCte = bulk || fn.returnType === 'record';
  const source: Source = fromCte
    ? { kind: 'relation', schema: fn.schema, name: fn.name, from: 'pgrst_call' }
    // The argument values are compiled by sql/rpc.ts from `args`.
    : { kind: 'function', schema: fn.schema, name: fn.name, args: [], returnsScalar: fn.returnsScalar };
  const root = planRootNode(ctx, readReq, source, table);
  const prefs = req.preferences;
  let maxAffected: number | null = null;
  const returnsSet = fn.returnsSet || bulk;
  if (prefs.handling === 'strict' && prefs.maxAffected !== null) {
    if (!returnsSet) throw errors.maxAffectedRpc();
    maxAffected = prefs.maxAffected;
  }
  const hoisted = new Set(settings.hoistedSettings.map((s) => s.toLowerCase()));
  return {
    kind: 'call',
    read: {
      kind: 'read',
      root: withRange(root, req, settings.maxRows),
      media: negotiate(req.accept, ['json', 'object', 'csv'], req.headers.accept, functionMedia(cache, fn, req.query.select, settings.planEnabled === true)),
      count: prefs.count,
      headOnly: method === 'HEAD',
      maxRows: settings.maxRows,
      chunkRows: null, // function results keep one body (scalars and SETOF share one statement shape)
    },
    args: callArgList,
    argsJson: argsShape !== null ? (args as { text: string }).text : null,
    argsShape: argsShape ?? 'object',
    call: fromCte ? { kind: fn.returnsScalar ? 'select-list' : 'from', scalar: fn.returnsScalar } : null,
    result: fn.returnsVoid ? 'void'
      : fn.returnsScalar ? (returnsSet ? 'scalar-set' : 'scalar')
      : returnsSet ? 'set' : 'single',
    // GET and HEAD run read-only whatever the volatility: a write there fails with 25006 (405).
    readOnly: method !== 'POST' || fn.volatility !== 'v',
    settings: fn.settings.filter(([k]) => hoisted.has(k.toLowerCase())),
    maxAffected,
  };
}

/**
 * POST bodies: JSON (empty means no arguments), form fields, or a raw text/xml/bytea body.
 * `?columns=` names the arguments (other keys are ignored) and makes an array body a bulk call.
 */
function bodyArgs(req: ApiRequest, columns: readonly string[] | null): Args {
  const type = req.contentType?.type ?? 'application/json';
  const body = req.body ?? Buffer.alloc(0);
  switch (type) {
    case 'application/json': case '*/*': {
      const text = body.toString('utf8');
      if (text.trim() === '') return { kind: 'json', text: '{}', keys: columns ?? [], shape: 'object' };
      // Scanned, not parsed (no object tree as large as the body; too deep a nesting is a 400).
      const value = jsonShape(text);
      if (value.kind === 'object') return { kind: 'json', text, keys: columns ?? value.keys, shape: 'object' };
      // An array of objects: their keys must match, as for bulk inserts (unless ?columns= names them).
      if (value.kind === 'array' && value.length > 0 && value.allObjects) {
        if (columns === null && !value.uniformKeys) throw errors.invalidBody('All object keys must match');
        return { kind: 'json', text, keys: columns ?? value.keys, shape: 'array' };
      }
      return { kind: 'json', text, keys: [], shape: 'other' };
    }
    case 'application/x-www-form-urlencoded':
      return { kind: 'values', media: 'form', values: formFields(req.body), params: new Set() };
    case 'text/plain': return { kind: 'raw', media: 'text', body };
    case 'text/xml': return { kind: 'raw', media: 'xml', body };
    case 'application/octet-stream': return { kind: 'raw', media: 'bytea', body };
    default: throw errors.invalidBody(`Content-Type not acceptable: ${type}`);
  }
}

/**
 * GET/HEAD, as PostgREST splits the query string: a top-level parameter whose value names no
 * operator is an argument (`?id=5`), the others filter the result (`?id=gt.2`) — the same name may
 * be both.
 */
function queryArgs(filters: readonly FilterParam[]): Args {
  const values = new Map<string, string[]>();
  const params = new Set<FilterParam>();
  for (const f of filters) {
    if (f.path.length > 0 || f.key === 'or' || f.key === 'and' || f.key === 'not.or' || f.key === 'not.and') continue;
    if (hasOperator(f.value)) continue;
    values.set(f.key, [...(values.get(f.key) ?? []), f.value]);
    params.add(f);
  }
  return { kind: 'values', media: 'query', values, params };
}

const operators = new Set(['eq', 'gte', 'gt', 'lte', 'lt', 'neq', 'like', 'ilike', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj', 'match', 'imatch', 'isdistinct']);
const ftsOperators = new Set(['fts', 'plfts', 'phfts', 'wfts']);

/** PostgREST's `hasOperator || hasFtsOperator` on a parameter's value. */
export function hasOperator(value: string): boolean {
  const parts = value.split('.');
  const first = (parts[0] as string).replace(/\((any|all)\)$/, '');
  if (first === 'not' && parts.length >= 3) return true;
  if (first === 'is' || first === 'in') return true;
  if (parts.length >= 2 && (operators.has(first) || ftsOperators.has(first))) return true;
  const paren = value.split('(');
  return paren.length >= 2 && ftsOperators.has(paren[0] as string);
}

function callArgs(fn: Func, args: Args, singleUnnamed: boolean): CallArg[] {
  if (singleUnnamed) {
    const a = fn.args[0] as FunctionArg;
    const raw = args.kind === 'raw' ? (a.baseType === 'bytea' ? `\\x${args.body.toString('hex')}` : args.body.toString('utf8'))
      : args.kind === 'json' ? args.text : '';
    return [{ name: '', ...typeOf(a), variadic: false, value: { kind: 'text', text: raw } }];
  }
  if (args.kind === 'json') {
    return fn.args.filter((a) => args.keys.includes(a.name))
      .map((a) => ({ name: a.name, ...typeOf(a), variadic: a.variadic, value: { kind: 'json-field' } }));
  }
  const values = args.kind === 'values' ? args.values : new Map<string, readonly string[]>();
  const out: CallArg[] = [];
  for (const a of fn.args) {
    const v = values.get(a.name);
    if (v === undefined) continue;
    // A variadic argument takes every repeated value; others take the last one sent.
    const text = a.variadic ? pgArray(v) : (v[v.length - 1] as string);
    out.push({ name: a.name, ...typeOf(a), variadic: a.variadic, value: { kind: 'text', text } });
  }
  return out;
}

/** `{"1","2"}`: repeated query values as one PostgreSQL array literal. */
function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
