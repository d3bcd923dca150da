// /rpc as PostgREST v13 answers it, on every backend: GET/HEAD on any function inside a read-only
// transaction (a write there is 405 25006), HEAD counts, the result shapes of OUT/INOUT parameters,
// record, SETOF record, domains over composites and single-column TABLEs, bulk calls with
// ?columns=, arguments and filters of the same name, and PGRST202's wording and fuzzy hints.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const json = 'application/json; charset=utf-8';

for (const kind of backendKinds()) {
  describe(`compat rpc (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['compat-rpc.sql'] });
    });
    after(async () => { await api?.close(); });

    const get = (path: string, headers: Record<string, string> = {}) => api.fetch(path, { headers });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      api.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    /** Status, Content-Type and Content-Range of a JSON answer, and its body. */
    const answer = async (r: Response, status: number, range: string | null = null) => {
      const text = await r.text();
      assert.equal(r.status, status, text);
      assert.equal(r.headers.get('content-type'), json);
      if (range !== null) assert.equal(r.headers.get('content-range'), range);
      return JSON.parse(text) as unknown;
    };
    const logCount = async () => Number((await api.sql('SELECT count(*)::int AS n FROM api.counter_log'))[0]?.n);

    describe('GET and HEAD on any function', () => {
      it('calls a VOLATILE function with GET, read-only', async () => {
        assert.equal(await answer(await get('/rpc/volatile_add?a=1&b=2'), 200, '0-0/*'), 3);
        assert.equal(await answer(await get('/rpc/read_only_now'), 200), 'on');
        assert.equal(await answer(await post('/rpc/read_only_now', {}), 200), 'off');
        assert.deepEqual(await answer(await get('/rpc/volatile_projects?select=id&id=gt.3'), 200, '0-1/*'), [{ id: 4 }, { id: 5 }]);
      });

      it('a function that writes fails under GET and HEAD with 405 (25006) and changes nothing', async () => {
        const before = await logCount();
        const r = await get('/rpc/volatile_write?note=x');
        assert.equal(r.status, 405);
        assert.equal(r.headers.get('content-type'), json);
        assert.deepEqual(await r.json(), { code: '25006', details: null, hint: null, message: 'cannot execute INSERT in a read-only transaction' });
        const h = await api.fetch('/rpc/volatile_write', { method: 'HEAD' });
        assert.equal(h.status, 405);
        assert.equal(await h.text(), '');
        assert.equal(await logCount(), before);
        // POST keeps its semantics: the write happens.
        assert.equal(typeof await answer(await post('/rpc/volatile_write', { note: 'posted' }), 200), 'number');
        assert.equal(await logCount(), before + 1);
      });

      it('HEAD counts on a VOLATILE set-returning function', async () => {
        const r = await api.fetch('/rpc/volatile_projects', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-range'), '0-4/5');
        assert.equal(r.headers.get('content-type'), json);
        assert.equal(r.headers.get('content-length'), null);
        assert.equal(await r.text(), '');
        const partial = await api.fetch('/rpc/volatile_projects?limit=2', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
        assert.equal(partial.status, 206);
        assert.equal(partial.headers.get('content-range'), '0-1/5');
      });
    });

    describe('result shapes', () => {
      it('OUT and INOUT parameters give objects named after them', async () => {
        assert.deepEqual(await answer(await get('/rpc/single_out_param?num=5'), 200, '0-0/*'), { num_plus_one: 6 });
        assert.deepEqual(await answer(await get('/rpc/single_inout_param?num=2'), 200), { num: 3 });
        assert.deepEqual(await answer(await get('/rpc/many_out_params'), 200), { my_json: { a: 1, b: 'two' }, num: 3, str: 'four' });
        assert.deepEqual(await answer(await get('/rpc/setof_out_params'), 200, '0-1/*'), [{ id: 1, name: 'Windows 7' }, { id: 2, name: 'Windows 10' }]);
      });

      it('record and SETOF record without OUT parameters give objects', async () => {
        assert.deepEqual(await answer(await post('/rpc/returns_record', ''), 200, '0-0/*'), { id: 1, name: 'Windows 7', client_id: 1 });
        assert.deepEqual(await answer(await post('/rpc/returns_setof_record', ''), 200, '0-1/*'),
          [{ id: 1, name: 'Windows 7', client_id: 1 }, { id: 2, name: 'Windows 10', client_id: 1 }]);
        assert.deepEqual(await answer(await get('/rpc/returns_setof_record', { Prefer: 'count=exact' }), 200, '0-1/2'),
          [{ id: 1, name: 'Windows 7', client_id: 1 }, { id: 2, name: 'Windows 10', client_id: 1 }]);
      });

      it('a composite, and a domain over one, give an object', async () => {
        assert.deepEqual(await answer(await get('/rpc/ret_point_2d', { Prefer: 'count=exact' }), 200, '0-0/1'), { x: 10, y: 5 });
        assert.deepEqual(await answer(await post('/rpc/ret_composite_domain', {}), 200), { x: 10, y: 5 });
      });

      it('RETURNS TABLE gives objects, with one column too', async () => {
        assert.deepEqual(await answer(await get('/rpc/single_column_table_return'), 200, '0-0/*'), [{ a: 'A' }]);
        assert.deepEqual(await answer(await get('/rpc/multi_column_table_return'), 200), [{ a: 'A', b: 'B' }]);
      });
    });

    describe('arguments', () => {
      it('a parameter without an operator is an argument, one with an operator a filter, even on the same name', async () => {
        assert.deepEqual(await answer(await get('/rpc/get_projects_below?id=5&id=gt.2&select=id'), 200, '0-1/*'), [{ id: 3 }, { id: 4 }]);
        assert.deepEqual(await answer(await get('/rpc/get_projects_below?id=5&id=not.in.(1,3)&select=id'), 200), [{ id: 2 }, { id: 4 }]);
        assert.deepEqual(await answer(await get('/rpc/project_named?name=IOS&select=id,name'), 200), [{ id: 3, name: 'IOS' }]);
        assert.deepEqual(await answer(await get('/rpc/project_named?name=IOS&name=like.I*&select=id'), 200), [{ id: 3 }]);
      });

      it('?columns= names the arguments of an object body (other keys are ignored)', async () => {
        assert.equal(await answer(await post('/rpc/sayhello?columns=name', { name: 'John', smth: 'here', fake_id: 13 }), 200), 'Hello, John');
      });

      it('an array body without ?columns= calls the function with its first object', async () => {
        assert.equal(await answer(await post('/rpc/add_them', [{ a: 1, b: 2 }, { a: 4, b: 6 }, { a: 100, b: 200 }]), 200, '0-0/*'), 3);
      });

      it('bulk call: an array body with ?columns= calls the function once per element', async () => {
        assert.deepEqual(await answer(await post('/rpc/add_them?columns=a,b', [{ a: 1, b: 2 }, { a: 4, b: 6 }, { a: 100, b: 200 }]), 200, '0-2/*'), [3, 10, 300]);
        assert.deepEqual(
          await answer(await post('/rpc/get_projects_below?columns=id&select=id,name&order=id.desc', [{ id: 2 }, { id: 3 }], { Prefer: 'count=exact' }), 200, '0-2/3'),
          [{ id: 2, name: 'Windows 10' }, { id: 1, name: 'Windows 7' }, { id: 1, name: 'Windows 7' }],
        );
        assert.deepEqual(await answer(await post('/rpc/single_out_param?columns=num', [{ num: 1 }, { num: 2 }]), 200), [{ num_plus_one: 2 }, { num_plus_one: 3 }]);
        const r = await post('/rpc/add_them', [{ a: 1, b: 2 }, { a: 4 }]);
        assert.equal(r.status, 400);
        assert.deepEqual(await r.json(), { code: 'PGRST102', details: null, hint: null, message: 'All object keys must match' });
      });
    });

    describe('PGRST202', () => {
      const notFound = async (r: Response, body: Record<string, unknown>) => {
        assert.equal(r.status, 404);
        assert.equal(r.headers.get('content-type'), json);
        assert.deepEqual(await r.json(), { code: 'PGRST202', ...body });
      };

      it('names one parameter, several parameters, or none, and hints the closest function', async () => {
        await notFound(await get('/rpc/sayhell'), {
          details: 'Searched for the function api.sayhell without parameters, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function api.sayhello',
          message: 'Could not find the function api.sayhell without parameters in the schema cache',
        });
        await notFound(await get('/rpc/sayhello?nam=Peter'), {
          details: 'Searched for the function api.sayhello with parameter nam, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function api.sayhello(name)',
          message: 'Could not find the function api.sayhello(nam) in the schema cache',
        });
        await notFound(await get('/rpc/add_them?a=1&b=2&smthelse=blabla'), {
          details: 'Searched for the function api.add_them with parameters a, b, smthelse, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function api.add_them(a, b)',
          message: 'Could not find the function api.add_them(a, b, smthelse) in the schema cache',
        });
        await notFound(await post('/rpc/add_them', { x: 1, y: 2 }), {
          details: 'Searched for the function api.add_them with parameters x, y or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function api.add_them(a, b)',
          message: 'Could not find the function api.add_them(x, y) in the schema cache',
        });
      });

      it('hints the closest overload by its parameters, or none when no list is close', async () => {
        await notFound(await get('/rpc/overloaded?wrong_arg=value'), {
          details: 'Searched for the function api.overloaded with parameter wrong_arg, but no matches were found in the schema cache.',
          hint: null,
          message: 'Could not find the function api.overloaded(wrong_arg) in the schema cache',
        });
        await notFound(await get('/rpc/overloaded?a=1&b=2&wrong_arg=value'), {
          details: 'Searched for the function api.overloaded with parameters a, b, wrong_arg, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function api.overloaded(a, b, c)',
          message: 'Could not find the function api.overloaded(a, b, wrong_arg) in the schema cache',
        });
        await notFound(await api.fetch('/rpc/add_them', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'text' }), {
          details: 'Searched for the function api.add_them with a single unnamed text parameter, but no matches were found in the schema cache.',
          hint: null,
          message: 'Could not find the function api.add_them in the schema cache',
        });
      });
    });
  });
}
