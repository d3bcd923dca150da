// @supabase/postgrest-js as a real client on every backend: the filters, select, order, range,
// single/maybeSingle, csv and count features clients rely on, and the error objects they surface.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgrestClient } from '@supabase/postgrest-js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Row = Record<string, unknown>;
const ids = (data: unknown) => (data as Row[]).map((r) => r.id);

for (const kind of backendKinds()) {
  describe(`postgrest-js (${kind})`, () => {
    let api: TestApi;
    let db: PostgrestClient;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['read.sql'], options: { 'db-schemas': 'api,v2' } });
      await api.sql('ANALYZE api.items');
      db = new PostgrestClient(api.url, { retry: false });
    });
    after(async () => { await api?.close(); });

    const items = () => db.from('items');

    describe('filters', () => {
      it('eq, neq, gt', async () => {
        assert.deepEqual(ids((await items().select('id').eq('name', 'banana')).data), [2]);
        assert.deepEqual(ids((await items().select('id').neq('id', 1).lt('id', 4).order('id')).data), [2, 3]);
        assert.deepEqual(ids((await items().select('id').gt('price', 2).order('id')).data), [3, 5]);
      });
      it('like and ilike with * and %', async () => {
        assert.deepEqual(ids((await items().select('id').like('name', '%an%').order('id')).data), [2, 4]);
        assert.deepEqual(ids((await items().select('id').ilike('name', 'd*').order('id')).data), [4]);
      });
      it('in, including values with commas and quotes', async () => {
        assert.deepEqual(ids((await items().select('id').in('id', [1, 3, 99]).order('id')).data), [1, 3]);
        assert.deepEqual(ids((await items().select('id').in('name', ['elderberry, ripe', 'apple']).order('id')).data), [1, 5]);
        // postgrest-js sends column names as given: a name with `"` must be quoted by the caller.
        assert.deepEqual(ids((await items().select('id').in('"Weird \\"Name\\""', ['w"5', 'w1']).order('id')).data), [1, 5]);
      });
      it('is null / true / false', async () => {
        assert.deepEqual(ids((await items().select('id').is('price', null)).data), [4]);
        assert.deepEqual(ids((await items().select('id').is('active', false)).data), [3]);
        assert.deepEqual(ids((await items().select('id').is('active', true).order('id')).data), [1, 2, 5]);
      });
      it('contains / containedBy / overlaps on arrays, jsonb and ranges', async () => {
        assert.deepEqual(ids((await items().select('id').contains('tags', ['red']).order('id')).data), [1, 3]);
        assert.deepEqual(ids((await items().select('id').contains('data', { size: { w: 3 } })).data), [1]);
        assert.deepEqual(ids((await items().select('id').contains('during', '[2,3]')).data), [1]);
        assert.deepEqual(ids((await items().select('id').containedBy('tags', ['fruit', 'red', 'small', 'yellow']).order('id')).data), [1, 2, 3, 4]);
        assert.deepEqual(ids((await items().select('id').overlaps('tags', ['yellow', 'berry']).order('id')).data), [2, 5]);
        assert.deepEqual(ids((await items().select('id').overlaps('during', '[4,6)').order('id')).data), [1, 2]);
      });
      it('textSearch: default, plain, phrase, websearch, with a config, on text and tsvector', async () => {
        assert.deepEqual(ids((await items().select('id').textSearch('doc', "'apple'")).data), [1]);
        assert.deepEqual(ids((await items().select('id').textSearch('doc', 'red apples', { type: 'plain', config: 'english' })).data), [1]);
        assert.deepEqual(ids((await items().select('id').textSearch('doc', 'pie is sweet', { type: 'phrase', config: 'english' })).data), [3]);
        assert.deepEqual(ids((await items().select('id').textSearch('body', 'yellow -red', { type: 'websearch', config: 'english' })).data), [2]);
      });
      it('match, not, or, filter', async () => {
        assert.deepEqual(ids((await items().select('id').match({ active: true, mood: 'happy' }).order('id')).data), [1, 5]);
        assert.deepEqual(ids((await items().select('id').not('price', 'is', null).not('id', 'in', '(1,2)').order('id')).data), [3, 5]);
        assert.deepEqual(ids((await items().select('id').or('id.eq.1,and(price.gt.3,active.is.true)').order('id')).data), [1, 5]);
        assert.deepEqual(ids((await items().select('id').filter('data->>color', 'eq', 'red').order('id')).data), [1, 3]);
        assert.deepEqual(ids((await items().select('id').filter('tags', 'cs', '{berry}')).data), [5]);
      });
    });

    describe('select', () => {
      it('columns, aliases, casts and JSON arrows with PostgREST key names', async () => {
        const { data, error } = await items().select('id,label:name,price::text,color:data->>color,data->size->w,data->list->0').eq('id', 1).single();
        assert.equal(error, null);
        // A path ending in an array index is named after its last key (PostgREST v13).
        assert.deepEqual(data, { id: 1, label: 'apple', price: '1.50', color: 'red', w: 3, list: 1 });
      });
      it('quoted column names', async () => {
        const { data } = await items().select('id,"information.cpe"').eq('id', 1);
        assert.deepEqual(data, [{ id: 1, 'information.cpe': 'cpe:MS:one' }]);
      });
      it('another schema through schema() → Accept-Profile', async () => {
        const { data, error } = await db.schema('v2').from('items').select('*');
        assert.equal(error, null);
        assert.deepEqual(data, [{ id: 1, label: 'v2 item' }]);
      });
    });

    describe('order, range, limit', () => {
      it('descending with nulls first, then ascending with nulls last', async () => {
        assert.deepEqual(ids((await items().select('id').order('price', { ascending: false, nullsFirst: true })).data), [4, 5, 3, 1, 2]);
        assert.deepEqual(ids((await items().select('id').order('qty', { nullsFirst: false })).data), [4, 5, 1, 2, 3]);
      });
      it('several order terms and JSON paths', async () => {
        assert.deepEqual(ids((await items().select('id').order('active').order('id', { ascending: false })).data), [3, 5, 2, 1, 4]);
        assert.deepEqual(ids((await items().select('id').not('data', 'is', null).order('data->>n', { ascending: false })).data), [5, 3, 2, 1]);
      });
      it('range and limit', async () => {
        assert.deepEqual(ids((await items().select('id').order('id').range(1, 2)).data), [2, 3]);
        assert.deepEqual(ids((await items().select('id').order('id').limit(2)).data), [1, 2]);
      });
    });

    describe('single, maybeSingle, csv', () => {
      it('single() returns one object', async () => {
        const r = await items().select('id,name').eq('id', 2).single();
        assert.deepEqual([r.status, r.data, r.error], [200, { id: 2, name: 'banana' }, null]);
      });
      it('single() with 0 or 2 rows gives 406 PGRST116 with the row count', async () => {
        for (const [q, n] of [[items().select('id').eq('id', 99), 0], [items().select('id').lt('id', 3), 2]] as const) {
          const r = await q.single();
          assert.equal(r.status, 406);
          assert.equal(r.data, null);
          assert.deepEqual(r.error, { code: 'PGRST116', details: `The result contains ${n} rows`, hint: null, message: 'Cannot coerce the result to a single JSON object' });
        }
      });
      it('maybeSingle() gives null for no row, the row for one, PGRST116 for more', async () => {
        assert.deepEqual(await items().select('id').eq('id', 99).maybeSingle().then((r) => [r.data, r.error]), [null, null]);
        assert.deepEqual(await items().select('id').eq('id', 3).maybeSingle().then((r) => [r.data, r.error]), [{ id: 3 }, null]);
        const many = await items().select('id').maybeSingle();
        assert.equal((many.error as { code: string } | null)?.code, 'PGRST116');
      });
      it('csv() returns CSV text with a header and quoting', async () => {
        const { data, error } = await items().select('id,name,tags').in('id', [1, 5]).order('id').csv();
        assert.equal(error, null);
        assert.equal(data, 'id,name,tags\n1,apple,"{fruit,red}"\n5,"elderberry, ripe",{berry}');
      });
    });

    describe('count', () => {
      it('exact, planned and estimated with head:true give the count and no data', async () => {
        for (const count of ['exact', 'planned', 'estimated'] as const) {
          const r = await items().select('*', { count, head: true });
          assert.deepEqual([r.error, r.data, r.count], [null, null, 5], count);
        }
      });
      it('exact count with filters and a page: 206 with the total', async () => {
        const r = await items().select('id', { count: 'exact' }).eq('active', true).order('id').range(0, 1);
        assert.deepEqual([r.status, ids(r.data), r.count], [206, [1, 2], 3]);
      });
    });

    describe('errors', () => {
      it('an unknown table: 404 PGRST205 with a hint', async () => {
        const r = await db.from('itemz').select('*');
        assert.equal(r.status, 404);
        assert.equal(r.error?.code, 'PGRST205');
        assert.equal(r.error?.message, "Could not find the table 'api.itemz' in the schema cache");
        assert.equal(r.error?.hint, "Perhaps you meant the table 'api.items'");
      });
      it('a malformed select or operator: 400 PGRST100 with details', async () => {
        const sel = await items().select('id,name(');
        assert.equal(sel.status, 400);
        assert.equal(sel.error?.code, 'PGRST100');
        assert.ok(sel.error?.details);
        const op = await items().select('id').filter('id', 'nope', '1');
        assert.equal(op.error?.code, 'PGRST100');
      });
      it('an unknown column: PostgreSQL 42703, as PostgREST reports it', async () => {
        const r = await items().select('nope');
        assert.equal(r.status, 400);
        assert.equal(r.error?.code, '42703');
      });
    });
  });
}

