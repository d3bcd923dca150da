// The OpenAPI document describes nested insert bodies (issue 18): relations with writable
// relationships get a `<name>.nested` body schema and an example the interactive docs start from.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const kind of backendKinds().slice(0, 2)) {
  describe(`nested insert bodies in OpenAPI (${kind})`, () => {
    let api: TestApi;
    let doc: Doc;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['nested-insert.sql'] });
      doc = await (await api.fetch('/', { headers: { Accept: 'application/openapi+json' } })).json() as Doc;
    });
    after(async () => { await api?.close(); });

    it('POST /orders takes an order with its lines, and the example is a nested insert that works', async () => {
      const json = doc.paths['/orders'].post.requestBody.content['application/json'];
      assert.deepEqual(json.schema.oneOf[0], { $ref: '#/components/schemas/orders.nested' });
      const nested = doc.components.schemas['orders.nested'];
      assert.deepEqual(nested.properties.order_lines.items, { $ref: '#/components/schemas/order_lines.nested' });
      assert.match(nested.properties.order_lines.description, /^To-many/);
      assert.deepEqual(nested.properties.customers.oneOf, [{ $ref: '#/components/schemas/customers.nested' }]);
      assert.match(nested.properties.customers.description, /^To-one/);
      assert.deepEqual(json.example, { title: 'text', order_lines: [{ sku: 'text', qty: 1, line_notes: [{ note: 'text' }] }] });
      const r = await api.fetch('/orders', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(json.example) });
      assert.equal(r.status, 201, await r.text());
    });

    it('many-to-many and hinted keys; a column named like a relationship stays a column', () => {
      assert.match(doc.components.schemas['films.nested'].properties.actors.description, /^Many-to-many through `film_actors`/);
      const posts = doc.components.schemas['posts.nested'].properties;
      assert.ok(posts['authors!author'] && posts['authors!reviewer']);
      assert.match(posts['authors!author'].description, /author_id set to its key/);
      // shipments.packages is a jsonb column: the body keeps the row schema, where it is a value.
      assert.deepEqual(doc.paths['/shipments'].post.requestBody.content['application/json'].schema.oneOf[0], { $ref: '#/components/schemas/shipments' });
      assert.equal(doc.components.schemas.shipments.properties.packages['x-pg-type'], 'jsonb');
    });
  });
}
