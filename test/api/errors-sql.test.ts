// Errors and response control from SQL on every backend: RAISE (P0001, PTnnn, SQLSTATE 'PGRST'
// with JSON), the SQLSTATE → HTTP table, response.status / response.headers, and that a failing
// call leaves nothing behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

for (const kind of backendKinds()) {
  describe(`errors from SQL (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['rpc.sql'] }); });
    after(async () => { await api?.close(); });

    const fail = (what: string) => api.fetch(`/rpc/fail?kind=${what}`);
    const post = (fn: string, body: object) =>
      api.fetch(`/rpc/${fn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const logCount = async () => Number((await api.sql('SELECT count(*)::int AS n FROM api.call_log'))[0]?.n);

    it('RAISE with the default SQLSTATE: 400 with code P0001, details and hint', async () => {
      const r = await fail('default');
      assert.equal(r.status, 400);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(await r.text(), '{"code":"P0001","details":"the detail","hint":"the hint","message":"plain failure"}');
    });

    it("RAISE SQLSTATE 'PT402': status 402", async () => {
      const r = await fail('pt402');
      assert.equal(r.status, 402);
      assert.deepEqual(await r.json(), { code: 'PT402', details: 'pay up', hint: null, message: 'Payment Required' });
    });

    it("RAISE SQLSTATE 'PGRST' with JSON: full control of status, body and headers", async () => {
      const r = await fail('pgrst');
      assert.equal(r.status, 418);
      assert.equal(r.headers.get('x-custom'), 'yes');
      assert.deepEqual(await r.json(), { code: '123', details: 'custom details', hint: 'custom hint', message: 'Custom message' });
    });

    it("RAISE SQLSTATE 'PGRST' with invalid JSON: 500 PGRST121", async () => {
      const r = await fail('pgrst-bad');
      assert.equal(r.status, 500);
      assert.equal((await r.json() as { code: string }).code, 'PGRST121');
    });

    it('the SQLSTATE table: 23505/23503 → 409, 42501 → 401 anonymous, 22012 → 400, 42883 → 404', async () => {
      const cases: Array<[string, number, string]> = [
        ['unique', 409, '23505'], ['fk', 409, '23503'], ['denied', 401, '42501'], ['div', 400, '22012'], ['undefined-fn', 404, '42883'],
      ];
      for (const [what, status, code] of cases) {
        const r = await fail(what);
        const body = await r.json() as { code: string };
        assert.equal(r.status, status, `${what}: ${JSON.stringify(body)}`);
        assert.equal(body.code, code);
      }
      const denied = await fail('denied');
      assert.equal(denied.headers.get('www-authenticate'), 'Bearer');
    });

    it('response.status and response.headers set by the function', async () => {
      const r = await post('respond', { status: '202', headers: '[{"X-Set-By":"sql"},{"Cache-Control":"no-store"}]' });
      assert.equal(r.status, 202);
      assert.equal(r.headers.get('x-set-by'), 'sql');
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(await r.text(), '"ok"');
    });

    it('invalid response.headers → 500 PGRST111; invalid response.status → 500 PGRST112', async () => {
      const h = await post('respond', { status: '', headers: '{"not":"an array"}' });
      assert.equal(h.status, 500);
      assert.equal((await h.json() as { code: string }).code, 'PGRST111');
      const s = await post('respond', { status: 'abc', headers: '' });
      assert.equal(s.status, 500);
      assert.equal((await s.json() as { code: string }).code, 'PGRST112');
    });

    it('a call that writes then raises leaves nothing behind', async () => {
      const before = await logCount();
      const r = await post('write_then_fail', {});
      assert.equal(r.status, 400);
      assert.equal((await r.json() as { message: string }).message, 'after the write');
      assert.equal(await logCount(), before);
    });
  });
}
