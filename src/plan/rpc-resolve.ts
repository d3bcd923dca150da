// Finds the functions behind /rpc/<name> (404 PGRST202 with a "Perhaps you meant" hint).
import { errors } from '../errors/codes.js';
import { tableKey, type Func, type SchemaCache } from '../schema-cache/types.js';
import { closest } from './fuzzy.js';

export function findFunctions(cache: SchemaCache, schema: string, name: string, argNames: readonly string[] = []): readonly Func[] {
  const fns = cache.functions.get(tableKey(schema, name));
  if (fns && fns.length > 0) return fns;
  const names = [...cache.functions.values()].flat().filter((f) => f.schema === schema).map((f) => f.name);
  const guess = closest(name, names);
  const sig = `${schema}.${name}(${[...argNames].sort().join(', ')})`;
  throw errors.noFunction(
    sig,
    `Searched for the function ${sig}${argNames.length === 0 ? ' without parameters' : ` with parameters ${[...argNames].sort().join(', ')}`}, but no matches were found in the schema cache.`,
    guess ? `Perhaps you meant to call the function ${schema}.${guess}` : null,
  );
}
