// GET / over HTTP on every backend: the OpenAPI 3 document as the anonymous role sees it, its
// row-filter parameters used for real, the docs page for browsers, and content negotiation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const openapi = { Accept: 'application/openapi+json' };

for (const kind of backendKinds()) {
  describe(`OpenAPI at / (${kind})`, () => {
    let api: TestApi;
    let doc: Doc;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['read.sql', 'openapi.sql'], options: { 'db-schemas': 'api,v2' } });
      doc = await (await api.fetch('/', { headers: openapi })).json() as Doc;
    });
    after(async () => { await api?.close(); });

    it('serves OpenAPI 3.0 with the request origin as server', async () => {
      const r = await api.fetch('/', { headers: openapi });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/openapi+json; charset=utf-8');
      assert.equal(doc.openapi, '3.0.3');
      assert.equal(doc.servers[0].url, api.url);
    });

    it('answers */* with the document too, as PostgREST does', async () => {
      const r = await api.fetch('/', { headers: { Accept: '*/*' } });
      assert.equal(r.status, 200);
      assert.equal((await r.json() as Doc).openapi, '3.0.3');
    });

    it('lists what the anonymous role may use, with the verbs it may use', () => {
      assert.deepEqual(Object.keys(doc.paths['/books']), ['get', 'post', 'patch', 'delete']);
      assert.deepEqual(Object.keys(doc.paths['/readonly_things']), ['get']);
      assert.deepEqual(Object.keys(doc.paths['/items']), ['get']);
      assert.equal(doc.paths['/hidden'], undefined);
      assert.equal(doc.paths['/rpc/admin_only'], undefined);
      assert.equal(doc.paths['/rpc/touch'], undefined);
      assert.deepEqual(Object.keys(doc.paths['/rpc/add_numbers']), ['post', 'get']);
      assert.deepEqual(Object.keys(doc.paths['/rpc/new_book']), ['post']);
    });

    it('describes rows from the catalog: comments, lengths, defaults, required, enums', () => {
      const books = doc.components.schemas.books;
      assert.deepEqual(books.required, ['title']);
      assert.equal(books.properties.title.maxLength, 120);
      assert.equal(books.properties.title.description, 'Title as printed on the cover');
      assert.equal(books.properties.status.default, 'draft');
      assert.equal(books.properties.pages.default, 100);
      assert.equal(books.properties.id.readOnly, true);
      assert.deepEqual(books.properties.mood.enum, ['sad', 'ok', 'happy']);
      assert.equal(doc.paths['/books'].get.summary, 'Read rows: Books in the catalogue');
      const items = doc.components.schemas.items;
      assert.equal(items.description, 'Things for sale');
      assert.match(items.properties.id.description, /Primary Key/);
      assert.equal(items.properties.price.type, 'number');
      assert.equal(items.properties.tags.type, 'array');
      assert.equal(items.properties.created_at.format, 'date-time');
      assert.equal(doc.paths['/rpc/new_book'].post.responses['200'].content['application/json'].schema.items.$ref, '#/components/schemas/books');
    });

    it('every documented row filter works as a query key', async () => {
      for (const p of doc.paths['/items'].get.parameters as Doc[]) {
        const param = p.$ref.replace('#/components/parameters/', '');
        if (!param.startsWith('rowFilter.')) continue;
        const name = doc.components.parameters[param].name as string;
        const r = await api.fetch(`/items?select=id&${encodeURIComponent(name)}=not.is.null`);
        assert.equal(r.status, 200, `${name}: ${await r.text()}`);
      }
      const cpe = await api.fetch(`/items?select=id&${encodeURIComponent('"information.cpe"')}=like.*MS*&order=id`);
      assert.deepEqual(await cpe.json(), [{ id: 1 }, { id: 4 }]);
    });

    it('Accept-Profile documents another exposed schema, with the profile header required', async () => {
      const v2 = await (await api.fetch('/', { headers: { ...openapi, 'Accept-Profile': 'v2' } })).json() as Doc;
      assert.deepEqual(Object.keys(v2.paths), ['/', '/items']);
      assert.deepEqual(Object.keys(v2.components.schemas.items.properties), ['id', 'label']);
      assert.equal(v2.components.parameters.acceptProfile.required, true);
      const bad = await api.fetch('/', { headers: { ...openapi, 'Accept-Profile': 'private' } });
      assert.equal(bad.status, 406);
      assert.equal((await bad.json() as Doc).code, 'PGRST106');
    });

    it('serves the interactive docs to browsers, offline-capable', async () => {
      const r = await api.fetch('/', { headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      const html = await r.text();
      assert.match(html, /<title>PeSquel API<\/title>/);
      assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//);
    });

    it('serves Swagger 2.0 when asked for with a version parameter', async () => {
      const r = await api.fetch('/', { headers: { Accept: 'application/openapi+json;version=2.0' } });
      assert.equal(r.status, 200);
      const swagger = await r.json() as Doc;
      assert.equal(swagger.swagger, '2.0');
      assert.equal(swagger.host, new URL(api.url).host);
      assert.deepEqual(swagger.definitions.books.required, ['title']);
      assert.ok(swagger.paths['/books'].post.parameters.some((p: Doc) => p.in === 'body'));
    });

    it('describes the auth service (/auth/*, JWKS), and answers as it describes', async () => {
      const auth = Object.keys(doc.paths).filter((p) => p.startsWith('/auth/') || p.startsWith('/.well-known/'));
      assert.deepEqual(auth, ['/.well-known/jwks.json', '/auth/login', '/auth/logout', '/auth/me', '/auth/refresh', '/auth/signup']);
      assert.ok(doc.tags.some((t: Doc) => t.name === 'Auth'));
      const signup = doc.paths['/auth/signup'].post;
      assert.deepEqual(signup.requestBody.content['application/json'].schema.required, ['email', 'password']);
      const described = Object.keys(signup.responses[201].content['application/json'].schema.properties).sort();
      const refOf = (r: Doc) => r.content['application/json'].schema.$ref.split('/').pop();
      assert.ok(doc.components.schemas[refOf(signup.responses[409])], 'error responses point at the error schema');
      const r = await api.fetch('/auth/signup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: `doc-${kind}@example.com`, password: 'correct horse battery' }) });
      assert.equal(r.status, 201);
      assert.deepEqual(Object.keys(await r.json() as Doc).sort(), described);
    });

    it('HEAD has no body; an unknown Accept is 406 PGRST107', async () => {
      const head = await api.fetch('/', { method: 'HEAD', headers: openapi });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
      const csv = await api.fetch('/', { headers: { Accept: 'text/csv' } });
      assert.equal(csv.status, 406);
      assert.equal((await csv.json() as Doc).code, 'PGRST107');
    });
  });
}
