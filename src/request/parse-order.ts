// The `order` parameter: `created_at.desc.nullslast,data->>k.asc,clients(name).desc`.
import { Scanner } from './scanner.js';
import { parseField } from './parse-field.js';
import type { OrderTerm } from './types.js';

export function parseOrder(input: string): OrderTerm[] {
  const s = new Scanner(input, 'order');
  const terms: OrderTerm[] = [];
  do {
    s.skipSpaces();
    terms.push(parseTerm(s));
    s.skipSpaces();
  } while (s.eat(','));
  s.end();
  return terms;
}

function parseTerm(s: Scanner): OrderTerm {
  const name = s.name();
  let relation: string | null = null;
  let field;
  if (s.eat('(')) {
    relation = name;
    field = parseField(s);
    s.expect(')');
  } else {
    field = parseField(s, name);
  }
  let direction: OrderTerm['direction'] = null;
  let nulls: OrderTerm['nulls'] = null;
  while (s.eat('.')) {
    if (direction === null && nulls === null && s.eat('asc')) direction = 'asc';
    else if (direction === null && nulls === null && s.eat('desc')) direction = 'desc';
    else if (nulls === null && s.eat('nullsfirst')) nulls = 'first';
    else if (nulls === null && s.eat('nullslast')) nulls = 'last';
    else throw s.fail(nulls === null ? '"asc", "desc", "nullsfirst" or "nullslast"' : '"," or end of input');
  }
  return { relation, field, direction, nulls };
}
