// Paths for functions under /rpc/<name>: POST with the arguments as a JSON object, and GET with
// them as query parameters when the function is STABLE or IMMUTABLE (as PostgREST allows).
import type { Func, FunctionArg } from '../schema-cache/types.js';
import { filterKey } from './keys.js';
import { contentRangeHeader } from './parameters.js';
import { typeSchema } from './schema-types.js';
import { ref, splitComment, type DocContext, type JsonSchema, type Operation, type Parameter, type PathItem, type Ref } from './types.js';

function argSchema(a: FunctionArg): JsonSchema {
  const s = typeSchema(a.baseType, a.type);
  // VARIADIC text[] is sent as an array in JSON and as a repeated parameter in a query string.
  return a.variadic && s.type !== 'array' ? { type: 'array', items: s } : s;
}

/** Named arguments across overloads: required only when every overload requires it. */
function mergedArgs(fns: readonly Func[]): { args: Map<string, FunctionArg>; required: Set<string> } {
  const args = new Map<string, FunctionArg>();
  const required = new Set<string>();
  fns.forEach((f, i) => {
    const named = f.args.filter((a) => a.name !== '');
    for (const a of named) if (!args.has(a.name)) args.set(a.name, a);
    const req = named.filter((a) => !a.hasDefault).map((a) => a.name);
    if (i === 0) req.forEach((n) => required.add(n));
    else for (const n of [...required]) if (!req.includes(n)) required.delete(n);
  });
  return { args, required };
}

function bodySchema(fn: Func): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const named = fn.args.filter((a) => a.name !== '');
  for (const a of named) properties[a.name] = argSchema(a);
  const required = named.filter((a) => !a.hasDefault).map((a) => a.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** The request body: one unnamed json/text/bytea argument takes the body as is. */
function requestBody(fns: readonly Func[]): NonNullable<Operation['requestBody']> {
  const single = fns.length === 1 ? fns[0] : undefined;
  const only = single?.args.length === 1 ? single.args[0] : undefined;
  if (only && only.name === '') {
    const media = only.baseType === 'bytea' ? 'application/octet-stream' : only.baseType.startsWith('json') ? 'application/json' : 'text/plain';
    return { required: !only.hasDefault, content: { [media]: { schema: typeSchema(only.baseType, only.type) } } };
  }
  const schemas = fns.map(bodySchema);
  const schema = schemas.length === 1 ? (schemas[0] as JsonSchema) : { oneOf: schemas };
  const required = fns.every((f) => f.args.some((a) => a.name !== '' && !a.hasDefault));
  return { required, content: { 'application/json': { schema } } };
}

function resultSchema(ctx: DocContext, fn: Func): JsonSchema | null {
  if (fn.returnsVoid) return null;
  let one: JsonSchema;
  if (fn.returnsRelation && fn.returnsRelation.schema === fn.schema && ctx.tableRefs.has(fn.returnsRelation.name)) {
    one = ctx.tableRefs.get(fn.returnsRelation.name) as Ref;
  } else if (fn.returnsComposite) {
    one = { type: 'object', 'x-pg-type': fn.returnType };
  } else {
    one = displaySchema(fn.returnType);
  }
  return fn.returnsSet ? { type: 'array', items: one } : one;
}

/** format_type names → base names the type map knows (`integer` → `int4`). */
const displayToBase: Record<string, string> = {
  smallint: 'int2', integer: 'int4', bigint: 'int8', real: 'float4', 'double precision': 'float8', boolean: 'bool',
  'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz', 'time without time zone': 'time',
};

/** A schema from a format_type name alone (function results carry no base type): `integer[]`. */
function displaySchema(display: string): JsonSchema {
  if (display.endsWith('[]')) return { type: 'array', items: displaySchema(display.slice(0, -2)), 'x-pg-type': display };
  const base = display.replace(/\(.*\)$/, '');
  return typeSchema(displayToBase[base] ?? base, display);
}

function responses(ctx: DocContext, fns: readonly Func[]): Record<string, unknown> {
  const fn = fns[0] as Func;
  const schema = resultSchema(ctx, fn);
  const ok = schema === null
    ? { 204: { description: 'No Content (the function returns void)' } }
    : {
        200: {
          description: 'The function result',
          headers: { 'Content-Range': contentRangeHeader },
          content: { 'application/json': { schema }, ...(fn.returnsSet ? { 'text/csv': { schema: { type: 'string' } } } : {}) },
        },
      };
  return { ...ok, default: ref('responses', 'error') };
}

/** The /rpc/<name> path item for a function and its overloads. */
export function functionPath(ctx: DocContext, fns: readonly Func[]): PathItem {
  const fn = fns[0] as Func;
  const fKey = ctx.functionKeys.key(fn.name);
  const { summary, description } = splitComment(fn.comment, `Call ${fn.name}`);
  const setParams = fn.returnsSet ? ['select', 'order', 'limit', 'offset'].map((k) => ref('parameters', k)) : [];
  const base = { tags: ['(rpc) ' + fn.name], summary, ...(description ? { description } : {}) };
  const item: PathItem = {};
  item.post = {
    ...base,
    operationId: `rpc_post_${fKey}`,
    parameters: [...setParams, ref('parameters', 'preferRpc'), ...(ctx.needsProfile ? [ref('parameters', 'contentProfile')] : [])],
    requestBody: requestBody(fns),
    responses: responses(ctx, fns),
  };
  if (fns.every((f) => f.volatility !== 'v')) {
    const { args, required } = mergedArgs(fns);
    const query: Parameter[] = [...args.values()].map((a) => ({
      name: filterKey(a.name),
      in: 'query',
      required: required.has(a.name),
      schema: a.variadic ? argSchema(a) : { type: 'string', 'x-pg-type': a.type },
      ...(a.variadic ? { style: 'form', explode: true } : {}),
      description: `Argument \`${a.name}\` (${a.type})`,
    }));
    item.get = {
      ...base,
      operationId: `rpc_get_${fKey}`,
      parameters: [...query, ...setParams, ref('parameters', 'preferRpc'), ...(ctx.needsProfile ? [ref('parameters', 'acceptProfile')] : [])],
      responses: responses(ctx, fns),
    };
  }
  return item;
}
