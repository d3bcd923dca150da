// The `order` parameter: `created_at.desc.nullslast,data->>k.asc,clients(name).desc`.
import { errors } from '../errors/codes.js';
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
  while (nulls === null && s.peek() === '.') {
    s.pos++;
    const words: readonly string[] = direction === null ? ['asc', 'desc', 'nullsfirst', 'nullslast'] : ['nullsfirst', 'nullslast'];
    const word = words.find((w: string) => s.startsWith(w));
    if (word === undefined) throw mismatch(s, words);
    s.pos += word.length;
    if (word === 'asc' || word === 'desc') direction = word;
    else nulls = word === 'nullsfirst' ? 'first' : 'last';
  }
  // What may follow a term, in Parsec's words (a character it looked at is shown in single quotes).
  const after = s.pos;
  s.skipSpaces();
  if (!s.done && s.peek() !== ',' && (nulls !== null || direction !== null)) {
    s.pos = after;
    const expecting = nulls === null ? 'delimiter (.), "," or end of input' : '"," or end of input';
    throw s.failBeforeEnd(expecting);
  }
  s.pos = after;
  return { relation, field, direction, nulls };
}

/**
 * None of `words` follows the `.`: Parsec reports the position after the `.` and the first
 * character that differs from the first word (`id.ac` → unexpected "c"), or the end of input.
 */
function mismatch(s: Scanner, words: readonly string[]) {
  const first = words[0] as string;
  let i = 0;
  while (i < first.length && s.peek(i) === first[i]) i++;
  const c = s.peek(i);
  const expecting = words.map((w) => `"${w}"`);
  const list = `${expecting.slice(0, -1).join(', ')} or ${expecting[expecting.length - 1] as string}`;
  return errors.parse(`order (${s.input})`, `unexpected ${c === '' ? 'end of input' : `"${c}"`} expecting ${list}`, s.pos + 1);
}
