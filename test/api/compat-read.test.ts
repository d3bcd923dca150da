// PostgREST compatibility of reads, on every backend: JSON paths, parsing leniency, full-text search
// through computed fields and domains, counts, ranges, aggregates and embedding (test/fixtures/compat-rw.sql).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Reply = { status: number; headers: Headers; body: unknown; text: string };

/** Groups come back in no particular order: sort them by a key. */
const sorted = (rows: unknown, key: string) =>
  [...(rows as Array<Record<string, string>>)].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

function client(api: () => TestApi) {
  return async (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> => {
    const r = await api().fetch(path, { method, headers });
    const text = await r.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, body, text };
  };
}

for (const kind of backendKinds()) {
  describe(`PostgREST compatibility: reading (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: ['compat-rw.sql'],
        options: { 'db-aggregates-enabled': 'true', 'db-tx-end': 'commit-allow-override' },
      });
    });
    after(async () => { await api?.close(); });
    const get = client(() => api);
    const ok = async (path: string, headers: Record<string, string> = {}) => {
      const r = await get(path, headers);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      return r.body;
    };

    describe('JSON paths', () => {
      it('names a path ending in an array index after its last key', async () => {
        assert.deepEqual(await ok('/cr_docs?select=id,arr->>0,data->a->0&id=eq.1'), [{ id: 1, arr: '1', a: 10 }]);
        assert.deepEqual(await ok('/cr_docs?select=data->b->>c,data->a->>-1&id=eq.1'), [{ c: '1', a: '20' }]);
        assert.deepEqual(await ok('/cr_docs?select=first:data->a->0,last:data->a->>-1&id=eq.1'), [{ first: 10, last: '20' }]);
      });
      it('reads keys with non-reserved special characters, in select, filters and order', async () => {
        const key = encodeURIComponent('!@#$%^&*_a');
        assert.deepEqual(await ok(`/cr_docs?select=id,data->>${key}&data->>${key}=eq.special`), [{ id: 1, '!@#$%^&*_a': 'special' }]);
        assert.deepEqual(await ok(`/cr_docs?select=id&data->>${key}=not.is.null&order=data->>${key}.desc`), [{ id: 1 }, { id: 2 }]);
      });
      for (const select of ['data->>--34', 'data->a.b', 'data->(a)', 'data->a:b']) {
        it(`answers 400 PGRST100 for ${select}`, async () => {
          const r = await get(`/cr_docs?select=${encodeURIComponent(select)}`);
          assert.equal(r.status, 400);
          assert.equal((r.body as { code: string }).code, 'PGRST100');
        });
      }
    });

    describe('parsing leniency', () => {
      it('allows whitespace inside and=/or= and in.() lists', async () => {
        assert.deepEqual(await ok('/cr_docs?select=id&or=(id.eq.1,%20id.eq.3%20)&order=id'), [{ id: 1 }, { id: 3 }]);
        assert.deepEqual(await ok('/cr_docs?select=id&and=(%20id.gt.1%20,%20or(id.eq.2,id.eq.3))&order=id'), [{ id: 2 }, { id: 3 }]);
        assert.deepEqual(await ok('/cr_docs?select=id&id=in.(%201,%203%20)&order=id'), [{ id: 1 }, { id: 3 }]);
      });
      it('reads quoted in.() values with backslash escapes', async () => {
        const list = encodeURIComponent('("a,b","x\\"y","back\\\\slash")');
        assert.deepEqual(await ok(`/cr_docs?select=id&label=in.${list}&order=id`), [{ id: 1 }, { id: 2 }, { id: 3 }]);
        assert.deepEqual(await ok(`/cr_docs?select=id&label=in.${encodeURIComponent('(a\\,b)')}`), []);
      });
      it('filters a column named like an aliased embed, and tests the embed by its alias', async () => {
        assert.deepEqual(await ok('/cr_projects?select=id,cr_clients,c:cr_clients(name)&cr_clients=eq.note-a'), [{ id: 1, cr_clients: 'note-a', c: { name: 'acme' } }]);
        assert.deepEqual(await ok('/cr_projects?select=id,c:cr_clients(name)&c.name=eq.globex&c=not.is.null'), [{ id: 3, c: { name: 'globex' } }]);
        // Unaliased too: only is.null tests the embed; other operators filter the column.
        assert.deepEqual(await ok('/cr_projects?select=id,cr_clients(name)&cr_clients=eq.note-b'), [{ id: 2, cr_clients: { name: 'acme' } }]);
      });
      it('allows nested empty embeds', async () => {
        assert.deepEqual(await ok('/cr_countries?select=id,cr_customers!inner(cr_orders!inner())&order=id'), [{ id: 1, cr_customers: [{}, {}] }, { id: 2, cr_customers: [{}] }]);
        assert.deepEqual(await ok('/cr_countries?select=id,cr_customers(id,cr_orders())&id=eq.2'), [{ id: 2, cr_customers: [{ id: 3 }] }]);
      });
    });

    describe('full-text search', () => {
      it('searches a computed tsvector field', async () => {
        assert.deepEqual(await ok('/cr_articles?select=id&search_vec=fts(english).fox'), [{ id: 1 }]);
        assert.deepEqual(await ok('/cr_articles?select=id&search_vec=plfts.lazy%20dogs'), [{ id: 2 }]);
      });
      it('searches a domain over a domain over tsvector', async () => {
        assert.deepEqual(await ok('/cr_articles?select=id&tsv=fts.fox'), [{ id: 1 }]);
        assert.deepEqual(await ok('/cr_articles?select=id&tsv=wfts(english).sleeping%20dog'), [{ id: 2 }]);
      });
    });

    describe('counts and ranges', () => {
      it('count=planned reports the planner estimate', async () => {
        const r = await get('/cr_est', { Prefer: 'count=planned' });
        assert.equal(r.status, 206);
        assert.equal(r.headers.get('content-range'), '0-4/1000');
        assert.equal((r.body as unknown[]).length, 5);
      });
      it('count=estimated without db-max-rows reports the larger of exact and planned', async () => {
        const r = await get('/cr_est', { Prefer: 'count=estimated' });
        assert.equal(r.status, 206);
        assert.equal(r.headers.get('content-range'), '0-4/1000');
      });
      it('416 carries Content-Range */total', async () => {
        const r = await get('/cr_docs?offset=10', { Prefer: 'count=exact' });
        assert.equal(r.status, 416);
        assert.equal(r.headers.get('content-range'), '*/3');
        assert.equal((r.body as { code: string }).code, 'PGRST103');
      });
      it('ignores a negative offset', async () => {
        const r = await get('/cr_docs?select=id&offset=-1&order=id', { Prefer: 'count=exact' });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, [{ id: 1 }, { id: 2 }, { id: 3 }]);
        assert.equal(r.headers.get('content-range'), '0-2/3');
      });
    });

    describe('aggregates', () => {
      it('groups by columns of nested to-one spreads', async () => {
        assert.deepEqual(sorted(await ok('/cr_orders?select=amount.sum(),...cr_customers(...cr_countries(country:name))'), 'country'),
          [{ sum: 30.75, country: 'France' }, { sum: 12, country: 'Peru' }]);
      });
      it('hoists aggregates of nested to-one spreads to the top', async () => {
        assert.deepEqual(sorted(await ok('/cr_orders?select=...cr_customers(...cr_countries(name,cnt:id.count(),total:id.sum()))'), 'name'),
          [{ name: 'France', cnt: 2, total: 2 }, { name: 'Peru', cnt: 2, total: 4 }]);
      });
      it('keeps the aggregate name when its input is cast', async () => {
        assert.deepEqual(await ok('/cr_orders?select=amount::int.sum()'), [{ sum: 43 }]);
        assert.deepEqual(await ok('/cr_orders?select=amount::int.max()::text'), [{ max: '20' }]);
      });
      it('refuses aggregates inside a to-many spread', async () => {
        const r = await get('/cr_customers?select=name,...cr_orders(amount.sum())');
        assert.equal(r.status, 400);
        assert.equal((r.body as { code: string }).code, 'PGRST127');
      });
    });

    describe('embedding', () => {
      it('embeds many-to-many through views of a junction in a private schema', async () => {
        assert.deepEqual(await ok('/cr_students?select=name,cr_courses(title)&order=id&cr_courses.order=id'), [
          { name: 'ann', cr_courses: [{ title: 'math' }, { title: 'art' }] },
          { name: 'bob', cr_courses: [{ title: 'art' }] },
        ]);
      });
      it('embeds through views with several columns referencing the same base column', async () => {
        assert.deepEqual(await ok('/cr_projects_v?select=id,cr_clients(name)&id=eq.3'), [{ id: 3, cr_clients: { name: 'globex' } }]);
        assert.deepEqual(await ok('/cr_projects_v?select=id,cr_clients_v(client_no,name)&id=eq.1'), [{ id: 1, cr_clients_v: { client_no: 1, name: 'acme' } }]);
        assert.deepEqual(await ok('/cr_clients_v?select=name,cr_projects_v(id)&client_no=eq.2'), [{ name: 'globex', cr_projects_v: [{ id: 3 }] }]);
      });
      it('takes the junction name as a hint', async () => {
        assert.deepEqual(await ok('/cr_students?select=name,cr_courses!cr_enrollments(title)&id=eq.2'), [{ name: 'bob', cr_courses: [{ title: 'art' }] }]);
      });
      it('detects one-to-one relationships through unique FK columns', async () => {
        assert.deepEqual(await ok('/cr_people?select=name,cr_passports(code)&order=id'), [
          { name: 'ann', cr_passports: { code: 'P-1' } },
          { name: 'bob', cr_passports: null },
        ]);
      });
      it('embeds partitioned tables, not their partitions', async () => {
        assert.deepEqual(await ok('/cr_clients?select=id,cr_measurements(reading)&id=eq.1&cr_measurements.order=reading'), [{ id: 1, cr_measurements: [{ reading: 5 }, { reading: 7 }] }]);
        const r = await get('/cr_clients?select=id,cr_measurements_low(reading)');
        assert.equal(r.status, 400);
        assert.equal((r.body as { code: string }).code, 'PGRST200');
      });
      it('embeds through a function returning a domain over a table type', async () => {
        assert.deepEqual(await ok('/cr_projects?select=id,cr_first_client(name)&id=eq.3'), [{ id: 3, cr_first_client: { name: 'globex' } }]);
        assert.deepEqual(await ok('/rpc/cr_client_rows?select=name,cr_projects(id)&id=eq.2'), [{ name: 'globex', cr_projects: [{ id: 3 }] }]);
      });
      it('answers two unaliased embeds of the same table with 42712, aliased ones with both', async () => {
        const r = await get('/cr_projects?select=id,cr_clients(id),cr_clients(name)');
        assert.equal(r.status, 400);
        assert.equal((r.body as { code: string }).code, '42712');
        assert.equal((r.body as { message: string }).message, 'table name "cr_projects_cr_clients_1" specified more than once');
        assert.deepEqual(await ok('/cr_projects?select=id,a:cr_clients(id),b:cr_clients(name)&id=eq.1'), [{ id: 1, a: { id: 1 }, b: { name: 'acme' } }]);
      });
    });

    describe('transactions', () => {
      it('sends Preference-Applied: tx on GET and HEAD', async () => {
        const g = await get('/cr_docs?select=id&id=eq.1', { Prefer: 'tx=rollback' });
        assert.equal(g.status, 200);
        assert.equal(g.headers.get('preference-applied'), 'tx=rollback');
        const h = await get('/cr_docs?id=eq.1', { Prefer: 'tx=commit' }, 'HEAD');
        assert.equal(h.status, 200);
        assert.equal(h.headers.get('preference-applied'), 'tx=commit');
      });
    });
  });

  describe(`PostgREST compatibility: reading with db-max-rows (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['compat-rw.sql'], options: { 'db-max-rows': '2' } });
    });
    after(async () => { await api?.close(); });
    const get = client(() => api);

    it('count=estimated takes the planner estimate when the exact count exceeds db-max-rows', async () => {
      const r = await get('/cr_est', { Prefer: 'count=estimated' });
      assert.equal(r.status, 206);
      assert.equal(r.headers.get('content-range'), '0-1/1000');
    });
    it('count=estimated keeps the exact count within db-max-rows', async () => {
      const r = await get('/cr_clients?select=id', { Prefer: 'count=estimated' });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-range'), '0-1/2');
    });
    it('caps embedded to-many arrays at db-max-rows', async () => {
      const r = await get('/cr_customers?select=id,cr_orders(id)&id=eq.3');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, [{ id: 3, cr_orders: [{ id: 3 }, { id: 4 }] }]);
      const c = await get('/cr_countries?select=id,cr_customers(id)&id=eq.1&cr_customers.order=id');
      assert.deepEqual(c.body, [{ id: 1, cr_customers: [{ id: 1 }, { id: 2 }] }]);
      const s = await get('/cr_clients?select=id,cr_projects(id)&cr_projects.order=id&id=eq.1');
      assert.deepEqual(s.body, [{ id: 1, cr_projects: [{ id: 1 }, { id: 2 }] }]);
    });
  });
}
