// The compiled-statement cache (createApp's `compiled`): a repeated URL is parsed, planned and
// rendered once per schema cache. These tests pin what must never be shared between requests
// that have the same URL: the media type, preferences and range, the role and its row-level
// security, and a schema reload.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const secret = 'compiled-cache-test-secret-0123456789abcdef';
const token = (role: string) =>
  new SignJWT({ role }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const kind of backendKinds()) {
  describe(`compiled-statement cache (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { options: { 'jwt-secret': secret } });
      for (const statement of [
        `CREATE TABLE api.cc_parents (id int PRIMARY KEY, name text)`,
        `CREATE TABLE api.cc_kids (id int PRIMARY KEY, parent_id int CONSTRAINT cc_kids_parent REFERENCES api.cc_parents(id), secret boolean NOT NULL DEFAULT false)`,
        `INSERT INTO api.cc_parents VALUES (1, 'one'), (2, 'two')`,
        `INSERT INTO api.cc_kids VALUES (10, 1, false), (11, 1, true), (20, 2, false)`,
        `ALTER TABLE api.cc_kids ENABLE ROW LEVEL SECURITY`,
        `CREATE POLICY cc_public ON api.cc_kids FOR SELECT TO api_anon USING (NOT secret)`,
        `CREATE POLICY cc_all ON api.cc_kids FOR SELECT TO api_user USING (true)`,
        `GRANT SELECT ON api.cc_parents, api.cc_kids TO api_anon, api_user`,
        `CREATE TABLE api.cc_notes (id serial PRIMARY KEY, title text NOT NULL, body text, n int)`,
        `GRANT SELECT, INSERT, UPDATE ON api.cc_notes TO api_anon`,
        `GRANT USAGE ON SEQUENCE api.cc_notes_id_seq TO api_anon`,
      ]) await api.sql(statement);
      await api.reload();
    });
    after(async () => {
      await api?.close();
    });

    it('the same URL answers each request in its own media type, preferences and range', async () => {
      const url = '/cc_parents?select=id,name&order=id';
      for (let round = 0; round < 2; round++) {
        const json = await api.fetch(url);
        assert.deepEqual(await json.json(), [{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
        const csv = await api.fetch(url, { headers: { Accept: 'text/csv' } });
        assert.equal(await csv.text(), 'id,name\n1,one\n2,two');
        const counted = await api.fetch(url, { headers: { Prefer: 'count=exact' } });
        assert.equal(counted.headers.get('content-range'), '0-1/2');
        const ranged = await api.fetch(url, { headers: { Range: '1-1' } });
        assert.deepEqual(await ranged.json(), [{ id: 2, name: 'two' }]);
        const one = await api.fetch(`${url}&id=eq.1`, { headers: { Accept: 'application/vnd.pgrst.object+json' } });
        assert.deepEqual(await one.json(), { id: 1, name: 'one' });
      }
    });

    it('the same URL runs as each request\'s own role (row-level security)', async () => {
      const url = '/cc_kids?select=id&order=id';
      const user = { Authorization: `Bearer ${await token('api_user')}` };
      for (let round = 0; round < 2; round++) {
        assert.deepEqual(await (await api.fetch(url)).json(), [{ id: 10 }, { id: 20 }]);
        assert.deepEqual(await (await api.fetch(url, { headers: user })).json(), [{ id: 10 }, { id: 11 }, { id: 20 }]);
      }
    });

    it('writes to the same URL: each payload is its own, and a new set of keys is planned anew', async () => {
      const post = (body: unknown) => api.fetch('/cc_notes?select=title,body,n', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' }, body: JSON.stringify(body),
      });
      const hostile = `it's a \\ backslash'); DROP TABLE api.cc_notes; --`;
      assert.deepEqual(await (await post({ title: 'one' })).json(), [{ title: 'one', body: null, n: null }]);
      assert.deepEqual(await (await post({ title: hostile })).json(), [{ title: hostile, body: null, n: null }]);
      assert.deepEqual(await (await post([{ title: 'a', body: 'b' }, { title: 'c', body: 'd' }])).json(),
        [{ title: 'a', body: 'b', n: null }, { title: 'c', body: 'd', n: null }]);
      assert.deepEqual(await (await post({ title: 'two', n: 2 })).json(), [{ title: 'two', body: null, n: 2 }]);
      const unknown = await post({ title: 'x', nope: 1 });
      assert.equal(unknown.status, 400);
      assert.equal(((await unknown.json()) as { code: string }).code, 'PGRST204');
      assert.deepEqual(await (await post({ title: 'three' })).json(), [{ title: 'three', body: null, n: null }]);
      const rows = await api.sql('SELECT count(*)::int AS n FROM api.cc_notes');
      assert.equal(rows[0]?.n, 6);
    });

    it('PATCH to the same URL: one row is applied, two rows are refused every time', async () => {
      const patch = (body: unknown) => api.fetch('/cc_notes?title=eq.one', {
        method: 'PATCH', headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' }, body: JSON.stringify(body),
      });
      assert.deepEqual(await (await patch({ n: 1 })).json(), [{ id: 1, title: 'one', body: null, n: 1 }]);
      assert.equal((await patch([{ n: 2 }, { n: 3 }])).status, 400);
      assert.deepEqual(await (await patch({ n: 4 })).json(), [{ id: 1, title: 'one', body: null, n: 4 }]);
      assert.equal((await patch([{ n: 5 }, { n: 6 }])).status, 400);
    });

    it('a schema reload recompiles: a dropped relationship is no longer embedded', async () => {
      const url = '/cc_parents?select=id,cc_kids(id)&id=eq.2';
      const before = await api.fetch(url);
      assert.equal(before.status, 200);
      assert.deepEqual(await before.json(), [{ id: 2, cc_kids: [{ id: 20 }] }]);
      await api.sql('ALTER TABLE api.cc_kids DROP CONSTRAINT cc_kids_parent');
      await api.sql(`NOTIFY pgrst, 'reload schema'`);
      await waitFor(async () => (await api.fetch(url)).status !== 200);
      const r = await api.fetch(url);
      assert.equal(r.status, 400);
      assert.equal(((await r.json()) as { code: string }).code, 'PGRST200');
    });
  });
}
