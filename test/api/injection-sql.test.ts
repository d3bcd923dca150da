// Pure injection tests: hostile names, aliases, JSON keys, values, operators and order terms go
// through parse → plan → compile, and the SQL keeps the shape of the benign request: every
// identifier double-quoted, every value a $n parameter, no text of the attacker's outside them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planRead } from '../../src/plan/read.js';
import { parseRequest } from '../../src/request/parse-request.js';
import { tableKey, type Column, type SchemaCache, type Table } from '../../src/schema-cache/types.js';
import { render } from '../../src/sql/sql.js';
import { readStatements } from '../../src/sql/statement.js';

function col(name: string, baseType: string, category = 'S'): Column {
  return { name, type: baseType, baseType, category, nullable: true, default: null, generated: false, maxLength: null, enumValues: null, comment: null, position: 0 };
}

function table(name: string, columns: Column[]): Table {
  return {
    schema: 'api', name, kind: 'table', comment: null, insertable: true, updatable: true, deletable: true,
    columns, columnsByName: new Map(columns.map((c) => [c.name, c])), primaryKey: ['id'],
    privileges: new Map(), rlsEnabled: false,
  };
}

const hostileTable = 'it"ems; DROP TABLE private.canary;--';
const columns = [
  col('id', 'int4', 'N'), col('name', 'text'), col('data', 'jsonb', 'U'), col('tags', '_text', 'A'), col('body', 'text'),
  col('x"; DROP TABLE private.canary;--', 'text'), col("na'me", 'text'),
];
// `as`: the snapshot grows fields (relationships, …) that the read planner does not need here.
const cache = {
  schemas: ['api'],
  tables: new Map([table('items', columns), table(hostileTable, columns)].map((t) => [tableKey(t.schema, t.name), t])),
  functions: new Map(), foreignKeys: [], viewColumnSources: [], roles: new Map(), timezones: new Set(), serverVersion: 170000,
  loadedAt: new Date(0), relationships: new Map(),
} as SchemaCache;

/** The SQL of GET `url` (main statement, plus the EXPLAIN when a count is planned). */
function compile(url: string, headers: Record<string, string> = {}): { text: string; values: (string | null)[] } {
  const req = parseRequest({ method: 'GET', url, headers, body: null }, { schemas: ['api'] });
  const plan = planRead(req, cache, { maxRows: null, aggregatesEnabled: false });
  const { explain, main } = readStatements(plan);
  const m = render(main);
  return explain ? { text: `${render(explain).text};${m.text}`, values: m.values } : m;
}

/**
 * Tokenises SQL text: `"…"` identifiers (with `""`) become I, `$n` becomes $, numbers N;
 * our own `'…'` literals stay. Throws on an unterminated quote.
 */
function shape(text: string): { skeleton: string; idents: string[]; bare: string } {
  let skeleton = '';
  let bare = '';
  const idents: string[] = [];
  let i = 0;
  const quoted = (q: string): string => {
    let out = '';
    let j = i + 1;
    for (;;) {
      if (j >= text.length) throw new Error(`unterminated ${q} at ${i}: ${text.slice(i, i + 40)}`);
      if (text[j] === q) {
        if (text[j + 1] === q) { out += q; j += 2; continue; }
        break;
      }
      out += text[j++];
    }
    i = j + 1;
    return out;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') { idents.push(quoted('"')); skeleton += 'I'; continue; }
    if (c === "'") { const start = i; quoted("'"); skeleton += text.slice(start, i); continue; }
    const num = /^\$?\d+/.exec(text.slice(i));
    if (num && !/[A-Za-z_]/.test(text[i - 1] ?? '')) {
      skeleton += num[0].startsWith('$') ? '$' : 'N';
      i += num[0].length;
      continue;
    }
    skeleton += c;
    bare += c;
    i++;
  }
  return { skeleton, idents, bare };
}

const markers = /drop|canary|pg_sleep|set_config|;|--|\/\*/i;

