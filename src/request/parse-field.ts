// Fields with JSON paths (`data->a->>b`, `arr->0`) and type casts (`::text`, `::_int4`).
import type { Scanner } from './scanner.js';
import type { Field, JsonStep } from './types.js';

/** Reads `name->a->>b`; pass `name` when the caller already consumed it. */
export function parseField(s: Scanner, name = s.name()): Field {
  const path: JsonStep[] = [];
  while (s.startsWith('->')) {
    const arrow = s.eat('->>') ? '->>' : (s.eat('->'), '->');
    path.push({ arrow, key: parseJsonKey(s) });
  }
  return { name, path };
}

const isDigit = (c: string) => c >= '0' && c <= '9';
/** PostgREST's reserved characters: a JSON key cannot contain them unquoted (`-` only before `>`). */
const reservedInKey = new Set(['(', ')', '-', ':', '.', ',', '>']);

/** True at what may follow an array index: `->`, `::`, `.`, `,`, `)` or the end. */
function atIndexEnd(s: Scanner): boolean {
  return s.done || s.startsWith('->') || s.startsWith('::') || s.peek() === '.' || s.peek() === ',' || s.peek() === ')';
}

/**
 * A JSON key or array index (PostgREST's pJsonOperand): `"quoted"`, `-?digits` ending where a
 * path may end, or any characters but the reserved `(`, `)`, `:`, `.`, `,`, `>` (and `-` before `>`),
 * e.g. `!@#$%^&*_a`. A malformed negative index (`--34`, `-xy`) is a parse error.
 */
function parseJsonKey(s: Scanner): string {
  if (s.peek() === '"') return s.quoted();
  const start = s.pos;
  if (s.peek() === '-' || isDigit(s.peek())) {
    if (s.peek() === '-') s.pos++;
    if (!isDigit(s.peek())) throw s.fail('digit');
    while (isDigit(s.peek())) s.pos++;
    if (atIndexEnd(s)) return s.input.slice(start, s.pos);
    if (s.input[start] === '-') throw s.failBeforeEnd('digit, "->", "::", ".", "," or end of input');
    s.pos = start; // `1a`: a key that starts with digits
  }
  while (!s.done) {
    const c = s.peek();
    if (!reservedInKey.has(c)) s.pos++;
    else if (c === '-' && s.peek(1) !== '>' && s.pos > start && !reservedInKey.has(s.peek(1)) && s.peek(1) !== '') s.pos++;
    else break;
  }
  const key = s.input.slice(start, s.pos).trim();
  if (key === '') {
    s.pos = start;
    throw s.fail('any non reserved character different from: .,>()');
  }
  return key;
}

/** `::type`: letters, digits, `_`, spaces (e.g. `double precision`) and a trailing `[]`. */
export function parseCast(s: Scanner): string | null {
  if (!s.eat('::')) return null;
  const start = s.pos;
  while (!s.done && /[\p{L}\p{N}_ ]/u.test(s.peek())) s.pos++;
  while (s.eat('[]'));
  const t = s.input.slice(start, s.pos).trim();
  if (t === '') throw s.fail('a type name after "::"');
  return t;
}

/** True for a path step that indexes an array (`->0`, `->>-1`). */
export const isIndexKey = (key: string): boolean => /^-?\d+$/.test(key);

/**
 * The output key PostgREST gives a JSON path: its last key that is not an array index, or the
 * column name: `data->a->>b` → "b", `data->a->0` → "a", `data->>0` → "data".
 */
export function fieldOutputName(f: Field): string {
  for (let i = f.path.length - 1; i >= 0; i--) {
    const step = f.path[i] as JsonStep;
    if (!isIndexKey(step.key)) return step.key;
  }
  return f.name;
}
