// A seeded grammar of PostgREST requests for the fuzz suite: select lists with embeds, spreads,
// casts, JSON paths and aggregates; filters with every operator, logic trees, order, limit/offset,
// Range, Prefer, Accept, profiles, on_conflict/columns, and write/RPC bodies. Most requests are
// valid; a share is then mutated (characters inserted, deleted, duplicated, percent-encoded).

/** mulberry32: small, fast, and the same sequence for a seed everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Fixture: test/fixtures/fuzz.sql. The canary's secret must never appear in an answer. */
export const canarySecret = 'canary-secret-7f3a9c';

/** Rows of the read tables: they must be the same after any number of requests. */
export const readTablesChecksum = `SELECT md5(string_agg(t, '|' ORDER BY t)) AS sum FROM (
  SELECT 'a' || a::text AS t FROM api.fz_authors a UNION ALL SELECT 'b' || b::text FROM api.fz_books b
  UNION ALL SELECT 'r' || r::text FROM api.fz_reviews r UNION ALL SELECT 'c' || c::text FROM fz_private.canary c) x`;

const tables = {
  fz_authors: ['id', 'name', 'born', 'meta', 'tags'],
  fz_books: ['id', 'title', 'author_id', 'price', 'pages', 'published', 'info', 'rating', 'created', 'isbn', 'span', 'doc'],
  fz_reviews: ['id', 'book_id', 'stars', 'body'],
  fz_scratch: ['id', 'a', 'b', 'c', 'd', 'e'],
} as const;
type Table = keyof typeof tables;

type Kind = 'int' | 'num' | 'text' | 'bool' | 'json' | 'array' | 'range' | 'tsv' | 'time';
const kinds: Readonly<Record<string, Kind>> = {
  id: 'int', author_id: 'int', pages: 'int', stars: 'int', book_id: 'int', a: 'int',
  name: 'text', title: 'text', isbn: 'text', body: 'text', b: 'text',
  published: 'bool', d: 'bool', price: 'num', rating: 'num', e: 'num',
  meta: 'json', info: 'json', c: 'json', tags: 'array', span: 'range', doc: 'tsv', born: 'time', created: 'time',
};
/** Operators and values that fit a column's type (most filters are valid ones). */
const typed: Readonly<Record<Kind, { readonly ops: readonly string[]; readonly values: readonly string[] }>> = {
  int: { ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'isdistinct', 'eq(any)'], values: ['1', '0', '-1', '7', '42', '100000'] },
  num: { ops: ['eq', 'gt', 'lt', 'gte', 'lte', 'neq'], values: ['1.25', '0', '2.5', '-3', '1e3', '10'] },
  text: { ops: ['eq', 'neq', 'like', 'ilike', 'match', 'imatch', 'gt', 'in', 'like(any)'], values: ['book 1', '*book*', 'author 3', "o'neil", '^b.*', 'é', '%', 'x,y'] },
  bool: { ops: ['is', 'eq', 'neq'], values: ['true', 'false', 'null'] },
  json: { ops: ['eq', 'neq', 'like', 'is'], values: ['1', 'x1', 'null', '*x*'] },
  array: { ops: ['cs', 'cd', 'ov', 'eq'], values: ['{t0,u}', '{u}', '{}', '{"a b",c}'] },
  range: { ops: ['sl', 'sr', 'nxr', 'nxl', 'adj', 'ov', 'cs'], values: ['[1,5)', '(10,20]', '[3,3]', 'empty', '(,)'] },
  tsv: { ops: ['fts', 'plfts', 'phfts', 'wfts'], values: ['cats', 'cats & dogs', "'book' & 'cats'", '(english).dogs', 'book number'] },
  time: { ops: ['gt', 'lt', 'eq', 'gte'], values: ['2024-01-05', '1960-01-01', '2024-01-01T00:00:00Z', 'now', 'infinity'] },
};
const related: Readonly<Record<Table, readonly string[]>> = {
  fz_authors: ['fz_books'],
  fz_books: ['fz_authors', 'fz_reviews'],
  fz_reviews: ['fz_books'],
  fz_scratch: [],
};

