// HTTP tests of PostgREST's media types beyond JSON/CSV on every backend: execution plans
// (db-plan-enabled), raw text/xml/bytes, custom media-type handlers, and application/geo+json
// (PostgreSQL with PostGIS; PGlite has no PostGIS and answers 406).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

for (const kind of backendKinds()) {
  const postgis = kind !== 'pglite';
  describe(`media types (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: postgis ? ['compat-media.sql', 'postgis.sql'] : ['compat-media.sql'],
        options: { 'db-plan-enabled': 'true', 'db-schemas': 'api,media2', 'db-extra-search-path': 'public,media3' },
      });
    });
    after(async () => { await api?.close(); });

    const get = (path: string, accept?: string) => api.fetch(path, { headers: accept === undefined ? {} : { Accept: accept } });
    const send = (method: string, path: string, body: unknown, accept: string, prefer?: string) => api.fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: accept, ...(prefer ? { Prefer: prefer } : {}) },
      body: body === null ? undefined : JSON.stringify(body),
    });
    /** Status, Content-Type, and a body whose Content-Length is its byte length. */
    const expect = async (r: Response, status: number, contentType: string): Promise<Buffer> => {
      const body = Buffer.from(await r.arrayBuffer());
      assert.equal(r.status, status, body.toString());
      assert.equal(r.headers.get('content-type'), contentType);
      assert.equal(Number(r.headers.get('content-length')), body.length);
      return body;
    };
    const notAcceptable = async (r: Response, accept: string) => {
      const body = JSON.parse((await expect(r, 406, 'application/json; charset=utf-8')).toString()) as { code: string; message: string };
      assert.deepEqual(body, { code: 'PGRST107', details: null, hint: null, message: `None of these media types are available: ${accept}` });
    };
    const projectCount = async () => Number((await api.sql('SELECT count(*)::int AS n FROM api.projects'))[0]?.n);

    describe('execution plans', () => {
      it('plan+json explains the read with its total cost', async () => {
        const body = await expect(await get('/projects?id=in.(1,2)', 'application/vnd.pgrst.plan+json'), 200,
          'application/vnd.pgrst.plan+json; for="application/json"; charset=utf-8');
        const plan = JSON.parse(body.toString()) as Array<{ Plan: { 'Node Type': string; 'Total Cost': number } }>;
        assert.equal(plan[0]?.Plan['Node Type'], 'Aggregate');
        assert.equal(typeof plan[0]?.Plan['Total Cost'], 'number');
      });

      it('text is the default format; options in PostgREST order, verbose shows the json_agg body', async () => {
        const r = await get('/projects', 'application/vnd.pgrst.plan; options=verbose|analyze');
        const text = (await expect(r, 200, 'application/vnd.pgrst.plan+text; for="application/json"; options=analyze|verbose; charset=utf-8')).toString();
        assert.match(text, /^Aggregate {2}\(cost=/);
        assert.match(text, /actual time=/);
        assert.match(text, /Output: .*json_agg\(ROW\(projects\.id, projects\.name, projects\.client\)\)/);
      });

      it('for= picks the media type explained (vendored names completed as PostgREST does)', async () => {
        const r = await get('/projects?id=eq.1', 'application/vnd.pgrst.plan+json; for="application/vnd.pgrst.object"; options=verbose');
        const plan = JSON.parse((await expect(r, 200, 'application/vnd.pgrst.plan+json; for="application/vnd.pgrst.object+json"; options=verbose; charset=utf-8')).toString()) as Array<{ Plan: { Output: string[] } }>;
        assert.match(plan[0]?.Plan.Output[2] ?? '', /json_agg\(ROW\(projects\.id, projects\.name, projects\.client\)\) -> 0/);
        const csv = await get('/projects', 'application/vnd.pgrst.plan+text; for="text/csv"; options=verbose');
        assert.match((await expect(csv, 200, 'application/vnd.pgrst.plan+text; for="text/csv"; options=verbose; charset=utf-8')).toString(), /string_agg/);
        const tsv = await get('/projects', 'application/vnd.pgrst.plan+text; for="text/tab-separated-values"; options=verbose');
        assert.match((await expect(tsv, 200, 'application/vnd.pgrst.plan+text; for="text/tab-separated-values"; options=verbose; charset=utf-8')).toString(), /tsv_agg\(ROW/);
        await notAcceptable(await get('/projects', 'application/vnd.pgrst.plan; for="image/png"'), 'application/vnd.pgrst.plan+text; for="image/png"');
      });

      it('writes are explained (and analyzed) in a transaction that is rolled back', async () => {
        const before = await projectCount();
        const ins = await send('POST', '/projects', { id: 10, name: 'New' }, 'application/vnd.pgrst.plan+json; options=analyze');
        const plan = JSON.parse((await expect(ins, 200, 'application/vnd.pgrst.plan+json; for="application/json"; options=analyze; charset=utf-8')).toString()) as Array<{ Plan: { 'Actual Rows': number } }>;
        assert.equal(plan[0]?.Plan['Actual Rows'], 1);
        const upd = await send('PATCH', '/projects?id=eq.1', { name: 'Changed' }, 'application/vnd.pgrst.plan+text; options=analyze');
        assert.match((await expect(upd, 200, 'application/vnd.pgrst.plan+text; for="application/json"; options=analyze; charset=utf-8')).toString(), /Update on projects/);
        const del = await send('DELETE', '/projects?id=eq.2', null, 'application/vnd.pgrst.plan+text; options=analyze', 'return=representation');
        assert.match((await expect(del, 200, 'application/vnd.pgrst.plan+text; for="application/json"; options=analyze; charset=utf-8')).toString(), /Delete on projects/);
        assert.equal(await projectCount(), before);
        assert.deepEqual(await api.sql('SELECT name FROM api.projects WHERE id = 1'), [{ name: 'Windows 7' }]);
      });

      it('function calls are explained', async () => {
        const r = await get('/rpc/all_projects?id=lt.3', 'application/vnd.pgrst.plan+json');
        const plan = JSON.parse((await expect(r, 200, 'application/vnd.pgrst.plan+json; for="application/json"; charset=utf-8')).toString()) as Array<{ Plan: { 'Total Cost': number } }>;
        assert.equal(typeof plan[0]?.Plan['Total Cost'], 'number');
        const post = await api.fetch('/rpc/greet', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.pgrst.plan+text; for="text/plain"' }, body: '{"name":"x"}' });
        assert.match((await expect(post, 200, 'application/vnd.pgrst.plan+text; for="text/plain"; charset=utf-8')).toString(), /cost=/);
      });
    });

    describe('raw output', () => {
      it('one selected column as text/plain, text/xml or bytes', async () => {
        assert.equal((await expect(await get('/files?select=name&order=id', 'text/plain'), 200, 'text/plain; charset=utf-8')).toString(), 'a.txtb.bin');
        assert.equal((await expect(await get('/files?select=doc&order=id', 'text/xml'), 200, 'text/xml; charset=utf-8')).toString(), '<a>1</a><b/>');
        const bytes = await expect(await get('/files?select=content&id=eq.2', 'application/octet-stream'), 200, 'application/octet-stream');
        assert.deepEqual([...bytes], [0x00, 0xff, 0x21]);
        assert.equal((await expect(await get('/files?select=name&id=eq.99', 'text/plain'), 200, 'text/plain; charset=utf-8')).toString(), '');
      });

      it('several columns (or none named) cannot be raw; each type has its one raw media type', async () => {
        await notAcceptable(await get('/files?select=id,name', 'text/plain'), 'text/plain');
        await notAcceptable(await get('/projects', 'text/plain'), 'text/plain');
        await notAcceptable(await get('/files?select=content', 'text/plain'), 'text/plain');
        await notAcceptable(await get('/files?select=name', 'application/octet-stream'), 'application/octet-stream');
        // As PostgREST: JSON when text/plain cannot be produced.
        assert.equal((await expect(await get('/projects?id=eq.1', 'text/plain, application/json'), 200, 'application/json; charset=utf-8')).toString(), '[{"id":1,"name":"Windows 7","client":"Microsoft"}]');
      });

      it('functions returning text, xml and bytea', async () => {
        assert.equal((await expect(await get('/rpc/greet?name=you', 'text/plain'), 200, 'text/plain; charset=utf-8')).toString(), 'hello you');
        assert.equal((await expect(await get('/rpc/doc', 'text/xml'), 200, 'text/xml; charset=utf-8')).toString(), '<doc><p>hi</p></doc>');
        assert.deepEqual([...await expect(await get('/rpc/bytes', 'application/octet-stream'), 200, 'application/octet-stream')], [0, 1, 2, 3, 255]);
        // JSON stays the default.
        assert.equal((await expect(await get('/rpc/greet'), 200, 'application/json; charset=utf-8')).toString(), '"hello world"');
        // text is not xml; a set of scalars is not sent raw (PostgREST's 406s).
        await notAcceptable(await get('/rpc/greet', 'text/xml'), 'text/xml');
        await notAcceptable(await get('/rpc/words', 'text/plain'), 'text/plain');
        // One column of a function's rows.
        assert.deepEqual([...await expect(await get('/rpc/all_files?select=content&id=eq.1', 'application/octet-stream'), 200, 'application/octet-stream')], [0x68, 0x65, 0x6c, 0x6c, 0x6f]);
      });
    });

    describe('custom media-type handlers', () => {
      it('an aggregate over a table serves its media type for that table', async () => {
        const body = await expect(await get('/projects?order=id', 'text/tab-separated-values'), 200, 'text/tab-separated-values');
        assert.equal(body.toString(), 'id\tname\n1\tWindows 7\n2\tWindows 10\n3\tIOS\n');
        assert.equal((await expect(await get('/projects?id=eq.99', 'text/tab-separated-values'), 200, 'text/tab-separated-values')).toString(), 'id\tname\n');
        // Only for the table it takes, and only without select=.
        await notAcceptable(await get('/specials', 'text/tab-separated-values'), 'text/tab-separated-values');
        await notAcceptable(await get('/projects?select=id', 'text/tab-separated-values'), 'text/tab-separated-values');
      });

      it('an anyelement aggregate serves every relation, select= included', async () => {
        const body = await expect(await get('/projects?select=id,name&order=id&limit=2', 'application/x-ndjson'), 200, 'application/x-ndjson');
        assert.equal(body.toString(), '{"id":1,"name":"Windows 7"}\n{"id":2,"name":"Windows 10"}\n');
        assert.equal((await expect(await get('/specials?order=id', 'application/x-ndjson'), 200, 'application/x-ndjson')).toString(), '{"id":1,"label":"one"}\n{"id":2,"label":"two"}\n');
        // A handler in another exposed schema, or in an extra search path schema, counts.
        assert.equal((await expect(await get('/projects', 'text/x-count'), 200, 'text/x-count')).toString(), '3 rows');
        assert.equal((await expect(await get('/projects?order=id', 'text/x-ids'), 200, 'text/x-ids')).toString(), '1 2 3');
      });

      it('application/json overridden for one table; */* still gets the built-in JSON', async () => {
        assert.equal((await expect(await get('/specials', 'application/json'), 200, 'application/json; charset=utf-8')).toString(), '{"specials" : {"1": "one", "2": "two"}}');
        assert.equal((await expect(await get('/specials?order=id'), 200, 'application/json; charset=utf-8')).toString(), '[{"id":1,"label":"one"}, \n {"id":2,"label":"two"}]');
        assert.equal((await expect(await get('/projects?id=eq.3', 'application/json'), 200, 'application/json; charset=utf-8')).toString(), '[{"id":3,"name":"IOS","client":"Apple"}]');
        // application/geo+json too, with or without PostGIS; vendored types are never overridden.
        assert.equal((await expect(await get('/specials', 'application/geo+json'), 200, 'application/geo+json; charset=utf-8')).toString(), '{"type" : "FeatureCollection", "labels" : {"1": "one", "2": "two"}}');
        assert.equal((await expect(await get('/specials?id=eq.1', 'application/vnd.pgrst.object+json'), 200, 'application/vnd.pgrst.object+json; charset=utf-8')).toString(), '{"id":1,"label":"one"}');
      });

      it('a */* handler answers any Accept for its table, as application/octet-stream', async () => {
        for (const accept of ['application/json', 'text/csv', '*/*']) {
          const bytes = await expect(await get('/files?order=id', accept), 200, 'application/octet-stream');
          assert.deepEqual([...bytes], [0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0xff, 0x21]);
        }
        assert.equal((await expect(await get('/files?select=name&order=id'), 200, 'application/json; charset=utf-8')).toString(), '[{"name":"a.txt"}, \n {"name":"b.bin"}]');
      });

      it('functions returning a media-type domain serve it on /rpc', async () => {
        assert.deepEqual([...await expect(await get('/rpc/pixel', 'image/png'), 200, 'image/png')], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        assert.equal((await expect(await get('/rpc/projects_tsv', 'text/tab-separated-values'), 200, 'text/tab-separated-values')).toString(), '1\tWindows 7\n2\tWindows 10\n3\tIOS');
        assert.equal((await expect(await get('/rpc/pixel', 'application/json'), 200, 'application/json; charset=utf-8')).toString(), '"\\\\x89504e470d0a1a0a"');
        await notAcceptable(await get('/rpc/greet', 'image/png'), 'image/png');
      });
    });

    describe('JSON text', () => {
      it('bodies are json_agg text: a large page (sent in chunks) has the bytes of a small one', async () => {
        const expected = '[{"id":1,"name":"Windows 7","client":"Microsoft"}, \n {"id":2,"name":"Windows 10","client":"Microsoft"}, \n {"id":3,"name":"IOS","client":"Apple"}]';
        const chunked = await expect(await get('/projects?order=id'), 200, 'application/json; charset=utf-8');
        const small = await expect(await get('/projects?order=id&limit=10'), 200, 'application/json; charset=utf-8');
        assert.equal(chunked.toString(), expected);
        assert.equal(small.toString(), expected);
        const stripped = 'application/vnd.pgrst.array+json;nulls=stripped';
        await api.sql("UPDATE api.projects SET client = NULL WHERE id = 3");
        try {
          const type = (await get('/projects?limit=1', stripped)).headers.get('content-type') ?? '';
          assert.match(type, /^application\/vnd\.pgrst\.array\+json; ?nulls=stripped; charset=utf-8$/);
          const a = await expect(await get('/projects?order=id', stripped), 200, type);
          const b = await expect(await get('/projects?order=id&limit=10', stripped), 200, type);
          assert.equal(a.toString(), '[{"id":1,"name":"Windows 7","client":"Microsoft"},{"id":2,"name":"Windows 10","client":"Microsoft"},{"id":3,"name":"IOS"}]');
          assert.equal(b.toString(), a.toString());
        } finally {
          await api.sql("UPDATE api.projects SET client = 'Apple' WHERE id = 3");
        }
      });
    });

    describe('data representations', () => {
      const widgets = async (path: string) => JSON.parse((await expect(await get(path), 200, 'application/json; charset=utf-8')).toString()) as unknown;

      it('output goes through the domain → json cast (star, columns, aliases, casts after it)', async () => {
        assert.deepEqual(await widgets('/widgets?order=id'), [
          { id: 1, name: 'red', color: '#ff0000', project_id: 1 },
          { id: 2, name: 'green', color: '#00ff00', project_id: 1 },
          { id: 3, name: 'blue', color: '#0000ff', project_id: 3 },
        ]);
        assert.deepEqual(await widgets('/widgets?select=id,c:color&id=eq.2'), [{ id: 2, c: '#00ff00' }]);
        assert.deepEqual(await widgets('/widgets?select=color::text&id=eq.1'), [{ color: '"#ff0000"' }]);
      });

      it('filter values go through the text → domain cast', async () => {
        assert.deepEqual(await widgets('/widgets?select=id&color=eq.%23ff0000'), [{ id: 1 }]);
        assert.deepEqual(await widgets('/widgets?select=id&color=in.(%2300ff00,%230000ff)&order=id'), [{ id: 2 }, { id: 3 }]);
        assert.deepEqual(await widgets('/widgets?select=id&color=gt.%2300ff00'), [{ id: 1 }]);
        assert.deepEqual(await widgets('/widgets?select=id&color=eq(any).{%23ff0000,%230000ff}&order=id'), [{ id: 1 }, { id: 3 }]);
        assert.deepEqual(await widgets('/widgets?select=id&or=(color.eq.%23ff0000,color.eq.%230000ff)&order=id'), [{ id: 1 }, { id: 3 }]);
      });

      it('computed fields returning the domain are formatted and filtered too', async () => {
        assert.deepEqual(await widgets('/widgets?select=id,inverse&inverse=eq.%2300ffff'), [{ id: 1, inverse: '#00ffff' }]);
      });

      it('embeds and RPC results are formatted too', async () => {
        assert.deepEqual(await widgets('/projects?select=name,widgets(name,color)&id=eq.1&widgets.order=id'), [
          { name: 'Windows 7', widgets: [{ name: 'red', color: '#ff0000' }, { name: 'green', color: '#00ff00' }] },
        ]);
        assert.deepEqual(await widgets('/rpc/widgets_of?pid=3'), [{ id: 3, name: 'blue', color: '#0000ff', project_id: 3 }]);
      });

      it('JSON bodies go through the json → domain cast; return=representation is formatted', async () => {
        const ins = await send('POST', '/widgets', [{ id: 10, name: 'white', color: '#ffffff' }, { id: 11, name: 'none', color: null }], 'application/json', 'return=representation');
        assert.deepEqual(JSON.parse((await expect(ins, 201, 'application/json; charset=utf-8')).toString()), [
          { id: 10, name: 'white', color: '#ffffff', project_id: null },
          { id: 11, name: 'none', color: null, project_id: null },
        ]);
        assert.deepEqual(await api.sql('SELECT id, color FROM api.widgets WHERE id >= 10 ORDER BY id'), [{ id: 10, color: 16777215 }, { id: 11, color: null }]);
        const upd = await send('PATCH', '/widgets?color=eq.%23ffffff', { color: '#000001' }, 'application/json', 'return=representation');
        assert.deepEqual(JSON.parse((await expect(upd, 200, 'application/json; charset=utf-8')).toString()), [{ id: 10, name: 'white', color: '#000001', project_id: null }]);
        const del = await send('DELETE', '/widgets?id=gte.10&color=eq.%23000001', null, 'application/json', 'return=representation');
        assert.deepEqual(JSON.parse((await expect(del, 200, 'application/json; charset=utf-8')).toString()), [{ id: 10, name: 'white', color: '#000001', project_id: null }]);
        await api.sql('DELETE FROM api.widgets WHERE id >= 10');
      });

      it('keys outside ?columns= are not parsed', async () => {
        const r = await send('POST', '/widgets?columns=id,name&select=id,color', { id: 12, name: 'x', color: 'not a color' }, 'application/json', 'return=representation');
        assert.deepEqual(JSON.parse((await expect(r, 201, 'application/json; charset=utf-8')).toString()), [{ id: 12, color: null }]);
        const bad = await send('POST', '/widgets', { id: 13, name: 'y', color: 'not a color' }, 'application/json', 'return=representation');
        assert.equal(bad.status, 400);
        assert.deepEqual(await api.sql('SELECT id FROM api.widgets WHERE id >= 10'), [{ id: 12 }]);
        await api.sql('DELETE FROM api.widgets WHERE id >= 10');
      });
    });

    describe('application/geo+json', () => {
      if (!postgis) {
        it('without PostGIS the media type is not available (406)', async () => {
          await notAcceptable(await get('/projects', 'application/geo+json'), 'application/geo+json');
        });
        return;
      }
      it('a FeatureCollection of ST_AsGeoJSON rows', async () => {
        const body = JSON.parse((await expect(await get('/shops?id=lt.3&order=id', 'application/geo+json'), 200, 'application/geo+json; charset=utf-8')).toString()) as unknown;
        assert.deepEqual(body, {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', geometry: { type: 'Point', coordinates: [-71.10044, 42.373695] }, properties: { id: 1, address: '1369 Cambridge St' } },
            { type: 'Feature', geometry: { type: 'Point', coordinates: [-71.10543, 42.366432] }, properties: { id: 2, address: '757 Massachusetts Ave' } },
          ],
        });
      });

      it('select= shapes the properties; no rows give no features', async () => {
        const body = JSON.parse((await expect(await get('/shops?select=id,shop_geom&id=eq.3', 'application/geo+json'), 200, 'application/geo+json; charset=utf-8')).toString()) as unknown;
        assert.deepEqual(body, { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [-71.081924, 42.36437] }, properties: { id: 3 } }] });
        const none = await expect(await get('/shops?id=eq.99', 'application/geo+json'), 200, 'application/geo+json; charset=utf-8');
        assert.deepEqual(JSON.parse(none.toString()), { type: 'FeatureCollection', features: [] });
      });

      it('embeds, RPC, and geometries as GeoJSON objects in plain JSON', async () => {
        const geo = async (path: string) => JSON.parse((await expect(await get(path, 'application/geo+json'), 200, 'application/geo+json; charset=utf-8')).toString()) as unknown;
        assert.deepEqual(await geo('/shops?select=id,shop_geom,shop_bles(id,name)&id=eq.1&shop_bles.order=id'), {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [-71.10044, 42.373695] }, properties: { id: 1, shop_bles: [{ id: 1, name: 'Beacon-1' }, { id: 2, name: 'Beacon-2' }] } }],
        });
        assert.deepEqual(await geo('/rpc/get_shop?id=2'), {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [-71.10543, 42.366432] }, properties: { id: 2, address: '757 Massachusetts Ave' } }],
        });
        const json = JSON.parse((await expect(await get('/shops?select=shop_geom&id=eq.3'), 200, 'application/json; charset=utf-8')).toString()) as unknown;
        assert.deepEqual(json, [{ shop_geom: { type: 'Point', crs: { type: 'name', properties: { name: 'EPSG:4326' } }, coordinates: [-71.081924, 42.36437] } }]);
      });

      it('return=representation of writes', async () => {
        const rep = 'return=representation';
        const ins = await send('POST', '/shops', { id: 4, address: '1354 Massachusetts Ave', shop_geom: 'SRID=4326;POINT(-71.11834 42.373238)' }, 'application/geo+json', rep);
        assert.deepEqual(JSON.parse((await expect(ins, 201, 'application/geo+json; charset=utf-8')).toString()), {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [-71.11834, 42.373238] }, properties: { id: 4, address: '1354 Massachusetts Ave' } }],
        });
        const upd = await send('PATCH', '/shops?id=eq.4', { address: 'Moved' }, 'application/geo+json', rep);
        assert.deepEqual(JSON.parse((await expect(upd, 200, 'application/geo+json; charset=utf-8')).toString()), {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [-71.11834, 42.373238] }, properties: { id: 4, address: 'Moved' } }],
        });
        const del = await send('DELETE', '/shops?id=eq.4', null, 'application/geo+json', rep);
        assert.equal(JSON.parse((await expect(del, 200, 'application/geo+json; charset=utf-8')).toString()).features[0].properties.id, 4);
        assert.deepEqual(await api.sql('SELECT count(*)::int AS n FROM api.shops'), [{ n: 3 }]);
      });

      it('without a geometry column PostGIS itself refuses', async () => {
        for (const path of ['/projects', '/shops?select=id,address']) {
          const r = await get(path, 'application/geo+json');
          const body = JSON.parse((await expect(r, 400, 'application/json; charset=utf-8')).toString()) as unknown;
          assert.deepEqual(body, { code: '22023', details: null, hint: null, message: 'geometry column is missing' });
        }
      });
    });
  });
}

for (const kind of backendKinds().filter((k) => k !== 'pgbouncer')) {
  describe(`execution plans disabled (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['compat-media.sql'] }); });
    after(async () => { await api?.close(); });

    it('db-plan-enabled=false (the default): 406 PGRST107', async () => {
      for (const [method, path] of [['GET', '/projects'], ['DELETE', '/projects?id=eq.1'], ['GET', '/rpc/all_projects']] as const) {
        const accept = 'application/vnd.pgrst.plan+json';
        const r = await api.fetch(path, { method, headers: { Accept: accept } });
        assert.equal(r.status, 406);
        assert.deepEqual(await r.json(), { code: 'PGRST107', details: null, hint: null, message: `None of these media types are available: ${accept}; for="application/json"` });
      }
      assert.equal(Number((await api.sql('SELECT count(*)::int AS n FROM api.projects'))[0]?.n), 3);
    });

    it('the 406 names the entries as PostgREST does: by preference, without q, vendored types completed', async () => {
      const r = await api.fetch('/rpc/all_projects', { headers: { Accept: 'image/png;q=0.5, application/vnd.pgrst.plan+json; options=wal|analyze' } });
      assert.equal(r.status, 406);
      assert.deepEqual(await r.json(), {
        code: 'PGRST107', details: null, hint: null,
        message: 'None of these media types are available: application/vnd.pgrst.plan+json; for="application/json"; options=analyze|wal, image/png',
      });
    });
  });
}