// explain() (execution plans, db-plan-enabled) and geojson() (PostGIS; PGlite has none: 406).
for (const kind of backendKinds()) {
  const postgis = kind !== 'pglite';
  describe(`postgrest-js explain and geojson (${kind})`, () => {
    let api: TestApi;
    let db: PostgrestClient;
    before(async () => {
      api = await startTestApi(kind, { fixtures: postgis ? ['compat-media.sql', 'postgis.sql'] : ['compat-media.sql'], options: { 'db-plan-enabled': 'true' } });
      db = new PostgrestClient(api.url, { retry: false });
    });
    after(async () => { await api?.close(); });

    type PlanNode = { 'Node Type': string; 'Actual Rows'?: number; Output?: string[] };
    it('explain() as JSON with analyze and verbose', async () => {
      const r = await db.from('projects').select('id,name').eq('id', 1).explain({ format: 'json', analyze: true, verbose: true });
      assert.equal(r.error, null);
      assert.equal(r.status, 200);
      const plan = (r.data as unknown as Array<{ Plan: PlanNode }>)[0]?.Plan;
      assert.equal(plan?.['Node Type'], 'Aggregate');
      assert.equal(plan?.['Actual Rows'], 1);
      assert.ok(plan?.Output?.some((o) => o.includes('json_agg')));
    });

    it('explain() as text (the default format)', async () => {
      const r = await db.from('projects').select('*').order('id').explain({ analyze: true });
      assert.equal(r.error, null);
      assert.equal(r.status, 200);
      assert.match(r.data as unknown as string, /^Aggregate {2}\(cost=[^\n]*actual time=/);
    });

    it('explain() of a write changes nothing', async () => {
      const r = await db.from('projects').insert({ id: 50, name: 'Planned' }).explain({ analyze: true, format: 'json' });
      assert.equal(r.error, null);
      assert.equal(r.status, 200);
      assert.deepEqual(await api.sql('SELECT count(*)::int AS n FROM api.projects WHERE id = 50'), [{ n: 0 }]);
    });

    if (postgis) {
      it('geojson(): a FeatureCollection', async () => {
        const r = await db.from('shops').select('id,shop_geom').eq('id', 3).geojson();
        assert.equal(r.error, null);
        assert.equal(r.status, 200);
        assert.deepEqual(r.data, { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [-71.081924, 42.36437] }, properties: { id: 3 } }] });
      });
    } else {
      it('geojson() without PostGIS: 406 PGRST107', async () => {
        const r = await db.from('projects').select('*').geojson();
        assert.equal(r.status, 406);
        assert.equal(r.error?.code, 'PGRST107');
      });
    }
  });
}

