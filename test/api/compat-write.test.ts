// PostgREST compatibility of writes, on every backend: missing=default, upserts and PUT on
// partitioned tables and tables without a key, column privileges, Location for views and composite
// keys, overloaded computed fields, deferred constraints under tx=rollback, and PATCH/DELETE with
// embedded filters (test/fixtures/compat-rw.sql).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

type Reply = { status: number; headers: Headers; body: unknown; text: string };

for (const kind of backendKinds()) {
  describe(`PostgREST compatibility: writing (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['compat-rw.sql'], options: { 'db-tx-end': 'commit-allow-override' } });
    });
    after(async () => { await api?.close(); });

    const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
      const r = await api.fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: r.status, headers: r.headers, body: parsed, text };
    };
    const rows = async (path: string) => (await send('GET', path, undefined)).body;
    const code = (r: Reply) => (r.body as { code: string }).code;

    describe('Prefer: missing=default', () => {
      it('writes every named column for every row; absent keys take their default per row, or NULL', async () => {
        const r = await send('POST', '/cw_items?columns=id,name,note,qty&select=id,name,note,qty',
          [{ name: 'a', qty: 1 }, { name: 'b', note: 'x' }, { name: 'c', note: null }],
          { Prefer: 'missing=default, return=representation' });
        assert.equal(r.status, 201, r.text);
        assert.deepEqual(r.body, [
          { id: 100, name: 'a', note: 'n/a', qty: 1 },
          { id: 101, name: 'b', note: 'x', qty: null },
          { id: 102, name: 'c', note: null, qty: null },
        ]);
        assert.equal(r.headers.get('preference-applied'), 'missing=default, return=representation');
      });
      it('advances identity columns per row', async () => {
        const r = await send('POST', '/cw_ident?columns=id,name,kind&select=id,name,kind', [{ name: 'a' }, { name: 'b', kind: 'k' }],
          { Prefer: 'missing=default, return=representation' });
        assert.equal(r.status, 201, r.text);
        assert.deepEqual(r.body, [{ id: 1, name: 'a', kind: 'plain' }, { id: 2, name: 'b', kind: 'k' }]);
      });
      it('applies defaults in upserts too', async () => {
        await send('POST', '/cw_items', { id: 1, name: 'old', note: 'kept?', qty: 5 });
        const r = await send('POST', '/cw_items?columns=id,name,note,qty&select=id,name,note,qty', [{ id: 1, name: 'new' }],
          { Prefer: 'missing=default, resolution=merge-duplicates, return=representation' });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.body, [{ id: 1, name: 'new', note: 'n/a', qty: null }]);
      });
      it('without missing=default, absent keys of named columns are NULL', async () => {
        const r = await send('POST', '/cw_items?columns=id,name,note&select=id,note', [{ id: 2, name: 'x' }], { Prefer: 'return=representation' });
        assert.deepEqual(r.body, [{ id: 2, note: null }]);
      });
    });

    describe('upserts and PUT', () => {
      it('upserts into a partitioned table (201, then 200)', async () => {
        const first = await send('POST', '/cw_parts', [{ id: 1, region: 'eu', val: 1 }], { Prefer: 'resolution=merge-duplicates, return=representation' });
        assert.equal(first.status, 201, first.text);
        const again = await send('POST', '/cw_parts', [{ id: 1, region: 'eu', val: 2 }], { Prefer: 'resolution=merge-duplicates, return=representation' });
        assert.equal(again.status, 200, again.text);
        assert.deepEqual(again.body, [{ id: 1, region: 'eu', val: 2 }]);
      });
      it('PUTs into a partitioned table', async () => {
        const r = await send('PUT', '/cw_parts?id=eq.2&region=eq.us', { id: 2, region: 'us', val: 7 }, { Prefer: 'return=representation' });
        assert.equal(r.status, 201, r.text);
        const u = await send('PUT', '/cw_parts?id=eq.2&region=eq.us', { id: 2, region: 'us', val: 8 });
        assert.equal(u.status, 204, u.text);
        assert.deepEqual(await rows('/cw_parts?id=eq.2'), [{ id: 2, region: 'us', val: 8 }]);
      });
      it('refuses a PUT with an array body', async () => {
        const r = await send('PUT', '/cw_parts?id=eq.3&region=eq.us', [{ id: 3, region: 'us', val: 1 }]);
        assert.equal(r.status, 400);
        assert.equal(code(r), 'PGRST102');
        assert.deepEqual(await rows('/cw_parts?id=eq.3'), []);
      });
      it('needs on_conflict to merge into a table without a primary key', async () => {
        const r = await send('POST', '/cw_nopk', [{ code: 'a', val: 1 }], { Prefer: 'resolution=merge-duplicates' });
        assert.equal(r.status, 400);
        assert.equal(code(r), '42P10');
        assert.match(String((r.body as { hint: string }).hint), /on_conflict/);
        const ok = await send('POST', '/cw_nopk?on_conflict=code', [{ code: 'a', val: 1 }], { Prefer: 'resolution=merge-duplicates' });
        assert.equal(ok.status, 201, ok.text);
        const merged = await send('POST', '/cw_nopk?on_conflict=code', [{ code: 'a', val: 2 }], { Prefer: 'resolution=merge-duplicates, return=representation' });
        assert.deepEqual(merged.body, [{ code: 'a', val: 2 }]);
        const ignored = await send('POST', '/cw_nopk', [{ code: 'a', val: 3 }], { Prefer: 'resolution=ignore-duplicates, return=representation' });
        assert.equal(ignored.status, 201, ignored.text);
        assert.deepEqual(ignored.body, []);
      });
    });

    describe('representation, Location and computed fields', () => {
      it('returns only the selected columns under column-level privileges', async () => {
        const r = await send('POST', '/cw_secret?select=id,name', { id: 1, name: 'a', secret: 's' }, { Prefer: 'return=representation' });
        assert.equal(r.status, 201, r.text);
        assert.deepEqual(r.body, [{ id: 1, name: 'a' }]);
        const p = await send('PATCH', '/cw_secret?id=eq.1&select=name', { name: 'b' }, { Prefer: 'return=representation' });
        assert.equal(p.status, 200, p.text);
        assert.deepEqual(p.body, [{ name: 'b' }]);
        const u = await send('POST', '/cw_secret?select=id,name&on_conflict=id', [{ id: 1, name: 'c' }, { id: 2, name: 'd' }],
          { Prefer: 'resolution=merge-duplicates, return=representation' });
        assert.equal(u.status, 201, u.text);
        assert.deepEqual(u.body, [{ id: 1, name: 'c' }, { id: 2, name: 'd' }]);
      });
      it('sends Location with a view\'s key columns', async () => {
        const r = await send('POST', '/cw_items_view', { item_id: 500, name: 'v' }, { Prefer: 'return=headers-only' });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.headers.get('location'), '/cw_items_view?item_id=eq.500');
      });
      it('sends Location with every column of a composite key', async () => {
        const r = await send('POST', '/cw_pairs', { a: 1, b: 2, val: 'x' }, { Prefer: 'return=headers-only' });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.headers.get('location'), '/cw_pairs?a=eq.1&b=eq.2');
      });
      it('reads overloaded computed fields in reads and representations', async () => {
        const r = await send('POST', '/cw_items?select=id,label', { id: 600, name: 'zed' }, { Prefer: 'return=representation' });
        assert.equal(r.status, 201, r.text);
        assert.deepEqual(r.body, [{ id: 600, label: 'zed!' }]);
        assert.deepEqual(await rows('/cw_pairs?select=label&a=eq.1'), [{ label: 'x?' }]);
      });
    });

    describe('transactions', () => {
      it('checks deferred constraints before a tx=rollback ends the transaction', async () => {
        const r = await send('POST', '/cw_deferred', [{ id: 1, parent_id: 99 }], { Prefer: 'tx=rollback' });
        assert.equal(r.status, 409, r.text);
        assert.equal(code(r), '23503');
      });
      it('rolls back a valid write and says so', async () => {
        const r = await send('POST', '/cw_deferred', [{ id: 1, parent_id: 1 }], { Prefer: 'tx=rollback, return=representation' });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.headers.get('preference-applied'), 'return=representation, tx=rollback');
        assert.deepEqual(await rows('/cw_deferred'), []);
      });
    });

    describe('PATCH/DELETE with embedded resources', () => {
      it('accepts embedded filters that only shape the representation', async () => {
        const r = await send('PATCH', '/cw_books?id=eq.1&select=id,title,cw_authors(name)&cw_authors.name=eq.nobody', { title: 'uno' },
          { Prefer: 'return=representation' });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.body, [{ id: 1, title: 'uno', cw_authors: null }]);
        const d = await send('DELETE', '/cw_books?id=eq.3&select=id,cw_authors(name)&cw_authors.name=eq.ann', undefined, { Prefer: 'return=representation' });
        assert.equal(d.status, 200, d.text);
        assert.deepEqual(d.body, [{ id: 3, cw_authors: null }]);
      });
      for (const [what, path] of [
        ['a null test on an embed', '/cw_books?select=id,cw_authors(name)&cw_authors=not.is.null'],
        ['an !inner embed', '/cw_books?select=id,cw_authors!inner(name)&cw_authors.name=eq.ann'],
        ['limit', '/cw_books?limit=1&order=id'],
      ] as const) {
        it(`refuses ${what} with 400 PGRST127 and changes nothing`, async () => {
          const r = await send('DELETE', path, undefined);
          assert.equal(r.status, 400, r.text);
          assert.equal(code(r), 'PGRST127');
          assert.equal((await rows('/cw_books?select=id') as unknown[]).length >= 2, true);
        });
      }
    });
  });
}
