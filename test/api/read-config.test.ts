// Read-side settings: db-max-rows, anonymous access disabled, app.settings.*, restricted CORS origins,
// openapi-mode=disabled, and the *.localhost host name.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

for (const kind of backendKinds()) {
  describe(`read settings (${kind})`, () => {
    let api: TestApi;
    let closed: TestApi;
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: ['read.sql'],
        options: { 'db-max-rows': '2', 'server-cors-allowed-origins': 'http://good.example', 'openapi-mode': 'disabled', 'server-trace-header': 'X-Request-Id' },
      });
      // The config goes through PESQUEL_APP_SETTINGS_* in real deployments; here as a flag-free env.
      closed = await startTestApi(kind, { options: { 'db-anon-role': '' } });
    });
    after(async () => {
      await api?.close();
      await closed?.close();
    });

    it('db-max-rows caps the page and keeps the count honest', async () => {
      const r = await api.fetch('/items?select=id&order=id', { headers: { Prefer: 'count=exact' } });
      assert.equal(r.status, 206);
      assert.deepEqual(await r.json(), [{ id: 1 }, { id: 2 }]);
      assert.equal(r.headers.get('content-range'), '0-1/5');
      const small = await api.fetch('/items?select=id&order=id&limit=1');
      assert.deepEqual(await small.json(), [{ id: 1 }]);
    });
    it('estimated count is exact below db-max-rows… and planned above it', async () => {
      const r = await api.fetch('/items?id=lte.2', { headers: { Prefer: 'count=estimated' } });
      assert.equal(r.headers.get('content-range'), '0-1/2');
    });
    it('only the configured CORS origins are allowed', async () => {
      const good = await api.fetch('/items?limit=1', { headers: { Origin: 'http://good.example' } });
      assert.equal(good.headers.get('access-control-allow-origin'), 'http://good.example');
      const bad = await api.fetch('/items?limit=1', { headers: { Origin: 'http://evil.example' } });
      assert.equal(bad.headers.get('access-control-allow-origin'), null);
    });
    it('server-trace-header echoes the request id, on errors too', async () => {
      const ok = await api.fetch('/items?limit=1', { headers: { 'X-Request-Id': 'req-42' } });
      assert.equal(ok.headers.get('x-request-id'), 'req-42');
      const bad = await api.fetch('/nope', { headers: { 'X-Request-Id': 'req-43' } });
      assert.equal(bad.status, 404);
      assert.equal(bad.headers.get('x-request-id'), 'req-43');
    });
    it('openapi-mode=disabled gives 404 PGRST126 at /', async () => {
      const r = await api.fetch('/');
      assert.equal(r.status, 404);
      assert.equal(((await r.json()) as { code: string }).code, 'PGRST126');
    });
    it('answers on api.pesquel.localhost', async () => {
      const { request } = await import('node:http');
      const url = new URL(api.url);
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: url.port, path: '/items?limit=1', headers: { Host: `api.pesquel.localhost:${url.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject).end();
      });
      assert.equal(status, 200);
    });
    it('anonymous access disabled: 401 PGRST302 with WWW-Authenticate', async () => {
      const r = await closed.fetch('/todos');
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
      assert.deepEqual(await r.json(), { code: 'PGRST302', details: null, hint: null, message: 'Anonymous access is disabled' });
    });
  });
}
