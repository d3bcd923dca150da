// The read API over HTTP on every backend: filters, select, order, ranges, counts, media types,
// profiles, transaction settings and errors, against the fixture in test/fixtures/read.sql.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

for (const kind of backendKinds()) {
  describe(`read API (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: ['read.sql'],
        options: { 'db-schemas': 'api,v2', 'db-extra-search-path': 'public' },
        start: {},
      });
    });
    after(async () => { await api?.close(); });

    const get = async (path: string, headers: Record<string, string> = {}) => {
      const r = await api.fetch(path, { headers });
      const text = await r.text();
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      return { status: r.status, headers: r.headers, body, text };
    };
    const ids = async (qs: string, headers: Record<string, string> = {}) => {
      const r = await get(`/items?select=id&order=id${qs === '' ? '' : `&${qs}`}`, headers);
      assert.equal(r.status, 200, `${qs}: ${r.text}`);
      return (r.body as Array<{ id: number }>).map((x) => x.id);
    };

    describe('filters', () => {
      const cases: Array<[string, number[]]> = [
        ['id=eq.2', [2]],
        ['id=neq.2', [1, 3, 4, 5]],
        ['price=gt.1.5', [3, 5]],
        ['price=gte.1.5', [1, 3, 5]],
        ['qty=lt.10', [4, 5]],
        ['qty=lte.10', [1, 4, 5]],
        ['name=like.*an*', [2, 4]],
        ['name=ilike.D*', [4]],
        ['name=match.^[a-c]', [1, 2, 3]],
        ['name=imatch.^d', [4]],
        ['id=in.(1,3,5)', [1, 3, 5]],
        ['name=in.("elderberry, ripe",apple)', [1, 5]],
        ['id=in.()', []],
        ['qty=is.null', [3]],
        ['qty=is.not_null', [1, 2, 4, 5]],
        ['active=is.true', [1, 2, 5]],
        ['active=is.false', [3]],
        ['active=is.unknown', [4]],
        ['active=not.is.true', [3, 4]],
        ['active=isdistinct.true', [3, 4]],
        ['doc=fts.apple', [1]],
        ['doc=fts(english).sweet', [3]],
        ['body=plfts.red apple', [1]],
        ['body=phfts(english).yellow bananas', [2]],
        ['body=wfts(english).cherry or apple', [1, 3]],
        ['tags=cs.{red}', [1, 3]],
        ['tags=cd.{fruit,red,small,yellow}', [1, 2, 3, 4]],
        ['tags=ov.{berry,yellow}', [2, 5]],
        ['during=sl.[20,30)', [1, 2, 3]],
        ['during=sr.[1,3)', [2, 3, 5]],
        ['during=nxr.[1,6)', [1]],
        ['during=nxl.[10,50)', [3, 5]],
        ['during=adj.[10,20)', [2]],
        ['data=cs.{"color":"red"}', [1, 3]],
        ['name=not.eq.apple', [2, 3, 4, 5]],
        ['name=like(any).{a*,b*}', [1, 2]],
        ['name=like(all).{*e*,*r*}', [3, 5]],
        ['id=gt(any).{3,4}', [4, 5]],
        ['id=eq(all).{1}', [1]],
        ['or=(id.eq.1,id.eq.2)', [1, 2]],
        ['or=(id.eq.1,and(qty.gte.20,active.is.true))', [1, 2]],
        ['not.or=(id.eq.1,id.eq.2)', [3, 4, 5]],
        ['and=(id.gt.1,or(name.like.b*,name.like.c*))', [2, 3]],
        ['or=(name.eq."elderberry, ripe",id.in.(1,2))', [1, 2, 5]],
        ['or=(qty.is.null,qty.eq.0)', [3, 4]],
        ['id=gt.1&id=lt.4', [2, 3]],
        ['data->>color=eq.red', [1, 3]],
        ['data->size->>w=gte.3', [1, 2]],
        ['data->n=eq.2', [2]],
        ['data->list->0=eq.1', [1]],
        ['info->>a=eq.y', [2]],
        ['addr->>city=eq.Paris', [1]],
        ['tags->0=eq."fruit"', [1, 2, 3]],
        ['"information.cpe"=like.*MS*', [1, 4]],
        ['"Weird \\"Name\\""=eq.w"5', [5]],
        ['mood=eq.happy', [1, 5]],
        ['created_at=gte.2024-01-03', [3, 4, 5]],
      ];
      for (const [qs, expected] of cases) {
        it(qs, async () => assert.deepEqual(await ids(qs), expected));
      }
    });

    describe('select', () => {
      it('columns, aliases, casts', async () => {
        const r = await get('/items?select=id,label:name,p:price::text,qty::text&id=eq.1');
        assert.deepEqual(r.body, [{ id: 1, label: 'apple', p: '1.50', qty: '10' }]);
      });
      it('JSON arrows name the output after the last key', async () => {
        const r = await get('/items?select=id,data->color,data->>color,data->size->w,x:data->list->1,addr->>city&id=eq.1');
        // Two keys named `color` collapse in JSON.parse; the last one (->>) wins.
        assert.deepEqual(r.body, [{ id: 1, color: 'red', w: 3, x: 2, city: 'Paris' }]);
      });
      it('star and empty select return every column', async () => {
        const a = await get('/items?select=*&id=eq.4');
        const b = await get('/items?select=&id=eq.4');
        assert.deepEqual(a.body, b.body);
        assert.equal((a.body as Array<Record<string, unknown>>)[0]?.name, 'Durian');
        assert.ok('Weird "Name"' in ((a.body as Array<Record<string, unknown>>)[0] ?? {}));
      });
      it('an unknown column is PostgreSQL 42703 → 400', async () => {
        const r = await get('/items?select=nope');
        assert.equal(r.status, 400);
        assert.equal((r.body as { code: string }).code, '42703');
      });
      it('views and materialized views', async () => {
        assert.deepEqual((await get('/cheap_items?select=id&order=id')).body, [{ id: 1 }, { id: 2 }]);
        assert.deepEqual((await get('/item_stats')).body, [{ n: 5, total_qty: 35 }]);
      });
    });

    describe('order, limit, offset, Range', () => {
      it('orders with directions and nulls placement', async () => {
        const r = await get('/items?select=id&order=qty.desc.nullslast,id');
        assert.deepEqual((r.body as Array<{ id: number }>).map((x) => x.id), [2, 1, 5, 4, 3]);
        const s = await get('/items?select=id&order=qty.asc.nullsfirst');
        assert.deepEqual((s.body as Array<{ id: number }>).map((x) => x.id), [3, 4, 5, 1, 2]);
      });
      it('orders by a JSON path', async () => {
        const r = await get('/items?select=id&order=data->>n.desc.nullslast');
        assert.deepEqual((r.body as Array<{ id: number }>).map((x) => x.id), [5, 3, 2, 1, 4]);
      });
      it('limit and offset, with Content-Range', async () => {
        const r = await get('/items?select=id&order=id&limit=2&offset=1');
        assert.deepEqual(r.body, [{ id: 2 }, { id: 3 }]);
        assert.equal(r.headers.get('content-range'), '1-2/*');
        assert.equal(r.status, 200);
      });
      it('limit=0 gives [] and */*', async () => {
        const r = await get('/items?limit=0');
        assert.deepEqual(r.body, []);
        assert.equal(r.headers.get('content-range'), '*/*');
      });
      it('Range header pages, open-ended too', async () => {
        assert.deepEqual(await ids('', { Range: '1-2', 'Range-Unit': 'items' }), [2, 3]);
        assert.deepEqual(await ids('', { Range: '3-' }), [4, 5]);
      });
      it('Range intersects with limit/offset', async () => {
        assert.deepEqual(await ids('limit=2', { Range: '1-3' }), [2]);
      });
      it('an inverted Range is 416 PGRST103', async () => {
        const r = await get('/items', { Range: '5-1' });
        assert.equal(r.status, 416);
        assert.equal((r.body as { code: string }).code, 'PGRST103');
      });
      it('a negative limit is 416', async () => {
        assert.equal((await get('/items?limit=-2')).status, 416);
      });
      it('empty results: Content-Range */0 with a count', async () => {
        const r = await get('/empty', { Prefer: 'count=exact' });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-range'), '*/0');
      });
    });

    describe('counts', () => {
      it('exact count: 206 when partial, total in Content-Range', async () => {
        const r = await get('/items?select=id&order=id&limit=2', { Prefer: 'count=exact' });
        assert.equal(r.status, 206);
        assert.equal(r.headers.get('content-range'), '0-1/5');
        assert.match(r.headers.get('preference-applied') ?? '', /count=exact/);
      });
      it('exact count with filters and a full page: 200', async () => {
        const r = await get('/items?select=id&id=lte.3', { Prefer: 'count=exact' });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-range'), '0-2/3');
      });
      it('offset beyond the total: 416 with PostgREST message', async () => {
        const r = await get('/items?offset=10', { Prefer: 'count=exact' });
        assert.equal(r.status, 416);
        assert.deepEqual(r.body, {
          code: 'PGRST103', details: 'An offset of 10 was requested, but there are only 5 rows.', hint: null, message: 'Requested range not satisfiable',
        });
      });
      it('planned and estimated counts give a number', async () => {
        for (const c of ['planned', 'estimated']) {
          const r = await get('/items?limit=1', { Prefer: `count=${c}` });
          assert.ok([200, 206].includes(r.status), `${c}: ${r.status}`);
          assert.match(r.headers.get('content-range') ?? '', /^0-0\/\d+$/);
        }
      });
      it('HEAD returns headers and no body', async () => {
        const r = await api.fetch('/items?limit=1', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
        assert.equal(r.status, 206);
        assert.equal(r.headers.get('content-range'), '0-0/5');
        assert.equal(await r.text(), '');
      });
    });

    describe('media types', () => {
      it('CSV with a header row and quoting', async () => {
        const r = await get('/items?select=id,name,tags&id=in.(1,5)&order=id', { Accept: 'text/csv' });
        assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
        assert.equal(r.text, 'id,name,tags\n1,apple,"{fruit,red}"\n5,"elderberry, ripe",{berry}');
      });
      it('singular object', async () => {
        const r = await get('/items?select=id,name&id=eq.2', { Accept: 'application/vnd.pgrst.object+json' });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { id: 2, name: 'banana' });
        assert.match(r.headers.get('content-type') ?? '', /^application\/vnd\.pgrst\.object\+json/);
      });
      it('singular object with != 1 rows is 406 PGRST116', async () => {
        for (const [qs, n] of [['id=gt.2', 3], ['id=eq.99', 0]] as const) {
          const r = await get(`/items?${qs}`, { Accept: 'application/vnd.pgrst.object+json' });
          assert.equal(r.status, 406);
          assert.deepEqual(r.body, { code: 'PGRST116', details: `The result contains ${n} rows`, hint: null, message: 'Cannot coerce the result to a single JSON object' });
        }
      });
      it('nulls=stripped', async () => {
        const r = await get('/items?select=id,qty,price&id=eq.3', { Accept: 'application/vnd.pgrst.object+json;nulls=stripped' });
        assert.deepEqual(r.body, { id: 3, price: 3 });
        const a = await get('/items?select=id,qty&id=eq.3', { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' });
        assert.deepEqual(a.body, [{ id: 3 }]);
      });
      it('q-values choose among offers; an unknown type is 406 PGRST107', async () => {
        const r = await get('/items?select=id&id=eq.1', { Accept: 'text/csv;q=0.9, application/json' });
        assert.deepEqual(r.body, [{ id: 1 }]);
        const bad = await get('/items', { Accept: 'image/png' });
        assert.equal(bad.status, 406);
        assert.deepEqual(bad.body, { code: 'PGRST107', details: null, hint: null, message: 'None of these media types are available: image/png' });
      });
    });

    describe('schemas', () => {
      it('Accept-Profile switches schema and is echoed', async () => {
        const r = await get('/items', { 'Accept-Profile': 'v2' });
        assert.deepEqual(r.body, [{ id: 1, label: 'v2 item' }]);
        assert.equal(r.headers.get('content-profile'), 'v2');
      });
      it('an unexposed schema is 406 PGRST106', async () => {
        const r = await get('/canary', { 'Accept-Profile': 'private' });
        assert.equal(r.status, 406);
        assert.deepEqual(r.body, { code: 'PGRST106', details: null, hint: 'Only the following schemas are exposed: api, v2', message: 'Invalid schema: private' });
      });
    });

    describe('transaction', () => {
      it('runs read-only as the anonymous role with request settings', async () => {
        const r = await get('/whoami', { 'X-Test': 'hello', Cookie: 'session=abc' });
        const row = (r.body as Array<Record<string, string>>)[0] ?? {};
        assert.equal(row.role, 'api_anon');
        assert.equal(row.method, 'GET');
        assert.equal(row.path, '/whoami');
        assert.equal(row.header, 'hello');
        assert.equal(row.cookie, 'abc');
        assert.deepEqual(JSON.parse(row.claims ?? '{}'), { role: 'api_anon' });
        assert.equal(row.search_path, '"api", "public"');
        assert.equal(row.read_only, 'on');
      });
      it('settings do not leak between requests', async () => {
        await get('/whoami', { 'X-Test': 'first' });
        const r = await get('/whoami');
        assert.equal((r.body as Array<Record<string, string | null>>)[0]?.header, null);
      });
    });

    describe('errors and routing', () => {
      it('unknown table: 404 PGRST205 with a hint', async () => {
        const r = await get('/itemz');
        assert.equal(r.status, 404);
        assert.deepEqual(r.body, { code: 'PGRST205', details: null, hint: "Perhaps you meant the table 'api.items'", message: "Could not find the table 'api.itemz' in the schema cache" });
        assert.equal(r.headers.get('proxy-status'), 'PeSquel; error=PGRST205');
      });
      it('nested paths: 404 PGRST125', async () => {
        const r = await get('/items/1');
        assert.equal(r.status, 404);
        assert.equal((r.body as { code: string }).code, 'PGRST125');
      });
      it('malformed query strings: 400 PGRST100 with details, never 500', async () => {
        for (const qs of ['select=id,', 'id=foo.1', 'order=id.sideways', 'or=(id.eq.1', 'select=a(b', 'limit=x']) {
          const r = await get(`/items?${qs}`);
          assert.equal(r.status, 400, qs);
          assert.equal((r.body as { code: string }).code, 'PGRST100', qs);
          assert.ok((r.body as { details: string }).details, qs);
        }
      });
      it('a wrong value type is PostgreSQL 22P02 → 400', async () => {
        const r = await get('/items?id=eq.abc');
        assert.equal(r.status, 400);
        assert.equal((r.body as { code: string }).code, '22P02');
      });
      it('privileges are enforced (42501 → 401 for anonymous)', async () => {
        await api.sql('CREATE TABLE api.secret (id int)');
        await api.sql(`NOTIFY pgrst, 'reload schema'`);
        await waitFor(async () => (await get('/secret')).status !== 404);
        const r = await get('/secret');
        assert.equal(r.status, 401);
        assert.equal((r.body as { code: string }).code, '42501');
      });
      it('unsupported verbs: 405 PGRST117', async () => {
        const r = await api.fetch('/items', { method: 'TRACE' }).catch(() => null);
        if (r) assert.ok([405, 400].includes(r.status));
      });
    });

    describe('schema cache reload', () => {
      it('NOTIFY pgrst picks up a new table', async () => {
        await api.sql('CREATE TABLE api.fresh (id int)');
        await api.sql('GRANT SELECT ON api.fresh TO api_anon');
        await api.sql(`NOTIFY pgrst, 'reload schema'`);
        await waitFor(async () => (await get('/fresh')).status === 200);
        assert.deepEqual((await get('/fresh')).body, []);
      });
    });

    describe('OPTIONS and CORS', () => {
      it('OPTIONS lists what a table allows', async () => {
        const r = await api.fetch('/items', { method: 'OPTIONS' });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('allow'), 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE');
        const v = await api.fetch('/item_stats', { method: 'OPTIONS' });
        assert.equal(v.headers.get('allow'), 'OPTIONS,GET,HEAD');
      });
      it('CORS preflight and simple requests', async () => {
        const p = await api.fetch('/items', { method: 'OPTIONS', headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'X-Custom' } });
        assert.equal(p.status, 200);
        // Without server-cors-allowed-origins any origin may read, without credentials (PostgREST).
        assert.equal(p.headers.get('access-control-allow-origin'), '*');
        assert.equal(p.headers.get('access-control-allow-credentials'), null);
        assert.match(p.headers.get('access-control-allow-methods') ?? '', /PATCH/);
        assert.match(p.headers.get('access-control-allow-headers') ?? '', /Authorization, .*X-Custom/);
        assert.equal(p.headers.get('access-control-max-age'), '86400');
        const g = await api.fetch('/items?limit=1', { headers: { Origin: 'http://app.example' } });
        assert.equal(g.headers.get('access-control-allow-origin'), '*');
        assert.match(g.headers.get('access-control-expose-headers') ?? '', /Content-Range/);
      });
    });
  });
}

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting for condition');
}
