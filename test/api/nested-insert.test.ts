// Nested inserts on every backend (issue 18): to-many, to-one, many-to-many, connect, depth 3,
// bulk, return=/columns=/missing=default at each level, and the unmodified postgrest-js client.
// Failures (RLS, unique violations, bad bodies) are in nested-insert-errors.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgrestClient } from '@supabase/postgrest-js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Row = Record<string, unknown>;

for (const kind of backendKinds()) {
  describe(`nested inserts (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['nested-insert.sql'] }); });
    after(async () => { await api?.close(); });

    const post = (path: string, body: unknown, prefer = 'return=representation') => api.fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: prefer },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const created = async (r: Response) => {
      const text = await r.text();
      assert.equal(r.status, 201, text);
      return JSON.parse(text) as Row[];
    };
    const rows = (text: string, values: unknown[] = []) => api.sql(text, values);

    it('to-many: the children get the new parent\'s key; the representation embeds them', async () => {
      const body = await created(await post('/orders?select=title,status,order_lines(sku,qty)', {
        title: 'Order 1', order_lines: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }],
      }));
      assert.deepEqual(body, [{ title: 'Order 1', status: 'new', order_lines: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }] }]);
      const lines = await rows(`SELECT l.sku FROM api.order_lines l JOIN api.orders o ON o.id = l.order_id WHERE o.title = 'Order 1' ORDER BY l.sku`);
      assert.deepEqual(lines.map((l) => l.sku), ['a', 'b']);
    });

    it('to-one: the referenced row is inserted first; an object with only the primary key connects', async () => {
      const [existing] = await rows(`SELECT id FROM api.authors WHERE name = 'Existing Author'`);
      const body = await created(await post('/posts?select=body,author(name)&order=id', [
        { body: 'new author', author: { name: 'Ann' } },
        { body: 'connected', author: { id: existing?.id } },
        { body: 'no author', author: null },
      ]));
      assert.deepEqual(body, [
        { body: 'new author', author: { name: 'Ann' } },
        { body: 'connected', author: { name: 'Existing Author' } },
        { body: 'no author', author: null },
      ]);
      assert.equal((await rows(`SELECT count(*)::int AS n FROM api.authors WHERE name = 'Ann'`))[0]?.n, 1);
    });

    it('!hint disambiguation as in select=: two relationships to authors', async () => {
      const r = await post('/posts', { body: 'x', authors: { name: 'Ambiguous' } });
      assert.equal(r.status, 300);
      assert.equal((await r.json() as Row).code, 'PGRST201');
      const body = await created(await post('/posts?select=body,reviewer:authors!reviewer(name)', { body: 'reviewed', 'authors!reviewer': { name: 'Rita' } }));
      assert.deepEqual(body, [{ body: 'reviewed', reviewer: { name: 'Rita' } }]);
      const [post1] = await rows(`SELECT author_id, reviewer_id FROM api.posts WHERE body = 'reviewed'`);
      assert.equal(post1?.author_id, null);
      assert.notEqual(post1?.reviewer_id, null);
    });

    it('many-to-many: target rows and junction rows; connect to an existing actor', async () => {
      const [actor] = await rows(`SELECT id FROM api.actors WHERE name = 'Existing Actor'`);
      const body = await created(await post('/films?select=title,actors(name)', { title: 'Film', actors: [{ name: 'A' }, { id: actor?.id }] }));
      assert.deepEqual(body[0]?.title, 'Film');
      assert.deepEqual((body[0]?.actors as Row[]).map((a) => a.name).sort(), ['A', 'Existing Actor']);
      const links = await rows(`SELECT a.name FROM api.film_actors fa JOIN api.films f ON f.id = fa.film_id JOIN api.actors a ON a.id = fa.actor_id WHERE f.title = 'Film' ORDER BY 1`);
      assert.deepEqual(links.map((l) => l.name), ['A', 'Existing Actor']);
      assert.equal((await rows(`SELECT count(*)::int AS n FROM api.actors WHERE name = 'Existing Actor'`))[0]?.n, 1);
    });

    it('depth 3, mixed with to-one, and the graph returned', async () => {
      const body = await created(await post('/orders?select=title,customer:customers(name),order_lines(sku,line_notes(note))', {
        title: 'Deep', customers: { name: 'Cust' },
        order_lines: [{ sku: 'x', qty: 1, line_notes: [{ note: 'n1' }, { note: 'n2' }] }, { sku: 'y', qty: 3, line_notes: [] }],
      }));
      assert.deepEqual(body, [{
        title: 'Deep', customer: { name: 'Cust' },
        order_lines: [{ sku: 'x', line_notes: [{ note: 'n1' }, { note: 'n2' }] }, { sku: 'y', line_notes: [] }],
      }]);
      const notes = await rows(`SELECT n.note FROM api.line_notes n JOIN api.order_lines l ON l.id = n.line_id JOIN api.orders o ON o.id = l.order_id WHERE o.title = 'Deep' AND l.sku = 'x' ORDER BY 1`);
      assert.deepEqual(notes.map((n) => n.note), ['n1', 'n2']);
    });

    it('bulk: 100 parents × 10 children, each child under its own parent', async () => {
      const orders = Array.from({ length: 100 }, (_, i) => ({
        title: `bulk-${i}`,
        order_lines: Array.from({ length: 10 }, (_, j) => ({ sku: `s${j}`, qty: i * 10 + j + 1 })),
      }));
      const r = await post('/orders', orders, 'return=minimal, count=exact');
      assert.equal(r.status, 201, await r.text());
      assert.equal(r.headers.get('content-range'), '*/100');
      const check = await rows(`SELECT count(*)::int AS n, count(*) FILTER (WHERE l.qty = substr(o.title, 6)::int * 10 + substr(l.sku, 2)::int + 1)::int AS ok
        FROM api.order_lines l JOIN api.orders o ON o.id = l.order_id WHERE o.title LIKE 'bulk-%'`);
      assert.deepEqual(check[0], { n: 1000, ok: 1000 });
    });

    it('a column named like a relationship keeps its meaning (a jsonb value)', async () => {
      const body = await created(await post('/shipments?select=label,packages', { label: 'S1', packages: [{ weight: 3 }] }));
      assert.deepEqual(body, [{ label: 'S1', packages: [{ weight: 3 }] }]);
      assert.equal((await rows(`SELECT count(*)::int AS n FROM api.packages`))[0]?.n, 0);
      // The table is still reachable under its hint.
      const nested = await created(await post('/shipments?select=label,pkgs:packages!shipment_id(weight)', { label: 'S2', 'packages!shipment_id': [{ weight: 5 }] }));
      assert.deepEqual(nested, [{ label: 'S2', pkgs: [{ weight: 5 }] }]);
    });

    it('return=minimal and headers-only (Location of the parent)', async () => {
      const minimal = await post('/orders', { title: 'Minimal', order_lines: [{ sku: 'm', qty: 1 }] }, 'return=minimal');
      assert.equal(minimal.status, 201);
      assert.equal(await minimal.text(), '');
      const headers = await post('/orders', { title: 'Located', order_lines: [{ sku: 'h', qty: 1 }] }, 'return=headers-only');
      assert.equal(headers.status, 201);
      const [order] = await rows(`SELECT id FROM api.orders WHERE title = 'Located'`);
      assert.equal(headers.headers.get('location'), `/orders?id=eq.${String(order?.id)}`);
    });

    it('missing=default and columns= apply at each level', async () => {
      // Objects of one level with different keys: absent ones take the column default.
      const body = await created(await post('/orders?select=title,customer:customers(name,tier)&order=id', [
        { title: 'D1', customers: { name: 'C1' } },
        { title: 'D2', customers: { name: 'C2', tier: 'gold' } },
      ], 'return=representation, missing=default'));
      assert.deepEqual(body, [
        { title: 'D1', customer: { name: 'C1', tier: 'basic' } },
        { title: 'D2', customer: { name: 'C2', tier: 'gold' } },
      ]);
      // Without missing=default the objects of a level must share their keys, as at the top.
      const strict = await post('/orders', [{ title: 'D3', customers: { name: 'C3' } }, { title: 'D4', customers: { name: 'C4', tier: 'gold' } }]);
      assert.equal(strict.status, 400);
      assert.deepEqual(await strict.json(), { code: 'PGRST193', details: '[1].customers', hint: null, message: 'All object keys must match' });
      // columns= takes only the keys it names: here the relationship too, and not `status`.
      const cols = await created(await post('/orders?columns=title,order_lines&select=title,status,order_lines(sku)', [
        { title: 'C1', status: 'ignored', order_lines: [{ sku: 'c', qty: 1 }] },
      ]));
      assert.deepEqual(cols, [{ title: 'C1', status: 'new', order_lines: [{ sku: 'c' }] }]);
      const flat = await created(await post('/orders?columns=title&select=title,order_lines(sku)', [{ title: 'C2', order_lines: [{ sku: 'n', qty: 1 }] }]));
      assert.deepEqual(flat, [{ title: 'C2', order_lines: [] }]);
    });

    it('postgrest-js (unmodified) sends a nested insert().select()', async () => {
      const db = new PostgrestClient(api.url, { retry: false } as never);
      const one = await db.from('orders').insert({ title: 'js-1', order_lines: [{ sku: 'j', qty: 4 }] }).select('title,order_lines(sku,qty)').single();
      assert.equal(one.error, null, JSON.stringify(one.error));
      assert.deepEqual(one.data, { title: 'js-1', order_lines: [{ sku: 'j', qty: 4 }] });
      // An array: postgrest-js adds ?columns= with every key, the relationship included.
      const many = await db.from('films').insert([{ title: 'js-film', actors: [{ name: 'js-actor' }] }]).select('title,actors(name)');
      assert.equal(many.error, null, JSON.stringify(many.error));
      assert.deepEqual(many.data, [{ title: 'js-film', actors: [{ name: 'js-actor' }] }]);
    });

    it('column privileges: the representation reads only the columns it selects', async () => {
      const body = await created(await post('/memos?select=title,memo_tags(tag)', { title: 'm', secret: 's', memo_tags: [{ tag: 't' }] }));
      assert.deepEqual(body, [{ title: 'm', memo_tags: [{ tag: 't' }] }]);
      assert.deepEqual(await rows(`SELECT secret FROM api.memos`), [{ secret: 's' }]);
    });

    it('requests without nested keys are unchanged', async () => {
      const r = await created(await post('/orders?select=title', { title: 'flat' }));
      assert.deepEqual(r, [{ title: 'flat' }]);
      const unknown = await post('/orders', { title: 'x', nothing: 1 });
      assert.equal(unknown.status, 400);
      assert.equal((await unknown.json() as Row).code, 'PGRST204');
    });
  });
}
