// Checks a JSON body without building it: JSON.parse would hold several times the body's size as
// objects while the text itself is all PostgreSQL needs. Checks the syntax (exactly JSON.parse's
// grammar), the nesting depth (PostgreSQL's parser runs out of stack, 54001, far below what
// JSON.parse accepts) and collects the keys of the top-level object or of each top-level row (pure).

/** Deepest nesting of objects and arrays accepted in a body (PostgreSQL 15–17 and PGlite parse it). */
export const MAX_JSON_DEPTH = 512;

export class JsonSyntaxError extends Error {}
export class JsonDepthError extends Error {}

export interface JsonShape {
  readonly kind: 'object' | 'array' | 'scalar';
  /** Keys of a top-level object, or of the first element of a top-level array (each once, in order). */
  readonly keys: readonly string[];
  /** Elements of a top-level array (1 for an object, 0 for a scalar). */
  readonly length: number;
  /** Every element of a top-level array is an object (true for an object). */
  readonly allObjects: boolean;
  /** Every object element has the first one's keys (as a set). */
  readonly uniformKeys: boolean;
}

const OBJ = 1;
const ARR = 2;
const DONE = 0;
const CLOSED = 1;
const OPENED = 2;

function skipWs(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The index after the closing quote of the string whose opening quote is at `i`. */
function skipString(t: string, i: number): number {
  for (i++; ; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c >= 0x20 && c !== 0x5c) continue;
    if (c !== 0x5c) throw new JsonSyntaxError(); // a control character, or the end of the text (NaN)
    const e = t.charCodeAt(++i);
    if (e === 0x75) {
      if (!(isHex(t.charCodeAt(i + 1)) && isHex(t.charCodeAt(i + 2)) && isHex(t.charCodeAt(i + 3)) && isHex(t.charCodeAt(i + 4)))) throw new JsonSyntaxError();
      i += 4;
    } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
      throw new JsonSyntaxError();
    }
  }
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** The index after the number at `i` (JSON's grammar: no leading zeros, no bare dot). */
function skipNumber(t: string, i: number): number {
  if (t.charCodeAt(i) === 0x2d) i++;
  let c = t.charCodeAt(i);
  if (c === 0x30) c = t.charCodeAt(++i);
  else if (isDigit(c)) while (isDigit((c = t.charCodeAt(++i))));
  else throw new JsonSyntaxError();
  if (c === 0x2e) {
    if (!isDigit(t.charCodeAt(++i))) throw new JsonSyntaxError();
    while (isDigit((c = t.charCodeAt(++i))));
  }
  if (c === 0x65 || c === 0x45) {
    c = t.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = t.charCodeAt(++i);
    if (!isDigit(c)) throw new JsonSyntaxError();
    while (isDigit(t.charCodeAt(++i)));
  }
  return i;
}

/** A key's text: sliced as sent, decoded only when it has escapes. */
const keyText = (t: string, start: number, end: number): string => {
  const raw = t.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(t.slice(start, end)) as string) : raw;
};

/** Keys of one object, checked against the first row's as they come (no set unless the order differs). */
class RowKeys {
  first: string[] | null = null;
  private firstSet: Set<string> | null = null;
  private pos = 0;
  private own: Set<string> | null = null;
  uniform = true;

  start(): void {
    this.pos = 0;
    this.own = null;
  }

  add(key: string): void {
    if (this.first === null) throw new Error('unreachable');
    if (this.own === null && this.pos < this.first.length && this.first[this.pos] === key) {
      this.pos++;
      return;
    }
    this.own ??= new Set(this.first.slice(0, this.pos));
    this.own.add(key);
  }

  end(): void {
    const first = this.first as string[];
    if (this.own === null) {
      if (this.pos !== first.length) this.uniform = false;
      return;
    }
    this.firstSet ??= new Set(first);
    if (this.own.size !== this.firstSet.size || ![...this.own].every((k) => this.firstSet?.has(k))) this.uniform = false;
  }
}

/**
 * The shape of a JSON text; JsonSyntaxError where JSON.parse would throw, JsonDepthError past `maxDepth`.
 * Example: `[{"a":1},{"a":2}]` → { kind: 'array', keys: ['a'], length: 2, allObjects: true, uniformKeys: true }.
 */
export function scanJson(t: string, maxDepth = MAX_JSON_DEPTH): JsonShape {
  return new Scanner(t, maxDepth).run();
}