const ops = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'in', 'is', 'isdistinct',
  'fts', 'plfts', 'phfts', 'wfts', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj', 'eq(any)', 'like(all)', 'gt(any)'];
const casts = ['text', 'int', 'numeric', 'json', 'jsonb', 'date', 'bool', 'float8', 'varchar', 'bigint'];
const specials = ['(', ')', ',', '.', ':', '"', "'", '\\', '%', '%00', '%25', '!', '*', ' ', '->', '->>', '::', '{', '}', '[', ']', '&', '=', ';', '--', '\u00e9', '😀', '%ZZ', '+', '$1', '\n'];
const words = ['1', '0', '-1', '2.5', '1e400', '99999999999999999999', 'abc', 'book', 'book 1', 'null', 'true', 'false', 'unknown',
  '(1,2,3)', '("a","b")', '{t0,u}', '{}', '[1,5)', '(,)', '2024-01-01', 'cats & dogs', "o'neil", '%book%', '*book*', '^b.*', '"quoted"', '', 'NaN', 'infinity'];

/** encodeURIComponent, or the text as it is when it holds half a surrogate pair. */
function percentEncoded(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Grammar {
  constructor(private readonly r: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)] as T;
  }

  private chance(p: number): boolean {
    return this.r() < p;
  }

  private int(max: number): number {
    return Math.floor(this.r() * max);
  }

  private column(t: Table): string {
    return this.chance(0.95) ? this.pick(tables[t]) : this.pick(['nope', 'ID', 'id2', 'fz_books', '"id"', 'a b']);
  }

  private jsonPath(t: Table): string {
    const col = t === 'fz_authors' ? 'meta' : t === 'fz_books' ? 'info' : t === 'fz_scratch' ? 'c' : this.column(t);
    const steps = 1 + this.int(3);
    let p = col;
    for (let i = 0; i < steps; i++) p += (i === steps - 1 && this.chance(0.6) ? '->>' : '->') + this.pick(['a', 'b', 'c', 'k', 'n', 'm', 'l', '0', '1', '-1', '"x y"']);
    return p;
  }

  private selectItem(t: Table, depth: number): string {
    const k = this.r();
    if (k < 0.35) return this.column(t);
    if (k < 0.42) return '*';
    if (k < 0.5) return `${this.pick(['x', 'alias', 'Name', '"q"'])}:${this.column(t)}`;
    if (k < 0.58) return `${this.column(t)}::${this.pick(casts)}`;
    if (k < 0.68) return this.jsonPath(t) + (this.chance(0.3) ? `::${this.pick(casts)}` : '');
    if (k < 0.7) return this.chance(0.5) ? 'count()' : `${this.column(t)}.${this.pick(['sum', 'avg', 'max', 'min', 'count'])}()`;
    const rel = related[t];
    if (rel.length === 0 || depth > 2) return this.column(t);
    const child = this.pick(rel) as Table;
    const hint = this.chance(0.15) ? `!${this.pick(['inner', 'left', 'fz_books_author_id_fkey', 'author_id', 'nope'])}` : '';
    const spread = this.chance(0.1) ? '...' : '';
    const alias = this.chance(0.1) ? 'rel:' : '';
    return `${spread}${alias}${child}${hint}(${this.select(child, depth + 1)})`;
  }

  select(t: Table, depth = 0): string {
    return Array.from({ length: 1 + this.int(4) }, () => this.selectItem(t, depth)).join(',');
  }

  private value(): string {
    return this.chance(0.85) ? this.pick(words) : this.pick(words) + this.pick(specials) + this.pick(words);
  }

  private condition(t: Table): string {
    const not = this.chance(0.15) ? 'not.' : '';
    const column = this.column(t);
    const kind = kinds[column];
    if (kind !== undefined && this.chance(0.8)) {
      const { ops: fit, values } = typed[kind];
      const op = this.pick(fit);
      const value = op === 'in' ? `(${this.pick(values)},${this.pick(values)})` : op.includes('(any)') ? `{${this.pick(values)},${this.pick(values)}}` : this.pick(values);
      return `${kind === 'json' ? `${column}->>${this.pick(['a', 'k', '0'])}` : column}=${not}${op}.${value}`;
    }
    const op = this.pick(ops);
    const field = this.chance(0.2) ? this.jsonPath(t) : this.column(t);
    const value = op === 'in' ? `(${Array.from({ length: 1 + this.int(3) }, () => this.value()).join(',')})`
      : op === 'is' ? this.pick(['null', 'true', 'false', 'unknown', 'nope'])
      : op.endsWith('fts') && this.chance(0.3) ? `(english).${this.value()}` : this.value();
    return `${field}=${not}${op}.${value}`;
  }

  private logic(t: Table, depth: number): string {
    const items = Array.from({ length: 1 + this.int(3) }, () =>
      depth < 3 && this.chance(0.25) ? `${this.pick(['and', 'or', 'not.and', 'not.or'])}${this.logic(t, depth + 1)}` : this.condition(t).replace('=', '.'));
    return `(${items.join(',')})`;
  }

  private order(t: Table): string {
    return Array.from({ length: 1 + this.int(2) }, () => {
      const term = this.chance(0.15) ? this.jsonPath(t) : this.chance(0.1) && related[t].length > 0 ? `${this.pick(related[t])}(${this.column(this.pick(related[t]) as Table)})` : this.column(t);
      return term + (this.chance(0.6) ? `.${this.pick(['asc', 'desc'])}` : '') + (this.chance(0.3) ? `.${this.pick(['nullsfirst', 'nullslast', 'bogus'])}` : '');
    }).join(',');
  }

  private query(t: Table, method: string): string[] {
    const q: string[] = [];
    if (this.chance(0.6)) q.push(`select=${this.select(t)}`);
    for (let i = this.int(3); i > 0; i--) q.push(this.condition(t));
    if (this.chance(0.2)) q.push(`${this.pick(['or', 'and', 'not.or'])}=${this.logic(t, 0)}`);
    if (this.chance(0.3)) q.push(`order=${this.order(t)}`);
    if (this.chance(0.25)) q.push(`limit=${this.chance(0.85) ? this.pick(['0', '1', '5', '100']) : this.pick(['-1', '1e3', 'x', '9007199254740993'])}`);
    if (this.chance(0.15)) q.push(`offset=${this.chance(0.85) ? this.pick(['0', '3', '1000']) : this.pick(['-2', 'x'])}`);
    if (this.chance(0.1) && related[t].length > 0) {
      const rel = this.pick(related[t]) as Table;
      q.push(this.pick([`${rel}.limit=2`, `${rel}.order=${this.order(rel)}`, `${rel}.${this.condition(rel)}`, `${rel}=not.is.null`, `${rel}.or=${this.logic(rel, 0)}`]));
    }
    if (method !== 'GET' && method !== 'HEAD') {
      if (this.chance(0.2)) q.push(`columns=${Array.from({ length: 1 + this.int(3) }, () => this.column(t)).join(',')}`);
      if (this.chance(0.15)) q.push(`on_conflict=${this.column(t)}`);
    }
    return q;
  }

  private jsonValue(depth = 0): string {
    const k = this.r();
    if (k < 0.2) return String(this.int(1000) - 100);
    if (k < 0.4) return JSON.stringify(this.value());
    if (k < 0.5) return this.pick(['true', 'false', 'null', '1.5', '1e308', '-0']);
    if (depth > 2) return '1';
    if (k < 0.7) return `{${Array.from({ length: this.int(3) }, () => `${JSON.stringify(this.pick(['a', 'b', 'k', 'x y', '']))}:${this.jsonValue(depth + 1)}`).join(',')}}`;
    return `[${Array.from({ length: this.int(3) }, () => this.jsonValue(depth + 1)).join(',')}]`;
  }

  /** A value for a column: of its type most of the time. */
  private cell(column: string): string {
    if (this.chance(0.2)) return this.jsonValue();
    switch (kinds[column]) {
      case 'int': return String(this.int(1000));
      case 'num': return this.pick(['1.5', '0', '12345.678', '-2']);
      case 'bool': return this.pick(['true', 'false', 'null']);
      case 'json': return this.jsonValue();
      default: return JSON.stringify(this.value());
    }
  }

  private row(t: Table, columns: readonly string[]): string {
    return `{${columns.map((c) => `${JSON.stringify(c)}:${this.cell(c)}`).join(',')}}`;
  }

  private columns(t: Table): string[] {
    // Writes rarely set the key (a serial): conflicts would make most of them 409s.
    return [...new Set(Array.from({ length: 1 + this.int(4) }, () => this.column(t)))].filter((c) => c !== 'id' || this.chance(0.1));
  }

  private body(t: Table, contentType: string): string {
    if (contentType === 'text/csv') {
      const cols = [...new Set(Array.from({ length: 1 + this.int(3) }, () => this.column(t)))];
      return [cols.join(','), ...Array.from({ length: this.int(3) }, () => cols.map(() => this.pick(['1', 'x', 'NULL', '"a,b"', '', '2.5'])).join(','))].join('\n');
    }
    if (contentType === 'application/x-www-form-urlencoded') return `${this.column(t)}=${encodeURIComponent(this.value())}&${this.column(t)}=1`;
    const columns = this.columns(t);
    if (this.chance(0.5)) return this.row(t, columns);
    // Rows of a bulk body share their keys, as PostgREST demands (now and then they do not).
    return `[${Array.from({ length: this.int(4) }, () => this.row(t, this.chance(0.9) ? columns : this.columns(t))).join(',')}]`;
  }

  private headers(method: string, write: boolean): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.chance(0.3)) {
      const prefs = Array.from({ length: 1 + this.int(3) }, () => this.pick([
        'return=representation', 'return=minimal', 'return=headers-only', 'count=exact', 'count=planned', 'count=estimated',
        'resolution=merge-duplicates', 'resolution=ignore-duplicates', 'missing=default', 'handling=strict', 'handling=lenient',
        'tx=rollback', 'tx=commit', 'max-affected=1', 'max-affected=x', 'timezone=Europe/Paris', 'timezone=Nowhere/None',
        'params=single-object', 'bogus=1', 'return=', '']));
      h.Prefer = prefs.join(this.chance(0.8) ? ', ' : ';');
    }
    if (this.chance(0.15)) {
      h.Accept = this.pick(['application/json', 'text/csv', 'application/vnd.pgrst.object+json', 'application/vnd.pgrst.array+json;nulls=stripped',
        'application/geo+json', '*/*', 'text/plain', 'application/octet-stream', 'application/vnd.pgrst.plan+json', 'application/json;q=0.5, text/csv',
        'garbage', '', 'application/vnd.pgrst.object']);
    }
    if (this.chance(0.08)) {
      h.Range = this.pick(['0-9', '5-', '0-0', '10-5', '-5', 'items=0-3', 'x', '0-99999999999999999999']);
      if (this.chance(0.5)) h['Range-Unit'] = 'items';
    }
    if (this.chance(0.05)) h[write ? 'Content-Profile' : 'Accept-Profile'] = this.pick(['api', 'nope', 'fz_private', 'public', '']);
    if (write) {
      h['Content-Type'] = this.chance(0.8) ? 'application/json'
        : this.pick(['text/csv', 'application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'garbage', 'application/json; charset=latin1']);
    }
    if (method === 'OPTIONS' && this.chance(0.5)) {
      h.Origin = 'http://example.com';
      h['Access-Control-Request-Method'] = this.pick(['GET', 'POST', 'DELETE', 'BOGUS']);
    }
    return h;
  }

  private rpc(): FuzzRequest {
    const fn = this.pick(['fz_add', 'fz_search', 'fz_echo', 'fz_note', 'nope']);
    const method = this.pick(['GET', 'GET', 'POST', 'POST', 'HEAD', 'PATCH']);
    const args: Record<string, readonly string[]> = { fz_add: ['a', 'b'], fz_search: ['q'], fz_echo: ['j'], fz_note: ['b', 'a'], nope: ['x'] };
    const names = Array.from({ length: this.int(3) }, () => this.chance(0.85) ? this.pick(args[fn] as readonly string[]) : this.pick(['c', 'select', 'order']));
    const q: string[] = [];
    if (method === 'GET' || method === 'HEAD') for (const n of names) q.push(`${n}=${encodeURIComponent(n === 'j' ? this.jsonValue() : this.value())}`);
    if (fn === 'fz_search' && this.chance(0.5)) q.push(...this.query('fz_books', 'GET'));
    const write = method !== 'GET' && method !== 'HEAD';
    const headers = this.headers(method, write);
    const body = write ? `{${[...new Set(names)].map((n) => `${JSON.stringify(n)}:${n === 'j' ? this.jsonValue() : this.chance(0.5) ? JSON.stringify(this.value()) : String(this.int(100))}`).join(',')}}` : undefined;
    return { method, path: `/rpc/${fn}${q.length ? `?${q.join('&')}` : ''}`, headers, ...(body === undefined ? {} : { body }) };
  }

  /** One request, valid by construction most of the time. */
  request(): FuzzRequest {
    if (this.chance(0.15)) return this.rpc();
    if (this.chance(0.02)) return { method: this.pick(['GET', 'HEAD', 'POST']), path: this.pick(['/', '/nope', '/rpc', '/rpc/', '/fz_books/1', '/%zz', '//fz_books', '/fz_private.canary']), headers: this.headers('GET', false) };
    const method = this.pick(['GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']);
    const write = method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
    // Writes go to the scratch table only (reads of the others stay checkable), now and then elsewhere to be refused.
    const t: Table = write ? (this.chance(0.95) ? 'fz_scratch' : this.pick(['fz_books', 'fz_authors'])) : this.pick(['fz_authors', 'fz_books', 'fz_books', 'fz_reviews', 'fz_scratch']);
    const q = this.query(t, method);
    if (method === 'PUT') q.push(`id=eq.${this.int(50)}`);
    if ((method === 'PATCH' || method === 'DELETE') && q.length === 0) q.push(`id=eq.${this.int(50)}`);
    const headers = this.headers(method, write && method !== 'DELETE');
    const body = write && method !== 'DELETE' ? this.body(t, headers['Content-Type'] ?? 'application/json') : undefined;
    return { method, path: `/${t}${q.length ? `?${q.join('&')}` : ''}`, headers, ...(body === undefined ? {} : { body }) };
  }

  /** Mutations of a valid request: characters inserted, deleted or percent-encoded in the URL or the body. */
  mutate(req: FuzzRequest): FuzzRequest {
    let { path, body } = req;
    const times = 1 + this.int(3);
    for (let i = 0; i < times; i++) {
      if (body !== undefined && this.chance(0.3)) body = this.mutateText(body);
      else path = '/' + this.mutateText(path.slice(1));
    }
    return { ...req, path, ...(body === undefined ? {} : { body }) };
  }

  private mutateText(s: string): string {
    const at = this.int(s.length + 1);
    const k = this.r();
    if (k < 0.4) return s.slice(0, at) + this.pick(specials) + s.slice(at);
    if (k < 0.6) return s.slice(0, at) + s.slice(at + 1 + this.int(4));
    if (k < 0.75) return s.slice(0, at) + s.slice(Math.max(0, at - 8), at) + s.slice(at);
    if (k < 0.9) return s.slice(0, at) + percentEncoded(s.slice(at, at + 3)) + s.slice(at + 3);
    return s.slice(0, at);
  }
}