// RPC through postgrest-js as PostgREST v13 serves it: `get: true` calls (VOLATILE functions too,
// read-only) and `head: true` counts.
for (const kind of backendKinds()) {
  describe(`postgrest-js rpc over GET and HEAD (${kind})`, () => {
    let api: TestApi;
    let db: PostgrestClient;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['compat-rpc.sql'] });
      db = new PostgrestClient(api.url, { retry: false });
    });
    after(async () => { await api?.close(); });

    it('rpc(fn, args, { get: true }) calls any function with GET, read-only', async () => {
      const sum = await db.rpc('volatile_add', { a: 20, b: 22 }, { get: true });
      assert.equal(sum.error, null);
      assert.equal(sum.status, 200);
      assert.equal(sum.data, 42);
      const rows = await db.rpc('volatile_projects', {}, { get: true }).select('id,name').gt('id', 3).order('id');
      assert.equal(rows.status, 200);
      assert.deepEqual(rows.data, [{ id: 4, name: 'OSX' }, { id: 5, name: 'Orphan' }]);
      const shaped = await db.rpc('get_projects_below', { id: 5 }, { get: true }).select('id').gt('id', 2);
      assert.deepEqual(shaped.data, [{ id: 3 }, { id: 4 }]);
      const write = await db.rpc('volatile_write', { note: 'via get' }, { get: true });
      assert.equal(write.status, 405);
      assert.equal(write.error?.code, '25006');
      assert.deepEqual(await api.sql("SELECT count(*)::int AS n FROM api.counter_log WHERE note = 'via get'"), [{ n: 0 }]);
    });

    it('rpc(fn, args, { head: true, count }) counts without a body', async () => {
      const all = await db.rpc('volatile_projects', {}, { head: true, count: 'exact' });
      assert.equal(all.error, null);
      assert.equal(all.status, 200);
      assert.equal(all.count, 5);
      assert.equal(all.data, null);
      const some = await db.rpc('get_projects_below', { id: 4 }, { head: true, count: 'exact' });
      assert.equal(some.count, 3);
      const filtered = await db.rpc('volatile_projects', {}, { head: true, count: 'exact' }).lt('id', 3);
      assert.equal(filtered.count, 2);
    });
  });
}

