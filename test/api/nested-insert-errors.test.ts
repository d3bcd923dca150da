// Nested inserts that fail, on every backend: whatever fails (RLS on one child, a unique or foreign
// key violation deep in the graph, a bad value, a body the planner refuses, PATCH/PUT/upserts with
// nested keys) nothing is written, and the error has PostgREST's shape with the failing path.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Row = Record<string, unknown>;
const tables = ['customers', 'orders', 'order_lines', 'line_notes', 'authors', 'posts', 'films', 'actors', 'film_actors'];

for (const kind of backendKinds()) {
  describe(`nested insert failures (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['nested-insert.sql'] });
      await api.sql(`INSERT INTO api.customers (name, email) VALUES ('Taken', 'taken@example.com')`);
    });
    after(async () => { await api?.close(); });

    const send = (method: string, path: string, body: unknown, prefer = 'return=representation') => api.fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', Prefer: prefer },
      body: JSON.stringify(body),
    });
    const counts = async () => JSON.stringify(await api.sql(tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM api.${t}`).join(' UNION ALL ')));
    /** The request fails with this status and error, and no table changes. */
    const fails = async (r: () => Promise<Response>, status: number, expected: Partial<Row>) => {
      const before = await counts();
      const res = await r();
      const body = await res.json() as Row;
      assert.equal(res.status, status, JSON.stringify(body));
      assert.deepEqual(Object.keys(body), ['code', 'details', 'hint', 'message']);
      for (const [k, v] of Object.entries(expected)) {
        if (v instanceof RegExp) assert.match(String(body[k]), v, JSON.stringify(body));
        else assert.equal(body[k], v, JSON.stringify(body));
      }
      assert.equal(await counts(), before, 'a table changed');
    };
    const post = (path: string, body: unknown, prefer?: string) => () => send('POST', path, body, prefer);

    it('RLS refusing one child at depth 3: 401 42501, nothing written', async () => {
      await fails(post('/orders', { title: 'rls', order_lines: [{ sku: 'a', qty: 1, line_notes: [{ note: 'fine' }, { note: 'secret plan' }] }] }), 401,
        { code: '42501', details: 'order_lines[0].line_notes', message: /row-level security policy for table "line_notes"/ });
    });

    it('a unique violation deep in the graph: 409 with the path, nothing written', async () => {
      await fails(post('/orders', { title: 'dup', order_lines: [{ sku: 'a', qty: 1 }, { sku: 'a', qty: 2 }] }), 409,
        { code: '23505', details: /^order_lines\[1\]\.sku: Key \(order_id, sku\)=\(\d+, a\) already exists\.$/ });
      await fails(post('/orders', [{ title: 'ok', customers: { name: 'n', email: 'new@example.com' } }, { title: 'dup', customers: { name: 'n', email: 'taken@example.com' } }], 'return=minimal'), 409,
        { code: '23505', details: '[1].customers.email: Key (email)=(taken@example.com) already exists.' });
    });

    it('a NOT NULL, check or type error names the object and column', async () => {
      await fails(post('/orders', { title: 'nn', order_lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: null }] }), 400,
        { code: '23502', details: /^order_lines\[1\]\.qty: / });
      await fails(post('/orders', { title: 'ck', order_lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 0 }] }), 400,
        { code: '23514', details: /^order_lines\[1\]: Failing row contains/ });
      await fails(post('/orders', { title: 'ty', order_lines: [{ sku: 'a', qty: 'many' }] }), 400,
        { code: '22P02', details: 'order_lines[0].qty' });
    });

    it('connecting to a row that does not exist: 409 23503 with the path', async () => {
      await fails(post('/posts', { body: 'p', author: { id: 999999 } }), 409,
        { code: '23503', details: /^author\.id: Key \(author_id\)=\(999999\) is not present/ });
      await fails(post('/films', { title: 'f', actors: [{ name: 'new' }, { id: 999999 }] }), 409,
        { code: '23503', details: /^actors\[1\]\.id: Key \(actor_id\)=\(999999\) is not present/ });
    });

    it('bodies the planner refuses: 400 with the path', async () => {
      await fails(post('/posts', { body: 'p', author: [{ name: 'x' }] }), 400, { code: 'PGRST193', details: 'author', message: "'author' must be an object or null" });
      await fails(post('/orders', { title: 'o', order_lines: 5 }), 400, { code: 'PGRST193', details: 'order_lines' });
      await fails(post('/orders', { title: 'o', order_lines: [{ sku: 'a', qty: 1, skuu: 1 }] }), 400,
        { code: 'PGRST204', details: 'order_lines[0].skuu', message: "Could not find the 'skuu' column of 'order_lines' in the schema cache" });
      await fails(post('/orders', { title: 'o', order_lines: [{ id: 1 }] }), 400, { code: 'PGRST193', details: 'order_lines[0]' });
      await fails(post('/orders', { title: 'o', order_lines: [{ sku: 'a', qty: 1, order_id: 1 }] }), 400, { code: 'PGRST193', details: 'order_lines[0].order_id' });
      await fails(post('/posts', { body: 'p', author_id: null, author: { name: 'x' } }), 400, { code: 'PGRST193', details: 'author_id' });
    });

    it('names and values that attack the SQL are columns that do not exist, or values stored as sent', async () => {
      const evil = `x"); DROP TABLE api.orders; --`;
      await fails(post('/orders', { title: 'o', order_lines: [{ sku: 'a', qty: 1, [evil]: 1 }] }), 400, { code: 'PGRST204', details: `order_lines[0].${evil}` });
      await fails(post('/orders', { title: 'o', [`order_lines!${evil}`]: [{ sku: 'a', qty: 1 }] }), 400, { code: 'PGRST204' });
      const sku = `it's \\ "quoted" $1 ?& --`;
      const r = await send('POST', '/orders?select=order_lines(sku)', { title: 'evil values', order_lines: [{ sku, qty: 1 }] });
      assert.equal(r.status, 201);
      assert.deepEqual(await r.json(), [{ order_lines: [{ sku }] }]);
    });

    it('PATCH, PUT and upserts with nested keys: 400 PGRST192 naming the key', async () => {
      const [order] = await api.sql(`INSERT INTO api.orders (title) VALUES ('existing') RETURNING id`);
      const id = String(order?.id);
      await fails(() => send('PATCH', `/orders?id=eq.${id}`, { title: 'x', order_lines: [{ sku: 'a', qty: 1 }] }), 400,
        { code: 'PGRST192', message: "PATCH cannot write related rows: 'order_lines' is a relationship of 'orders'" });
      await fails(() => send('PUT', `/orders?id=eq.${id}`, { id: Number(id), title: 'x', order_lines: [] }), 400, { code: 'PGRST192', message: /^PUT .*'order_lines'/ });
      await fails(post('/orders', { title: 'x', order_lines: [] }, 'resolution=merge-duplicates'), 400, { code: 'PGRST192', message: /^An upsert \(resolution=merge-duplicates\).*'order_lines'/ });
    });
  });
}
