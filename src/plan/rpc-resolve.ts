// Finds the function behind /rpc/<name> the way PostgREST does: overloads are told apart by the
// argument names sent (required ones all present, the rest optional); a single unnamed json/jsonb,
// text, xml or bytea parameter takes the whole body. 404 PGRST202 (with a hint) or 300 PGRST203.
import { errors } from '../errors/codes.js';
import { tableKey, type Func, type SchemaCache } from '../schema-cache/types.js';
import { closest } from './fuzzy.js';

/** How the arguments arrived: named keys, or a raw POST body of one of these kinds. */
export type ArgsMedia = 'json' | 'form' | 'text' | 'xml' | 'bytea' | 'query';

export interface CallShape {
  /** Argument names sent (JSON keys, form fields or query parameters). */
  readonly keys: readonly string[];
  readonly media: ArgsMedia;
}

export interface Resolved {
  readonly fn: Func;
  /** The function is called with the whole body as its one unnamed parameter. */
  readonly singleUnnamed: boolean;
}

const rawTypes: Partial<Record<ArgsMedia, readonly string[]>> = {
  json: ['json', 'jsonb'], text: ['text'], xml: ['xml'], bytea: ['bytea'],
};

/** The overloads of `schema.name`, or 404 PGRST202 when there is none at all. */
export function findFunctions(cache: SchemaCache, schema: string, name: string, argNames: readonly string[] = []): readonly Func[] {
  const fns = cache.functions.get(tableKey(schema, name));
  if (fns && fns.length > 0) return fns;
  throw notFound(cache, schema, name, { keys: argNames, media: 'query' }, []);
}

export function resolveFunction(cache: SchemaCache, schema: string, name: string, shape: CallShape): Resolved {
  const fns = cache.functions.get(tableKey(schema, name)) ?? [];
  const matched = fns.filter((f) => matchesParams(f, shape));
  const fallback = fns.filter((f) => !matchesParams(f, shape) && singleUnnamed(f, shape.media));
  const pick = matched.length > 0 ? matched : fallback;
  if (pick.length === 1) return { fn: pick[0] as Func, singleUnnamed: matched.length === 0 };
  if (pick.length === 0) throw notFound(cache, schema, name, shape, fns);
  throw errors.ambiguousFunction(
    pick.map(signature).join(', '),
    'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
  );
}

/** Every required argument sent, and nothing beyond the optional ones. */
function matchesParams(f: Func, shape: CallShape): boolean {
  const keys = new Set(shape.keys);
  if (f.args.length === 0) return keys.size === 0 && !['text', 'xml', 'bytea'].includes(shape.media);
  const optional = new Set(f.args.filter((a) => a.hasDefault).map((a) => a.name));
  const required = f.args.filter((a) => !a.hasDefault).map((a) => a.name);
  const rest = [...keys].filter((k) => !optional.has(k));
  return rest.length === required.length && required.every((r) => keys.has(r));
}

function singleUnnamed(f: Func, media: ArgsMedia): boolean {
  const only = f.args.length === 1 ? f.args[0] : undefined;
  return only !== undefined && only.name === '' && (rawTypes[media] ?? []).includes(only.baseType);
}

const signature = (f: Func) => `${f.schema}.${f.name}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`;

/**
 * 404 PGRST202 in PostgREST's words: the argument names sorted, "with parameter x" for one and
 * "with parameters x, y" for several, and a hint from the fuzzy set: the closest parameter list
 * among the overloads of that name, else the closest function name in the schema.
 */
function notFound(cache: SchemaCache, schema: string, name: string, shape: CallShape, sameName: readonly Func[]) {
  const keys = [...new Set(shape.keys)].sort();
  const onlyRaw = shape.media === 'text' || shape.media === 'xml' || shape.media === 'bytea';
  const prms = keys.join(', ');
  const withParams = keys.length === 0 ? ' without parameters' : ` with parameter${keys.length > 1 ? 's' : ''} ${prms}`;
  const how = onlyRaw ? ` with a single unnamed ${shape.media} parameter`
    : shape.media === 'json' ? `${withParams} or with a single unnamed json/jsonb parameter`
    : withParams;
  const func = `${schema}.${name}`;
  const message = onlyRaw ? func : keys.length === 0 ? `${func} without parameters` : `${func}(${prms})`;
  let hint: string | null = null;
  if (!onlyRaw) {
    const guess = sameName.length > 0
      ? closest(paramList(keys), sameName.map((f) => paramList(f.args.map((a) => a.name))))
      : closest(name, [...cache.functions.values()].flat().filter((f) => f.schema === schema).map((f) => f.name));
    if (guess !== null) hint = `Perhaps you meant to call the function ${schema}.${sameName.length > 0 ? name : ''}${guess}`;
  }
  return errors.noFunction(message, `Searched for the function ${func}${how}, but no matches were found in the schema cache.`, hint);
}

/** `(a, b)`: parameter names sorted, as PostgREST compares and prints them. */
const paramList = (names: readonly string[]) => `(${[...names].sort().join(', ')})`;
