// Splits a query string into PostgREST's reserved parameters and filters, each at its embed path.
// Example: `select=id,films(title)&films.order=year.desc&id=gt.3&or=(a.eq.1,b.eq.2)`.
import { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import { Scanner } from './scanner.js';
import { parseField } from './parse-field.js';
import { parseFilter, parseLogic } from './parse-filter.js';
import { parseOrder } from './parse-order.js';
import { parseSelect } from './parse-select.js';
import type { AtPath, FilterParam, OrderTerm, QueryParams, SelectItem } from './types.js';

const embeddable = new Set(['order', 'limit', 'offset']);

export function parseQueryParams(search: URLSearchParams): QueryParams {
  let select: SelectItem[] | null = null;
  let columns: string[] | null = null;
  let onConflict: string[] | null = null;
  const filters: FilterParam[] = [];
  const order: AtPath<OrderTerm[]>[] = [];
  const limit: AtPath<number>[] = [];
  const offset: AtPath<number>[] = [];

  for (const [key, value] of search) {
    if (key.includes('\0') || value.includes('\0')) throw errors.parse(`parameter (${key.replace(/\0/g, '')})`, 'NUL characters are not allowed');
    if (key === 'select') { select = parseSelect(value); continue; }
    if (key === 'columns') { columns = parseNameList(value, 'columns'); continue; }
    if (key === 'on_conflict') { onConflict = parseNameList(value, 'on_conflict'); continue; }
    const { path, last } = splitKey(key);
    if (last !== null && embeddable.has(last)) {
      if (last === 'order') order.push({ path, value: parseOrder(value) });
      // PostgREST ignores a negative offset (a negative limit is an error).
      else if (last === 'offset' && /^\s*-\d+\s*$/.test(value)) continue;
      else (last === 'limit' ? limit : offset).push({ path, value: parseCount(last, value) });
      continue;
    }
    filters.push({ key, value, path: logicPath(path, last), parsed: parseCondition(key, value, path, last) });
  }
  return { select, filters, order, limit, offset, columns, onConflict };
}

/** `rel.sub.col` → path [rel, sub] and last `col` (null when the last part has JSON arrows). */
function splitKey(key: string): { path: string[]; last: string | null } {
  const parts: string[] = [];
  const s = new Scanner(key, 'filter');
  try {
    parts.push(s.name());
    while (s.eat('.')) parts.push(s.name());
    if (!s.done) return { path: parts.slice(0, -1), last: null };
  } catch {
    return { path: [], last: null };
  }
  return { path: parts.slice(0, -1), last: parts[parts.length - 1] ?? null };
}

/** `not.or` and `rel.not.or` put `not` in the key; it is not an embed name. */
function logicPath(path: string[], last: string | null): string[] {
  return (last === 'or' || last === 'and') && path[path.length - 1] === 'not' ? path.slice(0, -1) : path;
}

function parseCondition(key: string, value: string, path: string[], last: string | null) {
  try {
    if (last === 'or' || last === 'and') {
      return parseLogic(last, path[path.length - 1] === 'not', value);
    }
    // Re-read the last segment with its JSON path, after the embed prefix.
    const s = new Scanner(key, 'filter');
    for (let i = 0; i < path.length; i++) { s.name(); s.expect('.'); }
    const field = parseField(s);
    s.end();
    return parseFilter(field, value, `${value}`);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

function parseCount(name: string, value: string): number {
  const v = value.trim();
  if (/^-\d+$/.test(v)) throw errors.invalidRange(`${name} must be greater than or equal to zero`);
  // Past 2^53 a number is no longer exact (and 1e400 is Infinity): it would reach SQL as `LIMIT Infinity`.
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw errors.parse(`${name} (${value})`, `unexpected "${value}" expecting a non-negative integer up to ${Number.MAX_SAFE_INTEGER}`);
  }
  return Number(v);
}

/** `a,"b c",d` → names (postgrest-js sends quoted names in `columns`). */
export function parseNameList(value: string, what: string): string[] {
  const s = new Scanner(value, what);
  const out: string[] = [];
  do {
    s.skipSpaces();
    out.push(s.name());
    s.skipSpaces();
  } while (s.eat(','));
  s.end();
  return out;
}