/** Hostile requests that must compile to the very shape of their benign twin. */
const pairs: [string, string, string][] = [
  ['select column', '/items?select=name', '/items?select="x\\"; DROP TABLE private.canary;--"'],
  ['select alias', '/items?select=a:name', '/items?select="a\\" FROM private.canary;--":name'],
  ['select JSON key', '/items?select=data->>color', `/items?select=data->>"color'); DROP TABLE private.canary;--"`],
  ['select JSON key, arrow', '/items?select=data->a->>b', `/items?select=data->"a'--"->>"b/*"`],
  ['table name', '/items?select=id', `/${encodeURIComponent(hostileTable)}?select=id`],
  ['filter column', '/items?name=eq.x', `/items?${encodeURIComponent('"x\\"; DROP TABLE private.canary;--"')}=eq.x`],
  ['filter column with a quote', '/items?name=eq.x', `/items?${encodeURIComponent(`"na'me"`)}=eq.x`],
  ['filter value', '/items?name=eq.x', `/items?name=eq.${encodeURIComponent("'; DROP TABLE private.canary;--")}`],
  ['like value', '/items?name=like.*x*', `/items?name=like.${encodeURIComponent("*'||pg_sleep(5)||'*")}`],
  ['in values', '/items?id=in.(1,2)', `/items?id=in.(1,${encodeURIComponent('"2); DROP TABLE private.canary;--"')})`],
  ['any values', '/items?name=like(any).{a,b}', `/items?name=like(any).{a,${encodeURIComponent(`"b'}; DROP TABLE private.canary;--"`)}}`],
  ['contains value', '/items?tags=cs.{a}', `/items?tags=cs.${encodeURIComponent(`{"a'}'); DROP TABLE private.canary;--"}`)}`],
  ['fts language and query', '/items?body=fts(english).x', `/items?body=fts(${encodeURIComponent(`"english'); SELECT pg_sleep(5);--"`)}).${encodeURIComponent("x' | pg_sleep")}`],
  // PostgREST v13 reads unquoted JSON keys with any non-reserved character: they are parameters.
  ['unquoted JSON key with quotes and specials', '/items?select=data->>k', `/items?select=${encodeURIComponent("data->>k';DROP TABLE private!canary;/*&*")}`],
  ['JSON filter key', '/items?data->>k=eq.1', `/items?${encodeURIComponent(`data->>"k'); DROP TABLE private.canary;--"`)}=eq.1`],
  ['order column', '/items?order=name.desc', `/items?order=${encodeURIComponent('"name; DROP TABLE private.canary;--"')}.desc`],
  ['order JSON key', '/items?order=data->>k.desc.nullslast', `/items?order=${encodeURIComponent(`data->>"k') DESC; SELECT pg_sleep(5);--"`)}.desc.nullslast`],
  ['or tree', '/items?or=(id.eq.1,name.eq.x)', `/items?or=(id.eq.1,name.eq.${encodeURIComponent(`"x'); DROP TABLE private.canary;--"`)})`],
  ['not and tree', '/items?not.and=(id.gt.1,name.is.null)', `/items?not.and=(${encodeURIComponent('"x\\"; DROP TABLE private.canary;--"')}.gt.1,name.is.null)`],
  ['limit and offset', '/items?limit=5000&offset=2', '/items?limit=900719925474099&offset=90071992547409'],
  ['small limit and offset', '/items?limit=1&offset=2', '/items?limit=999&offset=90071992547409'],
];

