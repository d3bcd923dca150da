// Horizontal filters and logic trees:
//   `age=gte.18`, `name=not.like.*son`, `id=in.(1,"a,b")`, `tags=cs.{a,b}`, `v=like(any).{O*,P*}`,
//   `doc=fts(english).cat`, `or=(a.eq.1,and(b.gt.2,c.is.null))`.
import { errors } from '../errors/codes.js';
import { maxNesting, Scanner } from './scanner.js';
import { parseField } from './parse-field.js';
import {
  ftsOperators, isValues, quantifiableOperators, simpleOperators,
  type Condition, type Field, type Filter, type FtsOperator, type IsValue, type LogicTree, type Operation,
  type QuantifiableOperator, type SimpleOperator,
} from './types.js';

type Context = 'param' | 'logic';

const operatorList = '"not" or operator (eq, gt, ...)';

/** A filter parameter's value for `field`: `not.eq.5` → Filter. */
export function parseFilter(field: Field, value: string, _label: string): Filter {
  // The scanner adds the value in parentheses itself: `"failed to parse filter (nope.1)"`.
  const s = new Scanner(value, 'filter');
  const f = parseOperationInto(s, field, 'param');
  s.end();
  return f;
}

/** An `or=(…)` / `and=(…)` value. */
export function parseLogic(op: 'and' | 'or', negated: boolean, value: string): LogicTree {
  const s = new Scanner(value, 'logic tree');
  const tree = parseLogicBody(s, op, negated, 1);
  s.end();
  return tree;
}

/** `(cond, cond)`: whitespace may follow `(`, `,` and `)` (PostgREST's lexeme tokens). */
function parseLogicBody(s: Scanner, op: 'and' | 'or', negated: boolean, depth: number): LogicTree {
  s.expect('(');
  s.skipSpaces();
  if (depth > maxNesting) throw s.fail(`at most ${maxNesting} levels of nested and/or`);
  const children: Condition[] = [];
  do {
    s.skipSpaces();
    children.push(parseLogicCondition(s, depth));
    s.skipSpaces();
  } while (s.eat(','));
  s.expect(')', '"," or ")"');
  s.skipSpaces();
  return { kind: 'logic', op, negated, children };
}

function parseLogicCondition(s: Scanner, depth: number): Condition {
  const start = s.pos;
  const negated = s.eat('not.');
  for (const op of ['and', 'or'] as const) {
    if (s.startsWith(`${op}(`)) {
      s.pos += op.length;
      return parseLogicBody(s, op, negated, depth + 1);
    }
  }
  s.pos = start;
  const field = parseField(s);
  s.skipSpaces();
  s.expect('.', '"." followed by an operator');
  return parseOperationInto(s, field, 'logic');
}

function parseOperationInto(s: Scanner, field: Field, ctx: Context): Filter {
  const negated = s.eat('not.');
  return { kind: 'filter', field, negated, operation: parseOperation(s, ctx) };
}

function readWord(s: Scanner): string {
  const start = s.pos;
  while (/[a-z_]/.test(s.peek())) s.pos++;
  return s.input.slice(start, s.pos);
}

function parseOperation(s: Scanner, ctx: Context): Operation {
  const start = s.pos;
  const op = readWord(s);
  if ((ftsOperators as readonly string[]).includes(op)) {
    let language: string | null = null;
    if (s.eat('(')) {
      language = s.name('a text search configuration');
      s.expect(')');
    }
    s.expect('.');
    return { kind: 'fts', op: op as FtsOperator, language, value: readValue(s, ctx) };
  }
  if (op === 'in') {
    s.expect('.');
    return { kind: 'in', values: readList(s, '(', ')') };
  }
  if (op === 'is') {
    s.expect('.');
    const v = readValue(s, ctx).toLowerCase();
    if (!(isValues as readonly string[]).includes(v)) {
      s.pos = s.input.length;
      throw s.fail('null, not_null, true, false or unknown');
    }
    return { kind: 'is', value: v as IsValue };
  }
  if ((quantifiableOperators as readonly string[]).includes(op) && s.peek() === '(') {
    s.pos++;
    const q = readWord(s);
    if (q !== 'any' && q !== 'all') throw s.fail('"any" or "all"');
    s.expect(')');
    s.expect('.');
    if (s.peek() !== '{') throw s.fail('a list of values in curly braces ({a,b})');
    return { kind: 'quantified', op: op as QuantifiableOperator, quantifier: q, values: readList(s, '{', '}') };
  }
  if ((simpleOperators as readonly string[]).includes(op)) {
    s.expect('.');
    return { kind: 'simple', op: op as SimpleOperator, value: readValue(s, ctx) };
  }
  // Parsec's wording: a word before a `.` that names no operator is reported after the `.`.
  const dot = s.input.indexOf('.', start);
  if (dot > start) throw errors.parse(`${s.what} (${s.input})`, `unknown single value operator ${s.input.slice(start, dot)}`, dot + 2);
  s.pos = start;
  throw s.fail(operatorList);
}

/**
 * A scalar value: the rest of a parameter, or in a logic tree (PostgREST's pLogicSingleVal) a quoted
 * value directly followed by `,`/`)`, a `{…}` array literal, or the raw text up to `,`/`)`.
 */
function readValue(s: Scanner, ctx: Context): string {
  if (ctx === 'param') return s.rest();
  const start = s.pos;
  const quoted = tryQuotedBefore(s, ')');
  if (quoted !== null) return quoted;
  if (s.peek() === '{') {
    const close = s.input.indexOf('}', s.pos);
    const inner = close < 0 ? '' : s.input.slice(s.pos + 1, close);
    if (close >= 0 && !inner.includes('{')) {
      s.pos = close + 1;
      return s.input.slice(start, s.pos);
    }
  }
  while (!s.done && s.peek() !== ',' && s.peek() !== ')') s.pos++;
  return s.input.slice(start, s.pos);
}

/**
 * `(a,"b,c", d)` → ['a', 'b,c', ' d'] (PostgREST's pListVal): whitespace may follow the brackets;
 * elements are quoted (backslash escapes) or raw text kept as sent; `()` → [].
 */
function readList(s: Scanner, open: string, close: string): string[] {
  s.expect(open);
  s.skipSpaces();
  const out: string[] = [];
  do {
    const quoted = tryQuotedBefore(s, close);
    if (quoted !== null) {
      out.push(quoted);
    } else {
      const start = s.pos;
      while (!s.done && s.peek() !== ',' && s.peek() !== close) s.pos++;
      out.push(s.input.slice(start, s.pos));
    }
  } while (s.eat(','));
  s.expect(close, `"," or "${close}"`);
  s.skipSpaces();
  return out.length === 1 && out[0] === '' ? [] : out;
}

/** `"…"` (backslash escapes) when followed by `,`, `close` or the end; else null, nothing consumed. */
function tryQuotedBefore(s: Scanner, close: string): string | null {
  if (s.peek() !== '"') return null;
  const start = s.pos;
  try {
    const v = s.quoted();
    if (s.done || s.peek() === ',' || s.peek() === close) return v;
  } catch { /* unterminated: raw text */ }
  s.pos = start;
  return null;
}
