// The one SQL builder: immutable fragments of text, identifiers and parameters.
// `ident()` is the only place identifiers are quoted; values only enter SQL as parameters,
// rendered as `$n` (render) or, for single-round-trip scripts, as escaped literals (renderInline).
// Raw text enters only through `unsafeRaw`, so it can be found with grep.

export interface Param { readonly kind: 'param'; readonly value: string | null }
/**
 * A value left open in a compiled statement (e.g. a write's payload), filled by `Sql.bind` per
 * request: the statement is compiled and rendered once, the value is the only per-request part.
 */
export interface Slot { readonly kind: 'slot' }
/** A fragment's pieces: text, parameters, slots and nested fragments (flattened once, when rendered). */
export type Part = string | Param | Slot | Sql;

export class Sql {
  #inline: string | undefined;
  /** Use the `sql` tag, `ident`, `param`, `join` or `unsafeRaw` instead. */
  constructor(readonly parts: readonly Part[]) {}
  get isEmpty(): boolean { return this.parts.every((p) => p instanceof Sql && p.isEmpty); }
  /** renderInline's text, computed once: a fragment is immutable, so a cached statement renders once. */
  inline(): string {
    return (this.#inline ??= inlineText(this));
  }

  #pieces: { slot: Slot; texts: string[] } | undefined;

  /** This statement with `slot` filled by `value` (a parameter); the rest is rendered once and reused. */
  bind(slot: Slot, value: string | null): Sql {
    if (this.#pieces?.slot !== slot) {
      const segments: string[][] = [[]];
      const last = () => segments[segments.length - 1] as string[];
      walk(this, (s) => last().push(s), (p) => {
        if (p === slot) segments.push([]);
        else if (p.kind === 'param') last().push(quoteLiteral(p.value));
        else throw new Error('Sql.bind: a second slot');
      });
      this.#pieces = { slot, texts: segments.map((pieces) => pieces.join('')) };
    }
    const { texts } = this.#pieces;
    const filled = param(value);
    const parts: Part[] = [texts[0] as string];
    for (let i = 1; i < texts.length; i++) parts.push(filled, texts[i] as string);
    return new Sql(parts);
  }
}

export type SqlValue = Sql | Param | Slot;

export const slot = (): Slot => ({ kind: 'slot' });

export class UnsafeIdentifierError extends Error {}

/** Tagged template: literal text is trusted; every interpolation must be a fragment or a param. */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlValue[]): Sql {
  const parts: Part[] = [];
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i] as string;
    if (s !== '') parts.push(s);
    if (i < values.length) parts.push(values[i] as SqlValue);
  }
  return new Sql(parts);
}

/** A bound value. Numbers and booleans are sent as text and typed by PostgreSQL. */
export function param(value: string | number | boolean | null): Param {
  return { kind: 'param', value: value === null ? null : String(value) };
}

/** A quoted identifier: `ident('a"b')` → `"a""b"`. Names are never split on dots. */
export function ident(name: string): Sql {
  if (name.includes('\0')) throw new UnsafeIdentifierError('identifier contains a NUL character');
  return new Sql([`"${name.replace(/"/g, '""')}"`]);
}

/** A schema-qualified name: `qualified('api','todos')` → `"api"."todos"`. */
export function qualified(schema: string, name: string): Sql {
  return sql`${ident(schema)}.${ident(name)}`;
}

/** Trusted SQL text from a closed set (keywords, operators from maps). Never pass user input. */
export function unsafeRaw(text: string): Sql {
  return new Sql([text]);
}

export function join(items: readonly SqlValue[], separator = ', '): Sql {
  if (separator === '') return new Sql(items);
  const parts: Part[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(separator);
    parts.push(items[i] as SqlValue);
  }
  return new Sql(parts);
}

export const empty = new Sql([]);

/** Visits the text and parameters of a fragment in order (nested fragments flattened). */
function walk(fragment: Sql, text: (s: string) => void, value: (p: Param | Slot) => void): void {
  for (const p of fragment.parts) {
    if (typeof p === 'string') text(p);
    else if (p instanceof Sql) walk(p, text, value);
    else value(p);
  }
}

/** `$n` parameters: `{ text: 'SELECT $1', values: ['x'] }`. */
export function render(fragment: Sql): { text: string; values: (string | null)[] } {
  let text = '';
  const values: (string | null)[] = [];
  walk(fragment, (s) => (text += s), (p) => {
    values.push(valueOf(p));
    text += `$${values.length}`;
  });
  return { text, values };
}

function valueOf(p: Param | Slot): string | null {
  if (p.kind === 'slot') throw new Error('a statement with an open slot was rendered: bind it first');
  return p.value;
}

/**
 * Pieces joined once (a flat string): text grown with `+=` is a tree of rope nodes that every later
 * copy (the request script, the driver's encoder) walks again, which costs several times more than
 * the copy itself once the nodes are out of the CPU cache, i.e. under load.
 */
function inlineText(fragment: Sql): string {
  const pieces: string[] = [];
  walk(fragment, (s) => pieces.push(s), (p) => pieces.push(quoteLiteral(valueOf(p))));
  return pieces.join('');
}

/** Parameters inlined as escaped literals, for multi-statement single-round-trip scripts. */
export function renderInline(fragment: Sql): string {
  return fragment.inline();
}

const needsEscaping = /['\\\0]/;

/**
 * A string literal safe whatever standard_conforming_strings is (libpq's PQescapeLiteral rule):
 * quotes doubled, and with backslashes present the E'' form with backslashes doubled.
 * The literal is untyped, exactly like an unknown-typed `$n` parameter.
 */
export function quoteLiteral(value: string | null): string {
  if (value === null) return 'NULL';
  if (!needsEscaping.test(value)) return `'${value}'`; // the common case: nothing to double
  if (value.includes('\0')) throw new UnsafeIdentifierError('value contains a NUL character');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}