class Scanner {
  private i = 0;
  private depth = 0;
  /** Kinds of the open containers (OBJ or ARR) by depth. */
  private readonly stack: number[] = [0];
  private kind: JsonShape['kind'] = 'scalar';
  private length = 0;
  private allObjects = true;
  /** Keys of the top-level object or of the first row, while they are read. */
  private firstKeys: Set<string> | null = null;
  private readonly rows = new RowKeys();

  constructor(private readonly t: string, private readonly maxDepth: number) {}

  run(): JsonShape {
    const t = this.t;
    this.i = skipWs(t, 0);
    for (;;) {
      const read = this.value();
      if (read === OPENED) continue; // the first element or member value follows
      let closed = read === CLOSED;
      // After a value: close containers, or move to the next element or member.
      for (;;) {
        if (closed) this.close();
        if (this.depth === 0) return this.shape();
        const i = skipWs(t, this.i);
        const d = t.charCodeAt(i);
        const inObject = this.stack[this.depth] === OBJ;
        if (d === 0x2c) {
          this.i = skipWs(t, i + 1);
          if (inObject) this.key();
          break;
        }
        if (d !== (inObject ? 0x7d : 0x5d)) throw new JsonSyntaxError();
        this.i = i + 1;
        closed = true;
      }
    }
  }

  /** Reads the value at i: a scalar (DONE), an empty container (CLOSED), or opens a container (OPENED). */
  private value(): number {
    const t = this.t;
    let i = this.i;
    const c = t.charCodeAt(i);
    if (this.depth === 1 && this.kind === 'array') {
      // An element of a top-level array: a row when it is an object.
      this.length++;
      if (c !== 0x7b) this.allObjects = false;
      else if (this.rows.first === null) this.firstKeys = new Set();
      else this.rows.start();
    } else if (this.depth === 0 && c === 0x7b) {
      this.firstKeys = new Set();
    }
    if (c === 0x7b || c === 0x5b) {
      if (this.depth === this.maxDepth) throw new JsonDepthError();
      this.stack[++this.depth] = c === 0x7b ? OBJ : ARR;
      if (this.depth === 1) this.kind = c === 0x7b ? 'object' : 'array';
      i = skipWs(t, i + 1);
      this.i = i;
      if (t.charCodeAt(i) === (c === 0x7b ? 0x7d : 0x5d)) {
        this.i = i + 1;
        return CLOSED;
      }
      if (c === 0x7b) this.key();
      return OPENED;
    }
    if (c === 0x22) i = skipString(t, i);
    else if (c === 0x74 && t.startsWith('true', i)) i += 4;
    else if (c === 0x66 && t.startsWith('false', i)) i += 5;
    else if (c === 0x6e && t.startsWith('null', i)) i += 4;
    else i = skipNumber(t, i);
    this.i = i;
    return DONE;
  }

  /** Reads `"key" :` at i (collecting row keys); leaves i where the value starts. */
  private key(): void {
    const t = this.t;
    const at = this.i;
    if (t.charCodeAt(at) !== 0x22) throw new JsonSyntaxError();
    const end = skipString(t, at);
    if (this.depth === (this.kind === 'array' ? 2 : 1)) {
      if (this.firstKeys !== null) this.firstKeys.add(keyText(t, at, end));
      else if (this.kind === 'array') this.rows.add(keyText(t, at, end));
    }
    const colon = skipWs(t, end);
    if (t.charCodeAt(colon) !== 0x3a) throw new JsonSyntaxError();
    this.i = skipWs(t, colon + 1);
  }

  private close(): void {
    if (this.depth === (this.kind === 'array' ? 2 : 1) && this.stack[this.depth] === OBJ) {
      if (this.firstKeys !== null) {
        this.rows.first = [...this.firstKeys];
        this.firstKeys = null;
      } else {
        this.rows.end();
      }
    }
    this.depth--;
  }

  private shape(): JsonShape {
    if (skipWs(this.t, this.i) !== this.t.length) throw new JsonSyntaxError();
    const kind = this.kind;
    return {
      kind,
      length: kind === 'object' ? 1 : this.length,
      keys: this.rows.first ?? [],
      allObjects: kind === 'array' ? this.allObjects : kind === 'object',
      uniformKeys: this.rows.uniform,
    };
  }
}
