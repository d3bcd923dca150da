// HTTP tests of /rpc/<function> on every backend: arguments (JSON, form, query string, variadic,
// arrays, a raw body), result shapes, read features over SETOF/TABLE results, overloads, verbs,
// read-only transactions, hoisted settings, and @supabase/postgrest-js's rpc().
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgrestClient } from '@supabase/postgrest-js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

for (const kind of backendKinds()) {
  describe(`rpc (${kind})`, () => {
    let api: TestApi;
    let client: PostgrestClient;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['rpc.sql'], options: { 'db-tx-end': 'commit-allow-override' } });
      client = new PostgrestClient(api.url, { retry: false } as never);
    });
    after(async () => { await api?.close(); });

    const post = (path: string, body: string | object | null, headers: Record<string, string> = {}) => api.fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const get = (path: string, headers: Record<string, string> = {}) => api.fetch(path, { headers });
    const logCount = async () => Number((await api.sql('SELECT count(*)::int AS n FROM api.call_log'))[0]?.n);
    const bookCount = async () => Number((await api.sql('SELECT count(*)::int AS n FROM api.books'))[0]?.n);
    const error = async (r: Response, status: number, code: string) => {
      const body = await r.json() as { code: string; message: string; details: unknown; hint: unknown };
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(body.code, code, JSON.stringify(body));
      return body;
    };

    describe('arguments', () => {
      it('POST named arguments; scalar results are bare JSON', async () => {
        const r = await post('/rpc/add', { a: 1, b: 2 });
        assert.equal(r.status, 200);
        assert.equal(await r.text(), '3');
        assert.equal(await (await post('/rpc/hello', null)).text(), '"hello"');
        assert.equal(await (await post('/rpc/big', {})).text(), '123456789012345678901234567890.5');
      });

      it('defaults may be omitted', async () => {
        assert.equal(await (await post('/rpc/add_default', { a: 1 })).text(), '11');
        assert.equal(await (await get('/rpc/add_default?a=1&b=2')).text(), '3');
      });

      it('GET and HEAD take arguments from the query string', async () => {
        const r = await get('/rpc/add?a=40&b=2');
        assert.equal(r.status, 200);
        assert.equal(await r.text(), '42');
        const h = await api.fetch('/rpc/add?a=40&b=2', { method: 'HEAD' });
        assert.equal(h.status, 200);
        assert.equal(await h.text(), '');
      });

      it('form-urlencoded POST bodies', async () => {
        const r = await post('/rpc/add', 'a=5&b=6', { 'Content-Type': 'application/x-www-form-urlencoded' });
        assert.equal(await r.text(), '11');
      });

      it('variadic arguments: a JSON array, or repeated query parameters', async () => {
        assert.equal(await (await post('/rpc/sum_all', { nums: [1, 2, 3] })).text(), '6');
        assert.equal(await (await get('/rpc/sum_all?nums=1&nums=2&nums=3&nums=4')).text(), '10');
        assert.equal(await (await get('/rpc/sum_all?nums=5')).text(), '5');
      });

      it('array arguments: {…} on GET, JSON arrays on POST', async () => {
        assert.equal(await (await get('/rpc/arr_len?arr={1,2,3}')).text(), '3');
        assert.equal(await (await post('/rpc/arr_len', { arr: [1, 2] })).text(), '2');
      });

      it('a single unnamed jsonb parameter takes the whole body', async () => {
        const r = await post('/rpc/echo_json', [1, { a: 'b' }]);
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), [1, { a: 'b' }]);
        assert.deepEqual(await (await post('/rpc/echo_json', { x: 1 })).json(), { x: 1 });
      });

      it('single unnamed text / bytea / xml parameters take raw bodies', async () => {
        assert.equal(await (await post('/rpc/shout', 'hi there', { 'Content-Type': 'text/plain' })).text(), '"HI THERE"');
        const bytes = Buffer.from([0, 1, 2, 255, 92]);
        const r = await api.fetch('/rpc/byte_len', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
        assert.equal(await r.text(), '5');
        assert.equal(await (await post('/rpc/xml_root', '<book><t>x</t></book>', { 'Content-Type': 'text/xml' })).text(), '"book"');
        const none = await post('/rpc/add', 'text', { 'Content-Type': 'text/plain' });
        const b = await error(none, 404, 'PGRST202');
        assert.equal(b.message, 'Could not find the function api.add in the schema cache');
        assert.equal(b.details, 'Searched for the function api.add with a single unnamed text parameter, but no matches were found in the schema cache.');
      });

      it('overloads are chosen by argument names; same names are ambiguous (300 PGRST203)', async () => {
        assert.equal(await (await post('/rpc/pick', { a: 1 })).text(), '"a"');
        assert.equal(await (await get('/rpc/pick?b=1')).text(), '"b"');
        const r = await post('/rpc/clash', { x: 1 });
        const b = await error(r, 300, 'PGRST203');
        assert.match(b.message, /^Could not choose the best candidate function between: api\.clash\(x => (integer|text)\), api\.clash\(x => (integer|text)\)$/);
      });

      it('unknown functions or arguments: 404 PGRST202 with a hint', async () => {
        const r = await post('/rpc/helo', {});
        const b = await error(r, 404, 'PGRST202');
        assert.equal(b.message, 'Could not find the function api.helo without parameters in the schema cache');
        assert.equal(b.details, 'Searched for the function api.helo without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.');
        assert.equal(b.hint, 'Perhaps you meant to call the function api.hello');
        const r2 = await get('/rpc/add?a=1&c=2');
        const b2 = await error(r2, 404, 'PGRST202');
        assert.equal(b2.message, 'Could not find the function api.add(a, c) in the schema cache');
        assert.equal(b2.details, 'Searched for the function api.add with parameters a, c, but no matches were found in the schema cache.');
        assert.equal(b2.hint, 'Perhaps you meant to call the function api.add(a, b)');
      });

      it('invalid bodies: 400 PGRST102', async () => {
        await error(await post('/rpc/add', '{"a":'), 400, 'PGRST102');
        // A JSON array names no arguments: no function matches.
        await error(await post('/rpc/add', '[1]'), 404, 'PGRST202');
        await error(await post('/rpc/add', 'a,b', { 'Content-Type': 'text/csv' }), 400, 'PGRST102');
      });
    });

    describe('results', () => {
      it('SETOF: an array with filters, select, order, limit and offset', async () => {
        const r = await get('/rpc/all_books?select=id,title&year=lt.1900&order=id.desc&limit=1');
        assert.deepEqual(await r.json(), [{ id: 3, title: 'Persuasion' }]);
        const p = await post('/rpc/books_by?select=title&order=title.desc', { author: 'Austen' });
        assert.deepEqual(await p.json(), [{ title: 'Persuasion' }, { title: 'Emma' }]);
        const g = await get('/rpc/books_by?author=Austen&id=gt.2&select=id');
        assert.deepEqual(await g.json(), [{ id: 3 }]);
      });

      it('SETOF: counts, Content-Range and 206', async () => {
        const r = await get('/rpc/all_books?select=id&limit=2', { Prefer: 'count=exact' });
        assert.equal(r.status, 206);
        assert.equal(r.headers.get('content-range'), '0-1/4');
        assert.equal(r.headers.get('preference-applied'), 'count=exact');
      });

      it('SETOF: singular and CSV', async () => {
        const one = await get('/rpc/all_books?id=eq.4&select=title', { Accept: 'application/vnd.pgrst.object+json' });
        assert.deepEqual(await one.json(), { title: 'Ubik' });
        await error(await get('/rpc/all_books', { Accept: 'application/vnd.pgrst.object+json' }), 406, 'PGRST116');
        const csv = await get('/rpc/all_books?select=id,title&id=lte.2', { Accept: 'text/csv' });
        assert.equal(await csv.text(), 'id,title\n1,Dune\n2,Emma');
      });

      it('RETURNS TABLE and SETOF scalars', async () => {
        assert.deepEqual(await (await get('/rpc/book_titles?min_year=1960&title=like.U*')).json(), [{ id: 4, title: 'Ubik' }]);
        assert.deepEqual(await (await get('/rpc/years')).json(), [1965, 1815, 1817, 1969]);
      });

      it('a single composite row is an object', async () => {
        const r = await get('/rpc/one_book?book_id=2');
        assert.deepEqual(await r.json(), { id: 2, title: 'Emma', year: 1815, author: 'Austen' });
      });

      it('void → 204 without a body', async () => {
        const before = await logCount();
        const r = await post('/rpc/log_call', {});
        assert.equal(r.status, 204);
        assert.equal(await r.text(), '');
        assert.equal(r.headers.get('content-type'), null);
        assert.equal(await logCount(), before + 1);
      });
    });

    describe('verbs and transactions', () => {
      it('other verbs: 405 PGRST101', async () => {
        for (const method of ['PATCH', 'PUT', 'DELETE']) {
          const b = await error(await api.fetch('/rpc/add', { method }), 405, 'PGRST101');
          assert.equal(b.message, `Cannot use the ${method} method on RPC`);
        }
      });

      it('GET and HEAD call VOLATILE functions read-only: a write fails with 405 25006, nothing runs', async () => {
        const before = await logCount();
        await error(await get('/rpc/log_call'), 405, '25006');
        const head = await api.fetch('/rpc/log_call?note=x', { method: 'HEAD' });
        assert.equal(head.status, 405);
        assert.equal(await head.text(), '');
        assert.equal(await logCount(), before);
        assert.equal(await (await get('/rpc/in_read_only')).text(), 'true');
      });

      it('STABLE functions run read-only even on POST (writing: 405 25006)', async () => {
        const before = await logCount();
        await error(await post('/rpc/sneaky_write', {}), 405, '25006');
        await error(await get('/rpc/sneaky_write'), 405, '25006');
        assert.equal(await logCount(), before);
        assert.equal(await (await post('/rpc/in_read_only', {})).text(), 'false');
      });

      it('VOLATILE POST writes; tx=rollback undoes it', async () => {
        const books = await bookCount();
        const r = await post('/rpc/add_book', { id: 50, title: 'Rolled back' }, { Prefer: 'tx=rollback' });
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), { id: 50, title: 'Rolled back', year: null, author: null });
        assert.equal(r.headers.get('preference-applied'), 'tx=rollback');
        assert.equal(await bookCount(), books);
        await post('/rpc/add_book', { id: 51, title: 'Kept' });
        assert.equal(await bookCount(), books + 1);
      });

      it('max-affected on SETOF: PGRST124 and rolled back; PGRST128 on other functions', async () => {
        await post('/rpc/log_call', { note: 'one' });
        await post('/rpc/log_call', { note: 'two' });
        const before = await logCount();
        const b = await error(await post('/rpc/clear_log', {}, { Prefer: 'handling=strict, max-affected=1' }), 400, 'PGRST124');
        assert.equal(b.details, `The query affects ${before} rows`);
        assert.equal(await logCount(), before);
        await error(await post('/rpc/add', { a: 1, b: 1 }, { Prefer: 'handling=strict, max-affected=1' }), 400, 'PGRST128');
      });

      it('singular on a write rolls it back', async () => {
        await post('/rpc/log_call', { note: 'x' });
        const before = await logCount();
        await error(await post('/rpc/clear_log', {}, { Accept: 'application/vnd.pgrst.object+json' }), 406, 'PGRST116');
        assert.equal(await logCount(), before);
      });

      it('function SET settings are hoisted into the transaction (statement_timeout)', async () => {
        const r = await post('/rpc/sleepy', { ms: 1000 });
        if (kind === 'pglite') {
          // PGlite is single-process and never fires statement_timeout: the call completes.
          assert.equal(r.status, 200);
        } else {
          const b = await error(r, 500, '57014');
          assert.match(b.message, /statement timeout/);
        }
        assert.equal(await (await post('/rpc/sleepy', { ms: 1 })).text(), '1');
      });

      it('timezone preference applies to the call', async () => {
        const r = await get('/rpc/tz', { Prefer: 'timezone=Asia/Tokyo' });
        assert.equal(await r.text(), '"Asia/Tokyo"');
        assert.equal(r.headers.get('preference-applied'), 'timezone=Asia/Tokyo');
      });

      it('OPTIONS: volatile functions allow POST only', async () => {
        assert.equal((await api.fetch('/rpc/log_call', { method: 'OPTIONS' })).headers.get('allow'), 'OPTIONS,POST');
        assert.equal((await api.fetch('/rpc/add', { method: 'OPTIONS' })).headers.get('allow'), 'OPTIONS,GET,HEAD,POST');
      });
    });

    describe('postgrest-js rpc()', () => {
      it('scalars, sets with filters, GET calls, void, errors', async () => {
        assert.deepEqual((await client.rpc('add', { a: 2, b: 3 })).data, 5);
        const set = await client.rpc('books_by', { author: 'Austen' }).select('title').order('id');
        assert.deepEqual(set.data, [{ title: 'Emma' }, { title: 'Persuasion' }]);
        const viaGet = await client.rpc('add', { a: 1, b: 1 }, { get: true });
        assert.deepEqual(viaGet.data, 2);
        const single = await client.rpc('all_books').eq('id', 1).select('title').single();
        assert.deepEqual(single.data, { title: 'Dune' });
        const counted = await client.rpc('all_books', {}, { count: 'exact', head: true });
        assert.equal(counted.count, await bookCount());
        const v = await client.rpc('log_call', { note: 'js' });
        assert.equal(v.status, 204);
        assert.equal(v.error, null);
        const missing = await client.rpc('nope' as never, {});
        assert.equal(missing.status, 404);
        assert.equal(missing.error?.code, 'PGRST202');
      });
    });
  });
}
