// Large responses: pages that may exceed LARGE_PAGE rows come from PostgreSQL in chunks of
// CHUNK_ROWS elements and are written piece by piece; bodies above the adapter's slice size are
// written in slices with backpressure. The client must see exactly what one json_agg would give.
// Large request bodies (JSON and CSV) must be stored exactly as sent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_ROWS, LARGE_PAGE } from '../../src/plan/read.js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const ROWS = 2 * CHUNK_ROWS + 1;

for (const kind of backendKinds()) {
  describe(`large bodies (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
      for (const statement of [
        `CREATE TABLE api.lb_items (id int PRIMARY KEY, name text, note text)`,
        `INSERT INTO api.lb_items SELECT i, 'item ' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'ünïcödé ' || i END FROM generate_series(1, ${ROWS}) i`,
        `CREATE TABLE api.lb_wide (id int PRIMARY KEY, t text)`,
        // 40 000 emoji = 80 000 UTF-16 units: the adapter's 64 Ki slice boundary falls inside the
        // string; the two prefixes put it once on each half of a surrogate pair.
        `INSERT INTO api.lb_wide VALUES (1, repeat('😀', 40000)), (2, 'x' || repeat('😀', 40000))`,
        `GRANT SELECT ON api.lb_items, api.lb_wide TO api_anon`,
        `CREATE TABLE api.lb_in (id int PRIMARY KEY, name text, n numeric, note text)`,
        `GRANT SELECT, INSERT, DELETE ON api.lb_in TO api_anon`,
      ]) await api.sql(statement);
      await api.reload();
    });
    after(async () => {
      await api?.close();
    });

    const expected = (order: 'asc' | 'desc', stripNulls = false) =>
      Array.from({ length: ROWS }, (_, k) => {
        const i = order === 'asc' ? k + 1 : ROWS - k;
        const note = i % 3 === 0 ? null : `ünïcödé ${i}`;
        return stripNulls && note === null ? { id: i, name: `item ${i}` } : { id: i, name: `item ${i}`, note };
      });

    it('an unlimited page arrives whole and in order across chunk boundaries', async () => {
      for (const order of ['asc', 'desc'] as const) {
        const r = await api.fetch(`/lb_items?order=id.${order}`, { headers: { Prefer: 'count=exact' } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-range'), `0-${ROWS - 1}/${ROWS}`);
        const text = await r.text();
        assert.equal(Number(r.headers.get('content-length')), Buffer.byteLength(text));
        assert.deepEqual(JSON.parse(text), expected(order));
      }
    });

    it(`a limit above ${LARGE_PAGE} is chunked too, and so are stripped nulls`, async () => {
      const r = await api.fetch(`/lb_items?order=id&limit=${LARGE_PAGE + 1}`, { headers: { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' } });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), expected('asc', true));
    });

    it('an empty chunked page is [] with */0', async () => {
      const r = await api.fetch('/lb_items?id=gt.100000', { headers: { Prefer: 'count=exact' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-range'), '*/0');
      assert.equal(await r.text(), '[]');
    });

    it('exactly one chunk and one more row', async () => {
      for (const n of [CHUNK_ROWS, CHUNK_ROWS + 1]) {
        const r = await api.fetch(`/lb_items?select=id&id=lte.${n}&order=id`);
        assert.deepEqual(await r.json(), Array.from({ length: n }, (_, k) => ({ id: k + 1 })));
      }
    });

    it('HEAD of a large page has the headers and no body', async () => {
      const r = await api.fetch('/lb_items', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-range'), `0-${ROWS - 1}/${ROWS}`);
      assert.equal(await r.text(), '');
    });

    // Request bodies are scanned, not parsed (src/request/body-json.ts), and CSV is written to JSON
    // row by row: what is stored must be exactly what was sent.
    const sent = Array.from({ length: 20_000 }, (_, i) => ({
      id: i + 1, name: i % 7 === 0 ? `ünï "q" \\ ${i} 😀` : `row ${i}`, n: i % 5 === 0 ? '12345678901234567890.123456789' : String(i), note: i % 3 === 0 ? null : `n${i}`,
    }));
    const stored = async () => api.sql(`SELECT id, name, n::text AS n, note FROM api.lb_in ORDER BY id`);

    it('a 20,000-row JSON body is stored exactly (numbers keep their precision)', async () => {
      await api.sql('DELETE FROM api.lb_in');
      const body = `[${sent.map((r) => `{"id":${r.id},"name":${JSON.stringify(r.name)},"n":${r.n},"note":${JSON.stringify(r.note)}}`).join(',')}]`;
      const r = await api.fetch('/lb_in', { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'return=minimal, count=exact' }, body });
      assert.equal(r.status, 201, await r.text());
      assert.equal(r.headers.get('content-range'), `*/${sent.length}`);
      assert.deepEqual(await stored(), sent);
    });

    it('a 20,000-row CSV body is stored exactly', async () => {
      await api.sql('DELETE FROM api.lb_in');
      const cell = (v: string | null) => (v === null ? 'NULL' : `"${v.replace(/"/g, '""')}"`);
      const body = ['id,name,n,note', ...sent.map((r) => [r.id, cell(r.name), r.n, cell(r.note)].join(','))].join('\r\n');
      const r = await api.fetch('/lb_in', { method: 'POST', headers: { 'Content-Type': 'text/csv', Prefer: 'return=minimal' }, body });
      assert.equal(r.status, 201, await r.text());
      assert.deepEqual(await stored(), sent);
    });

    it('a value longer than a write slice keeps every surrogate pair intact', async () => {
      for (const [id, prefix] of [[1, ''], [2, 'x']] as const) {
        const r = await api.fetch(`/lb_wide?select=t&id=eq.${id}`);
        const text = await r.text();
        assert.equal(Number(r.headers.get('content-length')), Buffer.byteLength(text));
        assert.ok(!text.includes('\ufffd'), 'no replacement characters');
        assert.deepEqual(JSON.parse(text), [{ t: prefix + '😀'.repeat(40000) }]);
      }
    });
  });
}