describe('injection: hostile input keeps the SQL shape', () => {
  for (const [label, benign, hostile] of pairs) {
    it(label, () => {
      const a = compile(benign);
      const b = compile(hostile);
      const sa = shape(a.text);
      const sb = shape(b.text);
      assert.equal(sb.skeleton, sa.skeleton, 'same SQL shape as the benign request');
      assert.doesNotMatch(sb.bare, markers, 'no attacker text outside quoted identifiers and parameters');
      assert.equal(b.values.length, a.values.length, 'same number of parameters');
    });
  }

  it('keeps hostile names intact inside one quoted identifier', () => {
    const { text } = compile('/items?select="x\\"; DROP TABLE private.canary;--"');
    assert.ok(text.includes('"items"."x""; DROP TABLE private.canary;--"'), text);
    assert.ok(shape(text).idents.includes('x"; DROP TABLE private.canary;--'));
  });

  it('passes hostile values only as parameters', () => {
    const payload = "'; DROP TABLE private.canary;--";
    const { text, values } = compile(`/items?name=eq.${encodeURIComponent(payload)}&data->>${encodeURIComponent('"k\'--"')}=eq.1`);
    assert.ok(values.includes(payload));
    assert.ok(values.includes("k'--"));
    assert.ok(!text.includes(payload));
    assert.match(text, /"items"\."name" = \$\d/);
  });

  it('compiles a count and CSV with the same guarantees', () => {
    const h = { Accept: 'text/csv', Prefer: 'count=planned' };
    const a = compile('/items?name=eq.x', Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])));
    const b = compile(`/items?name=eq.${encodeURIComponent("x'; SELECT pg_sleep(5)")}`, Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])));
    assert.equal(shape(b.text).skeleton, shape(a.text).skeleton);
  });

  const refused: [string, string][] = [
    ['cast with a statement', '/items?select=id::text;DROP TABLE private.canary'],
    ['cast with a union', '/items?select=id::text union select note from private.canary'],
    ['cast closing a paren', '/items?select=id::text)from private.canary--'],
    ['cast with a comment', '/items?select=id::text/**/'],
    ['quoted cast', '/items?select=id::"text"'],
    ['function as a column', '/items?select=pg_sleep(5)'],
    ['subquery as a column', '/items?select=*,(select note from private.canary)'],
    ['set_config smuggled in select', "/items?select=set_config('role','postgres',false)"],
    ['unknown operator', '/items?id=raw.1'],
    ['operator with a statement', '/items?id=eq;DROP.1'],
    ['bad quantifier', '/items?id=eq(some).{1}'],
    ['is with garbage', '/items?id=is.null;DROP'],
    ['fts language with a quote', "/items?body=fts(english').x"],
    ['order with a statement', '/items?order=id;DROP TABLE private.canary'],
    ['order subquery', '/items?order=(select 1)'],
    ['order with raw keywords', '/items?order=id.asc nulls first'],
    ['logic tree with trailing SQL', '/items?or=(id.eq.1);DROP TABLE private.canary'],
    ['NUL in a value', '/items?name=eq.a%00b'],
    ['NUL in a name', '/items?select=na%00me'],
    ['newline in a name', '/items?select=id%0A;DROP'],
    ['huge limit', `/items?limit=${'9'.repeat(400)}`],
    ['huge offset', `/items?offset=${'9'.repeat(400)}`],
    ['deep logic tree', `/items?or=(${'and('.repeat(500)}id.eq.1${')'.repeat(500)})`],
    ['deep embeds', `/items?select=${'a('.repeat(500)}id${')'.repeat(500)}`],
    ['too many columns', `/items?select=${'id,'.repeat(2000)}id`],
  ];
  for (const [label, url] of refused) {
    it(`refuses ${label}`, () => {
      assert.throws(() => compile(url), (e: Error) => ['ApiError', 'InvalidCastError', 'UnsafeIdentifierError'].includes(e.name) || ['InvalidCastError', 'UnsafeIdentifierError'].includes(e.constructor.name));
    });
  }

  it('refuses hostile Range and profile headers', () => {
    for (const range of [`${'9'.repeat(400)}-`, `0-${'9'.repeat(400)}`, '5-1']) {
      assert.throws(() => compile('/items', { range }), { name: 'ApiError', code: 'PGRST103' });
    }
    for (const profile of ['api; DROP TABLE private.canary', 'api", "private', 'private', "api'--"]) {
      assert.throws(() => compile('/items', { 'accept-profile': profile }), { name: 'ApiError', code: 'PGRST106' });
    }
  });
});
