// Smoke test of the harness: the API answers on every backend.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

for (const kind of backendKinds()) {
  describe(`smoke (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['read.sql'] }); });
    after(async () => { await api?.close(); });

    it('GET /todos returns []', async () => {
      const r = await api.fetch('/todos');
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), []);
    });
    it('GET /items?id=eq.1', async () => {
      const r = await api.fetch('/items?select=id,name&id=eq.1');
      assert.deepEqual(await r.json(), [{ id: 1, name: 'apple' }]);
    });
  });
}
