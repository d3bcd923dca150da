// The injection suite over HTTP on every backend: hostile names, aliases, casts, values, JSON keys,
// operators, order terms, profile/Prefer/Range/Accept headers, encoded quotes, NUL, newlines and
// very long inputs. Each answer is data or a clean PostgREST-shaped 4xx, nothing sleeps, and the
// private canary table is untouched.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const e = encodeURIComponent;
const drop = "'; DROP TABLE private.canary; --";
const sleep = "'||pg_sleep(5)||'";

/** `data`: a 200 with a JSON array (the payload was only data); `error`: a clean 4xx; `any`: either. */
type Expect = 'data' | 'error' | 'any';
interface Attack { readonly label: string; readonly path: string; readonly init?: RequestInit; readonly expect: Expect; readonly status?: number }

const get = (label: string, path: string, expect: Expect, headers?: Record<string, string>, status?: number): Attack =>
  ({ label, path, expect, ...(headers ? { init: { headers } } : {}), ...(status ? { status } : {}) });

const attacks: Attack[] = [
  // column names, aliases, casts in select
  get('statement after a column', `/items?select=${e('id;drop table private.canary')}`, 'error', undefined, 400),
  get('closing paren in select', `/items?select=${e('id);drop table private.canary;--')}`, 'error', undefined, 400),
  get('quoted hostile column', `/items?select=${e('"id"";drop table private.canary;--"')}`, 'error', undefined, 400),
  get('subquery in select', `/items?select=${e('*,(select note from private.canary)')}`, 'error', undefined, 400),
  get('function call in select', `/items?select=${e('pg_sleep(5)')}`, 'error'),
  get('set_config in select', `/items?select=${e("set_config('role','postgres',false)")}`, 'error', undefined, 400),
  get('hostile alias', `/items?select=${e('"a\\" from private.canary;--":id')}&id=eq.1`, 'data'),
  get('cast with a statement', `/items?select=${e('id::text;drop table private.canary')}`, 'error', undefined, 400),
  get('cast with a union', `/items?select=${e('id::text union select note from private.canary')}`, 'error', undefined, 400),
  get('cast closing a paren', `/items?select=${e('id::text)from private.canary--')}`, 'error', undefined, 400),
  get('cast to a function name', `/items?select=${e('id::pg_sleep')}`, 'error', undefined, 400),
  get('quoted cast', `/items?select=${e('id::"text"')}`, 'error', undefined, 400),
  // JSON paths
  // A JSON key may hold any non-reserved character (PostgREST v13); it reaches SQL as a parameter.
  get('JSON key with a bare quote', `/items?select=${e("data->>'color'")}`, 'data'),
  get('JSON key with a statement', `/items?select=${e("id,data->>x';DROP TABLE private!canary;/*")}`, 'data'),
  get('quoted hostile JSON key in select', `/items?select=${e(`id,data->>"color${drop}"`)}`, 'data'),
  get('hostile JSON key in a filter', `/items?${e(`data->>"k${sleep}"`)}=eq.x`, 'data'),
  get('huge array index', `/items?select=id&${e('data->99999999999999999999')}=eq.1`, 'error'),
  // values
  get('quote in a value', `/items?name=eq.${e(drop)}`, 'data'),
  get('tautology in a value', `/items?name=eq.${e("apple' OR '1'='1")}`, 'data'),
  get('SQL in an integer value', `/items?id=eq.${e('1 OR 1=1')}`, 'error', undefined, 400),
  get('quoted in-list value', `/items?name=in.(apple,${e(`"x${drop}"`)})`, 'data'),
  get('like with pg_sleep', `/items?name=like.${e(`*${sleep}*`)}`, 'data'),
  get('array literal with quotes', `/items?tags=cs.${e(`{"a\\"}'); DROP TABLE private.canary;--"}`)}`, 'any'),
  get('jsonb with quotes', `/items?data=cs.${e(`{"a":"${drop}"}`)}`, 'data'),
  get('tsquery with pg_sleep', `/items?doc=fts(english).${e("x' & pg_sleep(5)")}`, 'any'),
  get('hostile fts language', `/items?body=fts(${e(`"english'); select pg_sleep(5);--"`)}).x`, 'error', undefined, 400),
  get('fts language with a bare quote', `/items?body=fts(${e("english'--")}).x`, 'error', undefined, 400),
  get('quantified values', `/items?name=like(any).{a,${e(`"b'}; select pg_sleep(5);--"`)}}`, 'data'),
  // operators and logic
  get('unknown operator', '/items?id=raw.1', 'error', undefined, 400),
  get('operator with a statement', `/items?id=${e('eq;drop table private.canary.1')}`, 'error', undefined, 400),
  get('bad quantifier', '/items?id=eq(some).{1}', 'error', undefined, 400),
  get('is with a statement', `/items?id=${e('is.null;drop table private.canary')}`, 'error', undefined, 400),
  get('isdistinct with a paren', `/items?id=${e('isdistinct.1);select pg_sleep(5)--')}`, 'error', undefined, 400),
  get('logic tree with trailing SQL', `/items?or=${e('(id.eq.1);drop table private.canary')}`, 'error', undefined, 400),
  get('logic tree with hostile value', `/items?or=${e(`(id.eq.1,name.eq."x${drop}")`)}`, 'data'),
  get('logic tree with a subquery', `/items?and=${e("(id.eq.1,name.eq.'),(select pg_sleep(5)))")}`, 'error', undefined, 400),
  // order
  get('order with a statement', `/items?order=${e('id;drop table private.canary')}`, 'error', undefined, 400),
  get('order with pg_sleep', `/items?order=${e('id.desc;select pg_sleep(5)')}`, 'error', undefined, 400),
  get('order subquery', `/items?order=${e('(select 1)')}`, 'error', undefined, 400),
  get('order with raw keywords', `/items?order=${e('id.asc nulls first')}`, 'error', undefined, 400),
  get('order by a function', `/items?order=${e('pg_sleep(5)')}`, 'error', undefined, 400),
  get('order quoted hostile column', `/items?order=${e('"id"" desc, (select pg_sleep(5))--".asc')}`, 'error', undefined, 400),
  get('order hostile JSON key', `/items?order=${e(`data->>"a')||pg_sleep(5)--".desc`)}`, 'data'),
  // headers
  get('Accept-Profile with a statement', '/items', 'error', { 'Accept-Profile': 'api; drop table private.canary' }, 406),
  get('Accept-Profile quoting out', '/items', 'error', { 'Accept-Profile': 'api", "private' }, 406),
  get('Accept-Profile of a private schema', '/items', 'error', { 'Accept-Profile': 'private' }, 406),
  { label: 'Content-Profile with a statement', path: '/items', expect: 'error', status: 406, init: { method: 'POST', headers: { 'Content-Profile': "api'; drop table private.canary;--", 'Content-Type': 'application/json' }, body: '{"id":9}' } },
  get('Prefer with a statement', '/items?select=id', 'data', { Prefer: 'count=exact; drop table private.canary' }),
  get('Prefer timezone with SQL', '/items?select=id', 'data', { Prefer: `timezone=UTC${sleep}` }),
  get('Prefer tx with SQL', '/items?select=id', 'data', { Prefer: "tx=rollback'--" }),
  get('Prefer strict with SQL', '/items?select=id', 'error', { Prefer: `handling=strict, count=exact${drop}` }, 400),
  get('Range with a statement', '/items?select=id', 'data', { Range: '0-1; drop table private.canary' }),
  get('Range inverted', '/items?select=id', 'error', { Range: '5-1' }, 416),
  get('Range huge', '/items?select=id', 'error', { Range: `${'9'.repeat(400)}-` }, 416),
  get('Range huge upper', '/items?select=id', 'error', { Range: `0-${'9'.repeat(30)}` }, 416),
  get('Accept with SQL', '/items', 'error', { Accept: "text/csv'; drop table private.canary" }, 406),
  get('custom header with set_config', '/items?select=id', 'data', { 'X-Evil': "'); select set_config('role','postgres',false);--" }),
  get('cookie with SQL', '/items?select=id', 'data', { Cookie: `a=${e(drop)}; b="'--"` }),
  // paths
  get('statement in the path', `/items${e(';drop table private.canary')}`, 'error', undefined, 404),
  get('quote in the path', `/${e('items"; drop table private.canary;--')}`, 'error', undefined, 404),
  get('private table by name', `/${e('private.canary')}`, 'error', undefined, 404),
  get('dot-dot in the path', `/..%2Fprivate%2Fcanary`, 'error'),
  get('NUL in the path', '/items%00', 'error', undefined, 404),
  get('function of pg_catalog', '/rpc/pg_sleep?seconds=5', 'error'),
  // encodings, NUL, newlines
  get('encoded quote and semicolon in a value', '/items?name=eq.%27%3B%20DROP%20TABLE%20private.canary%3B--', 'data'),
  get('NUL in a value', '/items?name=eq.a%00b', 'error', undefined, 400),
  get('NUL in a name', '/items?select=na%00me', 'error', undefined, 400),
  get('NUL in a key', '/items?na%00me=eq.1', 'error', undefined, 400),
  get('newline in a name', '/items?select=id%0A%3Bdrop', 'error', undefined, 400),
  get('newline in a value', `/items?name=eq.${e(`x\n${drop}\r\n`)}`, 'data'),
  get('comment in a name', `/items?select=${e('id/**/,name')}`, 'error', undefined, 400),
  get('unicode quote look-alikes', `/items?name=eq.${e('ʼ; DROP TABLE private.canary; --')}`, 'data'),
  get('backslash escapes', `/items?name=eq.${e("\\'; DROP TABLE private.canary; --")}`, 'data'),
  // writes: hostile body keys, columns, on_conflict and filters (api_anon may only read items,
  // so the best a write can reach is PostgreSQL's permission check)
  { label: 'hostile body key', path: '/items', expect: 'error', init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ [`id") VALUES (1); DROP TABLE private.canary;--`]: 1 }) } },
  { label: 'hostile body value', path: '/items', expect: 'error', init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 9, name: drop }) } },
  { label: 'hostile columns', path: `/items?columns=${e('id,name);drop table private.canary;--')}`, expect: 'error', init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":9,"name":"x"}' } },
  { label: 'hostile on_conflict', path: `/items?on_conflict=${e('id) DO UPDATE SET name=1;--')}`, expect: 'error', init: { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'resolution=merge-duplicates' }, body: '{"id":1,"name":"x"}' } },
  { label: 'hostile CSV header', path: '/items', expect: 'error', init: { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: `"id"");drop table private.canary;--",name\n9,x` } },
  { label: 'PATCH with a hostile filter', path: `/items?id=eq.${e("1'; DROP TABLE private.canary;--")}`, expect: 'error', init: { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}' } },
  { label: 'DELETE with a hostile logic tree', path: `/items?or=${e('(id.eq.1);delete from private.canary')}`, expect: 'error', init: { method: 'DELETE' } },
  { label: 'DELETE of a private table', path: `/${e('private.canary')}?id=eq.1`, expect: 'error', init: { method: 'DELETE' } },
  // very long inputs
  get('long column name', `/items?select=${'a'.repeat(6000)}`, 'error', undefined, 400),
  get('long value', `/items?name=eq.${'x'.repeat(12000)}`, 'data'),
  get('long in-list', `/items?id=in.(${Array.from({ length: 2000 }, (_, i) => i).join(',')})`, 'data'),
  get('deep logic tree', `/items?or=(${'and('.repeat(2500)}id.eq.1${')'.repeat(2500)})`, 'error', undefined, 400),
  get('deep embeds', `/items?select=${'a('.repeat(3000)}id${')'.repeat(3000)}`, 'error', undefined, 400),
  get('too many columns', `/items?select=${'id,'.repeat(2500)}id`, 'error', undefined, 400),
  get('huge limit', `/items?limit=${'9'.repeat(400)}`, 'error', undefined, 400),
  get('huge offset', `/items?offset=${'9'.repeat(400)}`, 'error', undefined, 400),
  get('long Prefer', '/items?select=id', 'data', { Prefer: `count=exact, ${'x'.repeat(8000)}` }),
];

