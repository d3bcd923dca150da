// HTTP tests of POST/PATCH/PUT/DELETE on every backend: bodies, upserts, PUT rules, filters,
// return=, Content-Range, singular and max-affected rollbacks, tx=, views, and that every failing
// request leaves the database unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgrestClient } from '@supabase/postgrest-js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Init = { body?: string | object; headers?: Record<string, string> };

for (const kind of backendKinds()) {
  describe(`writes (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['write.sql'], options: { 'db-tx-end': 'commit-allow-override' } });
    });
    after(async () => { await api?.close(); });

    const call = (method: string, path: string, init: Init = {}) => api.fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const count = async (table: string, where = 'true') =>
      Number((await api.sql(`SELECT count(*)::int AS n FROM api.${table} WHERE ${where}`))[0]?.n);
    const snapshot = async (table: string) => JSON.stringify(await api.sql(`SELECT * FROM api.${table} ORDER BY 1, 2`));
    /** Runs a failing request and checks the table did not change. */
    const unchanged = async (table: string, fn: () => Promise<void>) => {
      const before = await snapshot(table);
      await fn();
      assert.equal(await snapshot(table), before, `${table} changed`);
    };
    const error = async (r: Response, status: number, code: string) => {
      const body = await r.json() as { code: string; message: string; details: unknown; hint: unknown };
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(body.code, code, JSON.stringify(body));
      return body;
    };

    describe('POST', () => {
      it('inserts one object: 201, no body, Content-Range */*', async () => {
        const r = await call('POST', '/projects', { body: { name: 'p-one', budget: 5 } });
        assert.equal(r.status, 201);
        assert.equal(await r.text(), '');
        assert.equal(r.headers.get('content-range'), '*/*');
        assert.equal(await count('projects', "name = 'p-one' AND status = 'new'"), 1);
      });

      it('inserts an array in one statement with return=representation and select', async () => {
        const r = await call('POST', '/projects?select=name,budget', {
          body: [{ name: 'p-a1', budget: 1 }, { name: 'p-a2', budget: 2 }],
          headers: { Prefer: 'return=representation, count=exact' },
        });
        assert.equal(r.status, 201);
        assert.equal(r.headers.get('content-range'), '*/2');
        assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
        assert.deepEqual(await r.json(), [{ name: 'p-a1', budget: 1 }, { name: 'p-a2', budget: 2 }]);
        assert.equal(r.headers.get('preference-applied'), 'return=representation, count=exact');
      });

      it('keeps big numbers, arrays and JSON values exact', async () => {
        const r = await call('POST', '/projects?select=budget,tags,meta', {
          body: '{"name":"p-big","budget":123456789012345678901234567890.123,"tags":["a","b c"],"meta":{"k":[1,{"x":null}]}}',
          headers: { Prefer: 'return=representation' },
        });
        assert.equal(r.status, 201);
        const text = await r.text();
        assert.match(text, /123456789012345678901234567890\.123/);
        assert.deepEqual(JSON.parse(text)[0].tags, ['a', 'b c']);
        assert.deepEqual(JSON.parse(text)[0].meta, { k: [1, { x: null }] });
      });

      it('inserts an empty object as a row of defaults, and [] as nothing', async () => {
        const r1 = await call('POST', '/nopk', { body: {}, headers: { Prefer: 'return=representation' } });
        assert.equal(r1.status, 201);
        assert.deepEqual(await r1.json(), [{ x: null, y: null }]);
        const r2 = await call('POST', '/projects', { body: [], headers: { Prefer: 'return=representation' } });
        assert.equal(r2.status, 201);
        assert.deepEqual(await r2.json(), []);
      });

      it('return=headers-only sends Location from the primary key', async () => {
        const r = await call('POST', '/pairs', { body: { a: 7, b: 8 }, headers: { Prefer: 'return=headers-only' } });
        assert.equal(r.status, 201);
        assert.equal(r.headers.get('location'), '/pairs?a=eq.7&b=eq.8');
        assert.equal(await r.text(), '');
        const r2 = await call('POST', '/codes', { body: { code: 'a b', label: 'x' }, headers: { Prefer: 'return=headers-only' } });
        assert.equal(r2.headers.get('location'), '/codes?code=eq.a%20b');
      });

      it('CSV bodies: header row, NULL, quoted fields', async () => {
        const r = await call('POST', '/projects?select=name,status,budget', {
          body: 'name,status,budget\np-csv1,active,10\n"p-csv,2",NULL,NULL\n',
          headers: { 'Content-Type': 'text/csv', Prefer: 'return=representation' },
        });
        assert.equal(r.status, 400); // status is NOT NULL: the NULL reaches PostgreSQL
        assert.equal((await r.json() as { code: string }).code, '23502');
        const ok = await call('POST', '/projects?select=name,budget,tags', {
          body: 'name,budget,tags\r\np-csv1,10,"{a,b}"\r\n"p-csv,2",NULL,NULL\r\n',
          headers: { 'Content-Type': 'text/csv', Prefer: 'return=representation' },
        });
        assert.equal(ok.status, 201);
        assert.deepEqual(await ok.json(), [{ name: 'p-csv1', budget: 10, tags: ['a', 'b'] }, { name: 'p-csv,2', budget: null, tags: null }]);
      });

      it('CSV responses for a representation', async () => {
        const r = await call('POST', '/pairs?select=a,b,v', {
          body: [{ a: 30, b: 1, v: 'x,y' }], headers: { Prefer: 'return=representation', Accept: 'text/csv' },
        });
        assert.equal(r.status, 201);
        assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
        assert.equal(await r.text(), 'a,b,v\n30,1,"x,y"');
      });

      it('form-urlencoded bodies', async () => {
        const r = await call('POST', '/projects?select=name,budget', {
          body: 'name=p-form&budget=3.5', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Prefer: 'return=representation' },
        });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ name: 'p-form', budget: 3.5 }]);
      });

      it('?columns= inserts only those keys and allows non-uniform rows', async () => {
        const r = await call('POST', '/projects?columns=name,budget&select=name,budget,status', {
          body: [{ name: 'p-c1', budget: 1, ignored: 'x', status: 'ignored' }, { name: 'p-c2' }],
          headers: { Prefer: 'return=representation' },
        });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ name: 'p-c1', budget: 1, status: 'new' }, { name: 'p-c2', budget: null, status: 'new' }]);
      });

      it('?columns= with quoted names as postgrest-js sends them', async () => {
        const r = await call('POST', '/pairs?columns="a","b"', { body: [{ a: 40, b: 1 }, { a: 40, b: 2, v: 'no' }] });
        assert.equal(r.status, 201);
        assert.equal(await count('pairs', "a = 40 AND v = 'dv'"), 2);
      });

      it('Prefer: missing=default takes column defaults for missing keys', async () => {
        const r = await call('POST', '/pairs?columns=a,b,v&select=a,b,v', {
          body: [{ a: 50, b: 1, v: 'set' }, { a: 50, b: 2 }, { a: 50, b: 3, v: null }],
          headers: { Prefer: 'return=representation, missing=default' },
        });
        assert.equal(r.status, 201);
        const rows = (await r.json() as { b: number; v: string | null }[]).sort((x, y) => x.b - y.b);
        assert.deepEqual(rows.map((x) => x.v), ['set', 'dv', null]);
        assert.equal(r.headers.get('preference-applied'), 'missing=default, return=representation');
        const r2 = await call('POST', '/pairs?columns=a,b,v', { body: [{ a: 51, b: 1 }, { a: 51, b: 2, v: 'x' }] });
        assert.equal(r2.status, 201);
        assert.equal(await count('pairs', 'a = 51 AND v IS NULL'), 1);
      });

      it('inserts through an auto-updatable view and an INSTEAD OF trigger view', async () => {
        const r = await call('POST', '/projects_v?select=name,status', { body: { name: 'p-view' }, headers: { Prefer: 'return=representation' } });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ name: 'p-view', status: 'new' }]);
        const t = await call('POST', '/task_list', { body: { id: 100, title: 'via view', project: 'alpha' }, headers: { Prefer: 'return=representation' } });
        assert.equal(t.status, 201);
        assert.deepEqual(await t.json(), [{ id: 100, title: 'via view', project: 'alpha' }]);
        assert.equal(await count('tasks', 'id = 100 AND project_id = 1'), 1);
      });

      it('return=minimal works without SELECT privilege; a representation needs it', async () => {
        const r = await call('POST', '/drop_box', { body: { id: 1, note: 'n' } });
        assert.equal(r.status, 201);
        await unchanged('drop_box', async () => {
          const r2 = await call('POST', '/drop_box', { body: { id: 2 }, headers: { Prefer: 'return=representation' } });
          await error(r2, 401, '42501');
        });
      });
    });

    describe('upsert', () => {
      it('merge-duplicates updates existing rows: 201 when something was inserted, 200 otherwise', async () => {
        await call('POST', '/pairs', { body: [{ a: 60, b: 1, v: 'old' }] });
        const r = await call('POST', '/pairs?select=a,b,v', {
          body: [{ a: 60, b: 1, v: 'new' }, { a: 60, b: 2, v: 'fresh' }],
          headers: { Prefer: 'resolution=merge-duplicates, return=representation' },
        });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ a: 60, b: 1, v: 'new' }, { a: 60, b: 2, v: 'fresh' }]);
        assert.equal(r.headers.get('preference-applied'), 'resolution=merge-duplicates, return=representation');
        const r2 = await call('POST', '/pairs', { body: [{ a: 60, b: 1, v: 'newer' }], headers: { Prefer: 'resolution=merge-duplicates' } });
        assert.equal(r2.status, 200);
        assert.equal(await count('pairs', "a = 60 AND b = 1 AND v = 'newer'"), 1);
      });

      it('ignore-duplicates skips conflicting rows', async () => {
        await call('POST', '/pairs', { body: [{ a: 61, b: 1, v: 'keep' }] });
        const r = await call('POST', '/pairs?select=b,v', {
          body: [{ a: 61, b: 1, v: 'lost' }, { a: 61, b: 2, v: 'added' }],
          headers: { Prefer: 'resolution=ignore-duplicates, return=representation' },
        });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ b: 2, v: 'added' }]);
        assert.equal(await count('pairs', "a = 61 AND b = 1 AND v = 'keep'"), 1);
      });

      it('on_conflict names a unique constraint', async () => {
        const r = await call('POST', '/projects?on_conflict=name&select=name,budget', {
          body: [{ name: 'alpha', budget: 111 }], headers: { Prefer: 'resolution=merge-duplicates, return=representation' },
        });
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), [{ name: 'alpha', budget: 111 }]);
        assert.equal(await count('projects', "name = 'alpha'"), 1);
      });

      it('upserts through an auto-updatable view', async () => {
        const r = await call('POST', '/projects_v?on_conflict=name&select=name,status', {
          body: [{ name: 'beta', status: 'via view' }], headers: { Prefer: 'resolution=merge-duplicates, return=representation' },
        });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ name: 'beta', status: 'via view' }]);
        assert.equal(await count('projects', "name = 'beta' AND status = 'via view'"), 1);
      });

      it('a conflict without resolution is 409 23505 and inserts nothing', async () => {
        await unchanged('projects', async () => {
          const r = await call('POST', '/projects', { body: [{ name: 'p-fresh-409' }, { name: 'beta' }] });
          const b = await error(r, 409, '23505');
          assert.match(b.message, /duplicate key value/);
        });
      });
    });

    describe('PUT', () => {
      it('inserts then replaces one row: 201/200 with a representation, 204 minimal', async () => {
        const r = await call('PUT', '/pairs?a=eq.70&b=eq.1&select=a,b,v', { body: { a: 70, b: 1, v: 'put' }, headers: { Prefer: 'return=representation' } });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ a: 70, b: 1, v: 'put' }]);
        const r2 = await call('PUT', '/pairs?a=eq.70&b=eq.1', { body: { a: 70, b: 1, v: 'again' }, headers: { Prefer: 'return=representation' } });
        assert.equal(r2.status, 200);
        const r3 = await call('PUT', '/pairs?b=eq.1&a=eq.70', { body: { a: 70, b: 1, v: 'third' } });
        assert.equal(r3.status, 204);
        assert.equal(await count('pairs', "a = 70 AND v = 'third'"), 1);
      });

      it('rejects filters other than eq on the whole primary key (PGRST105)', async () => {
        await unchanged('pairs', async () => {
          await error(await call('PUT', '/pairs?a=eq.71', { body: { a: 71, b: 1 } }), 405, 'PGRST105');
          await error(await call('PUT', '/pairs?a=eq.71&b=gt.1', { body: { a: 71, b: 1 } }), 405, 'PGRST105');
          await error(await call('PUT', '/pairs?a=eq.71&b=eq.1&v=eq.x', { body: { a: 71, b: 1 } }), 405, 'PGRST105');
          await error(await call('PUT', '/nopk?x=eq.1', { body: { x: 1 } }), 405, 'PGRST105');
        });
      });

      it('rejects limit/offset (PGRST114) and a body that does not match the URL (PGRST115)', async () => {
        await unchanged('pairs', async () => {
          await error(await call('PUT', '/pairs?a=eq.72&b=eq.1&limit=1', { body: { a: 72, b: 1 } }), 400, 'PGRST114');
          const b = await error(await call('PUT', '/pairs?a=eq.72&b=eq.1', { body: { a: 72, b: 2 } }), 400, 'PGRST115');
          assert.equal(b.message, 'Payload values do not match URL in primary key column(s)');
          await error(await call('PUT', '/pairs?a=eq.72&b=eq.1', { body: { a: 72 } }), 400, 'PGRST115');
        });
      });
    });

    describe('PATCH and DELETE', () => {
      it('PATCH with filters: 204, Content-Range 0-N/*; representation 200', async () => {
        await call('POST', '/pairs', { body: [{ a: 80, b: 1 }, { a: 80, b: 2 }, { a: 80, b: 3 }] });
        const r = await call('PATCH', '/pairs?a=eq.80&b=lte.2', { body: { v: 'patched' } });
        assert.equal(r.status, 204);
        assert.equal(r.headers.get('content-range'), '0-1/*');
        assert.equal(await count('pairs', "a = 80 AND v = 'patched'"), 2);
        const r2 = await call('PATCH', '/pairs?a=eq.80&or=(b.eq.3,b.eq.99)&select=b,v', { body: { v: 'or' }, headers: { Prefer: 'return=representation, count=exact' } });
        assert.equal(r2.status, 200);
        assert.equal(r2.headers.get('content-range'), '0-0/1');
        assert.deepEqual(await r2.json(), [{ b: 3, v: 'or' }]);
      });

      it('PATCH that changes the filtered column still returns the rows', async () => {
        await call('POST', '/pairs', { body: [{ a: 81, b: 1 }] });
        const r = await call('PATCH', '/pairs?a=eq.81&select=a,b', { body: { a: 82 }, headers: { Prefer: 'return=representation' } });
        assert.deepEqual(await r.json(), [{ a: 82, b: 1 }]);
      });

      it('PATCH matching nothing is 204 / 200 []; an empty body changes nothing', async () => {
        const r = await call('PATCH', '/pairs?a=eq.-1', { body: { v: 'x' } });
        assert.equal(r.status, 204);
        assert.equal(r.headers.get('content-range'), '*/*');
        const r2 = await call('PATCH', '/pairs?a=eq.-1', { body: { v: 'x' }, headers: { Prefer: 'return=representation' } });
        assert.equal(r2.status, 200);
        assert.deepEqual(await r2.json(), []);
        await unchanged('pairs', async () => {
          const r3 = await call('PATCH', '/pairs', { body: {}, headers: { Prefer: 'return=representation' } });
          assert.equal(r3.status, 200);
          assert.deepEqual(await r3.json(), []);
        });
      });

      it('PATCH with ?columns= and missing=default sets absent columns to DEFAULT', async () => {
        await call('POST', '/pairs', { body: [{ a: 83, b: 1, v: 'custom' }] });
        const r = await call('PATCH', '/pairs?a=eq.83&columns=v&select=v', { body: { other: 1 }, headers: { Prefer: 'return=representation, missing=default' } });
        assert.deepEqual(await r.json(), [{ v: 'dv' }]);
      });

      it('every read filter works: in, like, is, not, JSON paths, arrays, fts-free logic', async () => {
        await call('POST', '/projects', { body: [
          { name: 'f-1', status: 'x1', tags: ['t1', 't2'], meta: { lvl: 1 } },
          { name: 'f-2', status: 'x1', tags: ['t2'], meta: { lvl: 2 } },
          { name: 'f-3', status: 'x2', tags: null, meta: null },
        ] });
        const patch = async (q: string) => {
          const r = await call('PATCH', `/projects?${q}&select=name&order=name`, { body: { budget: 9 }, headers: { Prefer: 'return=representation' } });
          assert.equal(r.status, 200, q);
          return (await r.json() as { name: string }[]).map((x) => x.name);
        };
        assert.deepEqual(await patch('name=in.(f-1,f-3)'), ['f-1', 'f-3']);
        assert.deepEqual(await patch('name=like.f-*&status=eq.x1'), ['f-1', 'f-2']);
        assert.deepEqual(await patch('name=like.f-*&meta=is.null'), ['f-3']);
        assert.deepEqual(await patch('name=like.f-*&status=not.eq.x1'), ['f-3']);
        assert.deepEqual(await patch('meta->>lvl=eq.2'), ['f-2']);
        assert.deepEqual(await patch('tags=cs.{t1}'), ['f-1']);
        assert.deepEqual(await patch('name=like.f-*&not.or=(status.eq.x2,meta->lvl.eq.1)'), ['f-2']);
      });

      it('DELETE with filters: 204; representation 200', async () => {
        await call('POST', '/pairs', { body: [{ a: 90, b: 1 }, { a: 90, b: 2 }] });
        const r = await call('DELETE', '/pairs?a=eq.90&b=eq.1');
        assert.equal(r.status, 204);
        assert.equal(r.headers.get('content-range'), '*/*');
        const r2 = await call('DELETE', '/pairs?a=eq.90&select=b', { headers: { Prefer: 'return=representation' } });
        assert.equal(r2.status, 200);
        assert.deepEqual(await r2.json(), [{ b: 2 }]);
        const r3 = await call('DELETE', '/pairs?a=eq.90', { headers: { Prefer: 'count=exact' } });
        assert.equal(r3.headers.get('content-range'), '*/0');
        assert.equal(await count('pairs', 'a = 90'), 0);
      });

      it('PATCH and DELETE through views (auto-updatable and INSTEAD OF)', async () => {
        const r = await call('PATCH', '/projects_v?name=eq.gamma&select=name,status', { body: { status: 'archived' }, headers: { Prefer: 'return=representation' } });
        assert.deepEqual(await r.json(), [{ name: 'gamma', status: 'archived' }]);
        await call('POST', '/task_list', { body: { id: 101, title: 'tv', project: 'beta' } });
        const p = await call('PATCH', '/task_list?id=eq.101', { body: { title: 'tv2' }, headers: { Prefer: 'return=representation' } });
        assert.deepEqual(await p.json(), [{ id: 101, title: 'tv2', project: 'beta' }]);
        const d = await call('DELETE', '/task_list?id=eq.101');
        assert.equal(d.status, 204);
        assert.equal(await count('tasks', 'id = 101'), 0);
      });

      it('a foreign-key violation is 409 23503 and changes nothing', async () => {
        await unchanged('projects', async () => {
          const r = await call('DELETE', '/projects?id=eq.1');
          await error(r, 409, '23503');
        });
      });
    });

    describe('embedded resources never widen a PATCH or DELETE (PostgREST #4352)', () => {
      it('takes filters on embedded resources as shaping the representation only (PostgREST v13)', async () => {
        const r = await call('PATCH', '/tasks?id=eq.3&select=id,projects(name)&projects.name=eq.nope', { body: { title: 'test' }, headers: { Prefer: 'return=representation' } });
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), [{ id: 3, projects: null }]);
        await unchanged('tasks', async () => {
          // An embedded filter needs its embed in select= (400 PGRST108), as in reads.
          await error(await call('PATCH', '/tasks?projects.name=eq.alpha', { body: { done: true } }), 400, 'PGRST108');
        });
      });

      it('refuses limit/offset on PATCH and DELETE (they would be ignored)', async () => {
        await unchanged('tasks', async () => {
          const b = await error(await call('DELETE', '/tasks?limit=1'), 400, 'PGRST127');
          assert.equal(b.message, 'limit/offset cannot restrict the rows of a DELETE');
          await error(await call('PATCH', '/tasks?offset=1', { body: { done: true } }), 400, 'PGRST127');
        });
      });

      it('refuses !inner embeds and null tests on embeds', async () => {
        await unchanged('tasks', async () => {
          await error(await call('DELETE', '/tasks?select=id,projects!inner(name)'), 400, 'PGRST127');
          await error(await call('DELETE', '/tasks?select=id,projects(name)&projects=not.is.null'), 400, 'PGRST127');
          await error(await call('PATCH', '/tasks?select=id,p:projects(name)&or=(p.is.null,id.eq.1)', { body: { done: true } }), 400, 'PGRST127');
        });
      });
    });

    describe('Prefer and Accept', () => {
      it('singular object: one row → object; two rows → 406 PGRST116 and rolled back', async () => {
        const r = await call('POST', '/pairs?select=a,b', { body: { a: 100, b: 1 }, headers: { Accept: 'application/vnd.pgrst.object+json', Prefer: 'return=representation' } });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), { a: 100, b: 1 });
        assert.match(r.headers.get('content-type') ?? '', /vnd\.pgrst\.object\+json/);
        await unchanged('pairs', async () => {
          const r2 = await call('POST', '/pairs', { body: [{ a: 101, b: 1 }, { a: 101, b: 2 }], headers: { Accept: 'application/vnd.pgrst.object+json' } });
          const b = await error(r2, 406, 'PGRST116');
          assert.equal(b.details, 'The result contains 2 rows');
          await error(await call('DELETE', '/pairs?a=eq.-5', { headers: { Accept: 'application/vnd.pgrst.object+json' } }), 406, 'PGRST116');
          await error(await call('PATCH', '/pairs?a=in.(7,100)', { body: { v: 'z' }, headers: { Accept: 'application/vnd.pgrst.object+json' } }), 406, 'PGRST116');
        });
        const one = await call('PATCH', '/pairs?a=eq.100', { body: { v: 'z' }, headers: { Accept: 'application/vnd.pgrst.object+json' } });
        assert.equal(one.status, 204);
        assert.equal(await count('pairs', "a = 100 AND v = 'z'"), 1);
      });

      it('max-affected with handling=strict: 400 PGRST124 and rolled back; lenient ignores it', async () => {
        await call('POST', '/pairs', { body: [{ a: 110, b: 1 }, { a: 110, b: 2 }, { a: 110, b: 3 }] });
        await unchanged('pairs', async () => {
          const r = await call('PATCH', '/pairs?a=eq.110', { body: { v: 'm' }, headers: { Prefer: 'handling=strict, max-affected=2' } });
          const b = await error(r, 400, 'PGRST124');
          assert.equal(b.details, 'The query affects 3 rows');
          await error(await call('DELETE', '/pairs?a=eq.110', { headers: { Prefer: 'handling=strict, max-affected=1' } }), 400, 'PGRST124');
        });
        const ok = await call('PATCH', '/pairs?a=eq.110&b=eq.1', { body: { v: 'm' }, headers: { Prefer: 'handling=strict, max-affected=1' } });
        assert.equal(ok.status, 204);
        assert.equal(ok.headers.get('preference-applied'), 'handling=strict, max-affected=1');
        const lenient = await call('DELETE', '/pairs?a=eq.110', { headers: { Prefer: 'handling=lenient, max-affected=1' } });
        assert.equal(lenient.status, 204);
        assert.equal(await count('pairs', 'a = 110'), 0);
      });

      it('handling=strict rejects unknown preferences (PGRST122)', async () => {
        await unchanged('pairs', async () => {
          const r = await call('POST', '/pairs', { body: { a: 120, b: 1 }, headers: { Prefer: 'handling=strict, return=everything' } });
          const b = await error(r, 400, 'PGRST122');
          assert.equal(b.details, 'Invalid preferences: return=everything');
          await error(await call('POST', '/pairs', { body: { a: 120, b: 1 }, headers: { Prefer: 'handling=strict, timezone=Mars/Base' } }), 400, 'PGRST122');
        });
        const lenient = await call('POST', '/pairs', { body: { a: 120, b: 1 }, headers: { Prefer: 'return=everything' } });
        assert.equal(lenient.status, 201);
      });

      it('timezone= applies to the transaction and is echoed', async () => {
        const r = await call('POST', '/projects?select=due', {
          body: { name: 'p-tz', due: '2024-06-01T12:00:00Z' }, headers: { Prefer: 'return=representation, timezone=America/Los_Angeles' },
        });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ due: '2024-06-01T05:00:00-07:00' }]);
        assert.equal(r.headers.get('preference-applied'), 'return=representation, timezone=America/Los_Angeles');
      });

      it('tx=rollback undoes the write but answers as if committed', async () => {
        await unchanged('pairs', async () => {
          const r = await call('POST', '/pairs?select=a', { body: { a: 130, b: 1 }, headers: { Prefer: 'tx=rollback, return=representation' } });
          assert.equal(r.status, 201);
          assert.deepEqual(await r.json(), [{ a: 130 }]);
          assert.equal(r.headers.get('preference-applied'), 'return=representation, tx=rollback');
        });
        const c = await call('POST', '/pairs', { body: { a: 130, b: 1 }, headers: { Prefer: 'tx=commit' } });
        assert.equal(c.headers.get('preference-applied'), 'tx=commit');
        assert.equal(await count('pairs', 'a = 130'), 1);
      });
    });

    describe('body errors (PGRST102) leave the database unchanged', () => {
      const cases: Array<[string, string, string, string]> = [
        ['invalid JSON', 'application/json', '{"name":', 'Empty or invalid json'],
        ['empty body', 'application/json', '', 'Empty or invalid json'],
        ['a JSON scalar', 'application/json', '42', 'Empty or invalid json'],
        ['an array of scalars', 'application/json', '[1,2]', 'Empty or invalid json'],
        ['mismatched keys', 'application/json', '[{"name":"k1"},{"name":"k2","budget":1}]', 'All object keys must match'],
        ['uneven CSV rows', 'text/csv', 'name,budget\nc1,1\nc2\n', 'All lines must have same number of fields'],
        ['unsupported Content-Type', 'application/xml', '<a/>', 'Content-Type not acceptable: application/xml'],
      ];
      for (const [label, type, body, message] of cases) {
        it(label, async () => {
          await unchanged('projects', async () => {
            const r = await call('POST', '/projects', { body, headers: { 'Content-Type': type } });
            const b = await error(r, 400, 'PGRST102');
            assert.equal(b.message, message);
          });
        });
      }

      it('an unknown column in the body or in ?columns= is PGRST204', async () => {
        await unchanged('projects', async () => {
          const b = await error(await call('POST', '/projects', { body: { name: 'u1', nope: 1 } }), 400, 'PGRST204');
          assert.equal(b.message, "Could not find the 'nope' column of 'projects' in the schema cache");
          await error(await call('POST', '/projects?columns=name,nope', { body: { name: 'u1' } }), 400, 'PGRST204');
          await error(await call('PATCH', '/projects?id=eq.1', { body: { nope: 1 } }), 400, 'PGRST204');
        });
      });

      it('SQL errors keep their SQLSTATE: 22001 too long, 23502 not null, 42501 no privilege', async () => {
        await unchanged('codes', async () => {
          await error(await call('POST', '/codes', { body: { code: 'toolong' } }), 400, '22001');
          await error(await call('POST', '/projects', { body: { budget: 1 } }), 400, '23502');
          await error(await call('POST', '/hidden', { body: { id: 1 } }), 401, '42501');
        });
        await unchanged('projects', async () => {
          // A view PostgreSQL cannot write to: 405, as OPTIONS announces.
          await error(await call('POST', '/project_stats', { body: { status: 'x' } }), 405, 'PGRST117');
          await error(await call('DELETE', '/project_stats'), 405, 'PGRST117');
        });
      });

      it('RAISE in a trigger: PTnnn status and P0001 with detail and hint', async () => {
        await unchanged('codes', async () => {
          const r = await call('POST', '/codes', { body: { code: 'f1', label: 'forbidden' } });
          const b = await error(r, 403, 'PT403');
          assert.equal(b.message, 'label is forbidden');
          const r2 = await call('POST', '/codes', { body: { code: 'f2', label: 'raise' } });
          assert.deepEqual(await error(r2, 400, 'P0001'), { code: 'P0001', details: 'a detail', hint: 'a hint', message: 'bad label raise' });
        });
      });
    });

    describe('embedding after writes', () => {
      it('POST, PATCH and DELETE representations embed related rows', async () => {
        const r = await call('POST', '/tasks?select=id,title,projects(name)', {
          body: [{ id: 200, project_id: 2, title: 'emb' }], headers: { Prefer: 'return=representation' },
        });
        assert.equal(r.status, 201);
        assert.deepEqual(await r.json(), [{ id: 200, title: 'emb', projects: { name: 'beta' } }]);
        // Order and limit on an embed shape the embedded array only: they cannot widen the PATCH.
        const p = await call('PATCH', '/projects?id=eq.2&select=name,tasks(id)&tasks.order=id.desc', { body: { budget: 250 }, headers: { Prefer: 'return=representation' } });
        assert.equal(p.status, 200);
        assert.deepEqual(await p.json(), [{ name: 'beta', tasks: [{ id: 200 }, { id: 3 }] }]);
        const d = await call('DELETE', '/tasks?id=eq.200&select=id,projects(name)', { headers: { Prefer: 'return=representation' } });
        assert.deepEqual(await d.json(), [{ id: 200, projects: { name: 'beta' } }]);
      });
    });

    describe('postgrest-js', () => {
      const client = () => new PostgrestClient(api.url, { retry: false } as never);

      it('insert, select after insert, single', async () => {
        const { data, error: e, status } = await client().from('projects').insert({ name: 'js-1', budget: 1 }).select('name,budget').single();
        assert.equal(e, null);
        assert.equal(status, 201);
        assert.deepEqual(data, { name: 'js-1', budget: 1 });
        const bulk = await client().from('projects').insert([{ name: 'js-2' }, { name: 'js-3', budget: 3 }]).select('name,budget');
        assert.deepEqual(bulk.data, [{ name: 'js-2', budget: null }, { name: 'js-3', budget: 3 }]);
        const minimal = await client().from('projects').insert({ name: 'js-4' });
        assert.equal(minimal.status, 201);
        assert.equal(minimal.data, null);
      });

      it('insert with defaultToNull: false uses column defaults', async () => {
        const r = await client().from('pairs').insert([{ a: 300, b: 1, v: 'x' }, { a: 300, b: 2 }], { defaultToNull: false }).select('b,v').order('b');
        assert.deepEqual(r.data, [{ b: 1, v: 'x' }, { b: 2, v: 'dv' }]);
      });

      it('upsert (merge and ignore) with onConflict', async () => {
        const up = await client().from('projects').upsert({ name: 'js-1', budget: 99 }, { onConflict: 'name' }).select('name,budget');
        assert.equal(up.error, null);
        assert.deepEqual(up.data, [{ name: 'js-1', budget: 99 }]);
        const ign = await client().from('projects').upsert([{ name: 'js-1', budget: 0 }, { name: 'js-5', budget: 5 }], { onConflict: 'name', ignoreDuplicates: true }).select('name,budget');
        assert.deepEqual(ign.data, [{ name: 'js-5', budget: 5 }]);
        assert.equal(await count('projects', "name = 'js-1' AND budget = 99"), 1);
      });

      it('update and delete with filters', async () => {
        const u = await client().from('projects').update({ status: 'js' }).like('name', 'js-*').select('name').order('name');
        assert.deepEqual((u.data as { name: string }[]).map((x) => x.name), ['js-1', 'js-2', 'js-3', 'js-4', 'js-5']);
        const d = await client().from('projects').delete().eq('status', 'js').in('name', ['js-4', 'js-5']).select('name');
        assert.equal(d.error, null);
        assert.equal((d.data as unknown[]).length, 2);
        const counted = await client().from('projects').delete({ count: 'exact' }).eq('name', 'js-3');
        assert.equal(counted.count, 1);
        assert.equal(counted.status, 204);
        assert.equal(await count('projects', "name LIKE 'js-%'"), 2);
      });

      it('errors surface as PostgREST error objects and change nothing', async () => {
        await unchanged('projects', async () => {
          const dup = await client().from('projects').insert([{ name: 'js-new' }, { name: 'alpha' }]);
          assert.equal(dup.status, 409);
          assert.equal(dup.error?.code, '23505');
          const single = await client().from('projects').update({ budget: 1 }).in('name', ['beta', 'gamma']).select().single();
          assert.equal(single.status, 406);
          assert.equal(single.error?.code, 'PGRST116');
        });
      });
    });

    describe('OPTIONS', () => {
      it('Allow reflects what each relation supports', async () => {
        const allow = async (p: string) => (await api.fetch(p, { method: 'OPTIONS' })).headers.get('allow');
        assert.equal(await allow('/projects'), 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE');
        assert.equal(await allow('/nopk'), 'OPTIONS,GET,HEAD,POST,PATCH,DELETE');
        // Views have their base table's key (as PostgREST infers it; task_list shows tasks.id): PUT works.
        assert.equal(await allow('/projects_v'), 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE');
        assert.equal(await allow('/task_list'), 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE');
        assert.equal(await allow('/project_stats'), 'OPTIONS,GET,HEAD');
      });
    });
  });
}
