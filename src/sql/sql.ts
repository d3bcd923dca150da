// The one SQL builder: immutable fragments of text, identifiers and parameters.
// `ident()` is the only place identifiers are quoted; values only enter SQL as parameters,
// rendered as `$n` (render) or, for single-round-trip scripts, as escaped literals (renderInline).
// Raw text enters only through `unsafeRaw`, so it can be found with grep.

export interface Param { readonly kind: 'param'; readonly value: string | null }
/** A fragment's pieces: text, parameters and nested fragments (flattened once, when rendered). */
export type Part = string | Param | Sql;

export class Sql {
  #inline: string | undefined;
  /** Use the `sql` tag, `ident`, `param`, `join` or `unsafeRaw` instead. */
  constructor(readonly parts: readonly Part[]) {}
  get isEmpty(): boolean { return this.parts.every((p) => p instanceof Sql && p.isEmpty); }
  /** renderInline's text, computed once: a fragment is immutable, so a cached statement renders once. */
  inline(): string {
    return (this.#inline ??= inlineText(this));
  }
}

export type SqlValue = Sql | Param;

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
function walk(fragment: Sql, text: (s: string) => void, value: (p: Param) => void): void {
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
    values.push(p.value);
    text += `$${values.length}`;
  });
  return { text, values };
}

function inlineText(fragment: Sql): string {
  let text = '';
  walk(fragment, (s) => (text += s), (p) => (text += quoteLiteral(p.value)));
  return text;
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
