// A tiny cursor over one query-string value, with PostgREST-style PGRST100 errors that say
// where parsing stopped and what was expected: `"failed to parse select parameter (a,)" (line 1, column 3)`.
import type { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';

/**
 * How deep embeds and logic trees may nest. PostgREST sets no limit, but thousands of levels
 * overflow the JavaScript stack (parser, SQL builder) and PostgreSQL's max_stack_depth: a 500.
 */
export const maxNesting = 100;

/** Characters allowed in an unquoted name: letters, digits, `_`, `$`, space (PostgREST's pIdentifier). */
const nameChar = /[\p{L}\p{N}_$ ]/u;

export class Scanner {
  pos = 0;
  constructor(readonly input: string, readonly what: string) {}

  get done(): boolean { return this.pos >= this.input.length; }
  peek(n = 0): string { return this.input[this.pos + n] ?? ''; }
  startsWith(s: string): boolean { return this.input.startsWith(s, this.pos); }

  eat(s: string): boolean {
    if (!this.startsWith(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s: string, expecting = `"${s}"`): void {
    if (!this.eat(s)) throw this.fail(expecting);
  }

  fail(expecting: string): ApiError {
    const found = this.done ? 'end of input' : `"${this.peek()}"`;
    return errors.parse(`${this.what} (${this.input})`, `unexpected ${found} expecting ${expecting}`, this.pos + 1);
  }

  /**
   * As fail, where the end of input was one of the alternatives: Parsec then shows the character
   * in single quotes (`unexpected 't' expecting "," or end of input`).
   */
  failBeforeEnd(expecting: string): ApiError {
    if (this.done) return this.fail(expecting);
    return errors.parse(`${this.what} (${this.input})`, `unexpected '${this.peek()}' expecting ${expecting}`, this.pos + 1);
  }

  /** A name: `"quoted"` (with `\"` escapes) or unquoted chars; dashes allowed unless an arrow follows. */
  name(expecting = 'field name (* or [a..z0..9_$])'): string {
    if (this.peek() === '"') return this.quoted();
    const start = this.pos;
    while (!this.done) {
      const c = this.peek();
      if (nameChar.test(c)) this.pos++;
      else if (c === '-' && this.peek(1) !== '>' && this.pos > start) this.pos++;
      else break;
    }
    const n = this.input.slice(start, this.pos).trim();
    if (n === '') {
      this.pos = start;
      throw this.fail(expecting);
    }
    return n;
  }

  /** `"…"` with PostgREST's escapes: a backslash takes the next character as it is (`\"`, `\\`, `\,`). */
  quoted(): string {
    this.expect('"');
    let out = '';
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\' && this.pos + 1 < this.input.length) {
        out += this.peek(1);
        this.pos += 2;
      } else {
        out += this.peek();
        this.pos++;
      }
    }
    this.expect('"', 'closing quote');
    return out;
  }

  /** Whitespace between tokens (PostgREST's lexeme). */
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\n' || this.peek() === '\r') this.pos++;
  }

  rest(): string {
    const r = this.input.slice(this.pos);
    this.pos = this.input.length;
    return r;
  }

  end(): void {
    if (!this.done) throw this.fail('end of input');
  }
}