/** What a leak would look like: our SQL, a stack trace, a file path. */
const leaks = /pgrst_source|_postgrest_t|\bFROM "|\bSELECT\b.*\bFROM\b|\n\s+at |\.ts:\d+|node_modules|\/work\/|\/src\//;

async function check(api: TestApi, a: Attack): Promise<void> {
  const started = Date.now();
  const r = await api.fetch(a.path, a.init);
  const text = await r.text();
  const ms = Date.now() - started;
  const what = `${a.label}: ${r.status} ${text.slice(0, 300)}`;
  assert.ok(ms < 4000, `${a.label} took ${ms} ms (did something sleep?)`);
  assert.ok(r.status < 500, what);
  if (r.status < 400) {
    assert.notEqual(a.expect, 'error', what);
    assert.ok(Array.isArray(JSON.parse(text)), what);
    return;
  }
  assert.notEqual(a.expect, 'data', what);
  if (a.status) assert.equal(r.status, a.status, what);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/, what);
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['code', 'details', 'hint', 'message'], what);
  assert.match(String(body.code), /^(PGRST\d{3}|[0-9A-Z]{5})$/, what);
  assert.equal(typeof body.message, 'string', what);
  assert.doesNotMatch(`${body.message}\n${String(body.details)}\n${String(body.hint)}`, leaks, what);
}

for (const kind of backendKinds()) {
  describe(`injection over HTTP (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['read.sql'], options: { 'db-schemas': 'api,v2' } }); });
    after(async () => { await api?.close(); });

    for (const a of attacks) it(a.label, () => check(api, a));

    it('the hostile alias comes back as a plain key', async () => {
      const r = await api.fetch(`/items?select=${e('"a\\" from private.canary;--":id')}&id=eq.1`);
      assert.deepEqual(await r.json(), [{ 'a" from private.canary;--': 1 }]);
    });

    it('the canary is untouched, the items are all there and the API still answers as before', async () => {
      assert.deepEqual(await api.sql('SELECT id, note FROM private.canary'), [{ id: 1, note: 'alive' }]);
      assert.deepEqual(await api.sql('SELECT count(*)::int AS n FROM api.items'), [{ n: 5 }]);
      const r = await api.fetch('/items?select=id&order=id');
      assert.deepEqual(await r.json(), [1, 2, 3, 4, 5].map((id) => ({ id })));
      // Nothing leaked into the session: a pooled connection still runs as the anonymous role.
      const canary = await api.fetch('/canary', { headers: { 'Accept-Profile': 'v2' } });
      assert.equal(canary.status, 404);
    });
  });
}
