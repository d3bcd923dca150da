// The `select` parameter: `id,alias:col::text,data->>k,rel!hint!inner(a,b),...spread(c),count(),amount.sum()`.
// Example: parseSelect('id,author:users(name)') →
//   [{kind:'field', field:{name:'id',path:[]},…}, {kind:'embed', name:'users', alias:'author', select:[…]}]
import { maxNesting, Scanner } from './scanner.js';
import { parseCast, parseField } from './parse-field.js';
import type { AggregateFn, SelectItem } from './types.js';

const aggregates: readonly AggregateFn[] = ['count', 'sum', 'avg', 'max', 'min'];

export function parseSelect(input: string): SelectItem[] {
  const s = new Scanner(input, 'select parameter');
  if (input.trim() === '') return [{ kind: 'star' }];
  const items = parseItems(s, 0);
  s.end();
  return items;
}

const maxSelectItems = 1664;

function parseItems(s: Scanner, depth: number): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    s.skipSpaces();
    if (depth > 0 && s.peek() === ')' && items.length === 0) break; // empty embed: rel()
    // PostgreSQL refuses more than 1664 output columns with a 500-class error (54011).
    if (items.length === maxSelectItems) throw s.fail(`at most ${maxSelectItems} items in a select list`);
    items.push(parseItem(s, depth));
    s.skipSpaces();
  } while (s.eat(','));
  return items;
}

function parseItem(s: Scanner, depth: number): SelectItem {
  if (s.eat('*')) return { kind: 'star' };
  if (s.eat('...')) return parseEmbed(s, s.name(), null, true, depth);
  const first = s.name();
  let alias: string | null = null;
  let name = first;
  if (s.peek() === ':' && s.peek(1) !== ':') {
    s.pos++;
    alias = first;
    if (s.eat('...')) throw s.fail('field name (an alias cannot be used on a spread)');
    name = s.name();
  }
  if (name === 'count' && s.startsWith('()')) {
    s.pos += 2;
    return { kind: 'count', alias, cast: parseCast(s) };
  }
  if (s.peek() === '(' || s.peek() === '!') return parseEmbed(s, name, alias, false, depth);
  // A plain field: reparse name with its JSON path.
  const path = parseField(s, name);
  const cast = parseCast(s);
  let aggregate: AggregateFn | null = null;
  let aggregateCast: string | null = null;
  if (s.peek() === '.') {
    s.pos++;
    const fn = aggregates.find((a) => s.startsWith(`${a}()`));
    if (!fn) throw s.fail('an aggregate function (count(), sum(), avg(), max(), min())');
    s.pos += fn.length + 2;
    aggregate = fn;
    aggregateCast = parseCast(s);
  }
  return { kind: 'field', field: path, alias, cast, aggregate, aggregateCast };
}

function parseEmbed(s: Scanner, name: string, alias: string | null, spread: boolean, depth: number): SelectItem {
  let hint: string | null = null;
  let joinType: 'inner' | 'left' | null = null;
  while (s.eat('!')) {
    const h = s.name('a hint or join type (inner, left)');
    if (h === 'inner' || h === 'left') joinType = h;
    else if (hint === null) hint = h;
    else throw s.fail('"inner" or "left"');
  }
  s.expect('(', '"(" (an embedded resource needs parentheses)');
  if (depth + 1 >= maxNesting) throw s.fail(`at most ${maxNesting} levels of embedding`);
  const select = parseItems(s, depth + 1);
  s.expect(')', '"," or ")"');
  return { kind: 'embed', name, alias, hint, joinType, spread, select };
}
