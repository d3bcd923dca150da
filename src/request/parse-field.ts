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

function parseJsonKey(s: Scanner): string {
  if (s.peek() === '"') return s.quoted();
  const start = s.pos;
  if (s.peek() === '-') s.pos++;
  while (!s.done && /[\p{L}\p{N}_$ ]|-/u.test(s.peek()) && !s.startsWith('->')) s.pos++;
  const key = s.input.slice(start, s.pos).trim();
  if (key === '') {
    s.pos = start;
    throw s.fail('a JSON key or array index');
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

/** The output key PostgREST gives a JSON path: its last key, or the column name. */
export function fieldOutputName(f: Field): string {
  const last = f.path[f.path.length - 1];
  return last ? last.key : f.name;
}
