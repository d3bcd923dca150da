// Plans /rpc/<fn>: the arguments (JSON body, form, query string or a raw body), the function
// chosen among overloads, and a read over its result so filters, select, order, limits, counts,
// singular and CSV work as on a table.
// Example: GET /rpc/add?a=1&b=2 → args [{a, int4, text '1'}, {b, int4, text '2'}] (compiled by sql/rpc.ts);
//          POST /rpc/add {"a":1,"b":2} → args [{a, json-field}, {b, json-field}], argsJson '{"a":1,"b":2}'.
import { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import { formFields, invalidJson } from '../request/body.js';
import type { ApiRequest, FilterParam } from '../request/types.js';
import { tableKey, type Func, type FunctionArg, type SchemaCache } from '../schema-cache/types.js';
import { negotiate } from './media.js';
import { planContext, planRootNode, withRange } from './read.js';
import { resolveFunction, findFunctions, type ArgsMedia } from './rpc-resolve.js';
import type { CallArg, CallPlan, Source } from './types.js';

export interface CallSettings {
  readonly maxRows: number | null;
  readonly aggregatesEnabled: boolean;
  readonly hoistedSettings: readonly string[];
}

const typeOf = (a: FunctionArg) => ({ typeSchema: a.typeSchema ?? 'pg_catalog', typeName: a.typeName ?? a.baseType });

/** What the request carries as arguments, before a function is chosen. */
type Args =
  | { readonly kind: 'json'; readonly text: string; readonly keys: readonly string[]; readonly isObject: boolean }
  | { readonly kind: 'values'; readonly media: 'form' | 'query'; readonly values: ReadonlyMap<string, readonly string[]> }
  | { readonly kind: 'raw'; readonly media: 'text' | 'xml' | 'bytea'; readonly body: Buffer };

export function planCall(req: ApiRequest, cache: SchemaCache, settings: CallSettings): CallPlan {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') throw errors.rpcVerb(method);
  const name = req.target.kind === 'rpc' ? req.target.name : '';
  const args = method === 'POST' ? bodyArgs(req) : queryArgs(req.query.filters, findFunctions(cache, req.schema, name));
  const keys = args.kind === 'json' ? args.keys : args.kind === 'values' ? [...args.values.keys()] : [];
  const media: ArgsMedia = args.kind === 'json' ? 'json' : args.media;
  const { fn, singleUnnamed } = resolveFunction(cache, req.schema, name, { keys, media });
  if (method !== 'POST' && fn.volatility === 'v') throw errors.volatileRpcRead(method, `${fn.schema}.${fn.name}`);
  // Named arguments come from a JSON object; other JSON is only a single unnamed parameter's value.
  if (!singleUnnamed && args.kind === 'json' && !args.isObject) throw invalidJson();

  const callArgList = callArgs(fn, args, singleUnnamed);
  // On GET the arguments came from the query string: only the other parameters are filters.
  const consumed = args.kind === 'values' && args.media === 'query' ? new Set(fn.args.map((a) => a.name)) : new Set<string>();
  const query = { ...req.query, filters: req.query.filters.filter((f) => !(f.path.length === 0 && consumed.has(f.key))) };
  const readReq = { ...req, query };
  const ctx = planContext(readReq, cache, settings);
  const table = fn.returnsRelation ? cache.tables.get(tableKey(fn.returnsRelation.schema, fn.returnsRelation.name)) ?? null : null;
  // The argument values are compiled by sql/rpc.ts from `args`.
  const source: Source = { kind: 'function', schema: fn.schema, name: fn.name, args: [], returnsScalar: fn.returnsScalar };
  const root = planRootNode(ctx, readReq, source, table);
  const prefs = req.preferences;
  let maxAffected: number | null = null;
  if (prefs.handling === 'strict' && prefs.maxAffected !== null) {
    if (!fn.returnsSet) throw errors.maxAffectedRpc();
    maxAffected = prefs.maxAffected;
  }
  const hoisted = new Set(settings.hoistedSettings.map((s) => s.toLowerCase()));
  return {
    kind: 'call',
    read: {
      kind: 'read',
      root: withRange(root, req, settings.maxRows),
      media: negotiate(req.accept, ['json', 'object', 'csv'], req.headers.accept),
      count: prefs.count,
      headOnly: method === 'HEAD',
      maxRows: settings.maxRows,
      chunkRows: null, // function results keep one body (scalars and SETOF share one statement shape)
    },
    args: callArgList,
    argsJson: !singleUnnamed && args.kind === 'json' ? args.text : null,
    result: fn.returnsVoid ? 'void'
      : fn.returnsScalar ? (fn.returnsSet ? 'scalar-set' : 'scalar')
      : fn.returnsSet ? 'set' : 'single',
    readOnly: method !== 'POST' || fn.volatility !== 'v',
    settings: fn.settings.filter(([k]) => hoisted.has(k.toLowerCase())),
    maxAffected,
  };
}

/** POST bodies: JSON (empty means no arguments), form fields, or a raw text/xml/bytea body. */
function bodyArgs(req: ApiRequest): Args {
  const type = req.contentType?.type ?? 'application/json';
  const body = req.body ?? Buffer.alloc(0);
  switch (type) {
    case 'application/json': case '*/*': {
      const text = body.toString('utf8');
      if (text.trim() === '') return { kind: 'json', text: '{}', keys: [], isObject: true };
      let value: unknown;
      try { value = JSON.parse(text); } catch { throw invalidJson(); }
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      return { kind: 'json', text, keys: isObject ? Object.keys(value as object) : [], isObject };
    }
    case 'application/x-www-form-urlencoded':
      return { kind: 'values', media: 'form', values: formFields(req.body) };
    case 'text/plain': return { kind: 'raw', media: 'text', body };
    case 'text/xml': return { kind: 'raw', media: 'xml', body };
    case 'application/octet-stream': return { kind: 'raw', media: 'bytea', body };
    default: throw errors.invalidBody(`Content-Type not acceptable: ${type}`);
  }
}

/**
 * GET/HEAD: top-level parameters are arguments when they name an argument of some overload or do
 * not read as a filter (`?x=1`); the rest (`?id=gt.3`) filter the result.
 */
function queryArgs(filters: readonly FilterParam[], fns: readonly Func[]): Args {
  const names = new Set(fns.flatMap((f) => f.args.map((a) => a.name)));
  const values = new Map<string, string[]>();
  for (const f of filters) {
    if (f.path.length > 0 || f.key === 'or' || f.key === 'and' || f.key === 'not.or' || f.key === 'not.and') continue;
    if (names.has(f.key) || f.parsed instanceof ApiError) values.set(f.key, [...(values.get(f.key) ?? []), f.value]);
  }
  return { kind: 'values', media: 'query', values };
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