// PostgREST compatibility of reading and writing through the unmodified client: bulk inserts and
// upserts with defaultToNull: false (Prefer: missing=default and ?columns=), and two embeds of one
// table (aliased, and the unaliased 42712 error), over test/fixtures/compat-rw.sql.
for (const kind of backendKinds()) {
  describe(`postgrest-js reading and writing as PostgREST (${kind})`, () => {
    let api: TestApi;
    let db: PostgrestClient;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['compat-rw.sql'] });
      db = new PostgrestClient(api.url, { retry: false });
    });
    after(async () => { await api?.close(); });

    it('bulk insert with defaultToNull: false takes each column default per row', async () => {
      const r = await db.from('cw_items').insert([{ name: 'a', qty: 1 }, { name: 'b', note: 'x' }], { defaultToNull: false })
        .select('id,name,note,qty').order('id');
      assert.equal(r.error, null);
      assert.equal(r.status, 201);
      assert.deepEqual(r.data, [{ id: 100, name: 'a', note: 'n/a', qty: 1 }, { id: 101, name: 'b', note: 'x', qty: null }]);
    });
    it('bulk upsert with defaultToNull: false writes the named columns: absent keys take their default (or NULL)', async () => {
      const r = await db.from('cw_items').upsert([{ id: 101, name: 'b2' }, { id: 700, name: 'new', qty: 3 }], { defaultToNull: false })
        .select('id,name,note,qty').order('id');
      assert.equal(r.error, null);
      assert.equal(r.status, 201);
      // columns=id,name,qty: 101 keeps its note (not named), its qty (no default) becomes NULL.
      assert.deepEqual(r.data, [{ id: 101, name: 'b2', note: 'x', qty: null }, { id: 700, name: 'new', note: 'n/a', qty: 3 }]);
    });
    it('embeds one table twice under two aliases', async () => {
      const r = await db.from('cr_projects').select('id, a:cr_clients(id), b:cr_clients(name)').eq('id', 1);
      assert.equal(r.error, null);
      assert.deepEqual(r.data, [{ id: 1, a: { id: 1 }, b: { name: 'acme' } }]);
    });
    it('answers two unaliased embeds of one table with 400 and SQLSTATE 42712', async () => {
      const r = await db.from('cr_projects').select('id, cr_clients(id), cr_clients(name)');
      assert.equal(r.status, 400);
      assert.equal(r.data, null);
      assert.equal(r.error?.code, '42712');
      assert.equal(r.error?.message, 'table name "cr_projects_cr_clients_1" specified more than once');
    });
  });
}
