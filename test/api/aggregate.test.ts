// Aggregates over HTTP on every backend (db-aggregates-enabled=true): count()/sum/avg/min/max with
// aliases and casts, automatic GROUP BY, inside embeds, hoisted out of to-one spreads.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

for (const kind of backendKinds()) {
  describe(`aggregates (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['embed.sql'], options: { 'db-aggregates-enabled': 'true' } }); });
    after(async () => { await api?.close(); });

    const ok = async (path: string, expected: unknown) => {
      const r = await api.fetch(path);
      const body = await r.json() as unknown;
      assert.equal(r.status, 200, JSON.stringify(body));
      assert.deepEqual(body, expected);
    };

    it('count() and column aggregates over the whole table', async () => {
      await ok('/orders?select=count()', [{ count: 4 }]);
      await ok('/orders?select=amount.sum(),amount.min(),amount.max()', [{ sum: 100, min: 10, max: 40 }]);
    });
    it('aliases and casts, on the column and on the result', async () => {
      await ok('/orders?select=total:amount.sum(),mean:amount.avg()::int,n:count()::text', [{ total: 100, mean: 25, n: '4' }]);
      await ok('/orders?select=amount::int.sum()', [{ sum: 100 }]);
      await ok('/orders?select=id.count()', [{ count: 4 }]);
    });
    it('groups by the other selected columns', async () => {
      await ok('/orders?select=customer_id,amount.sum(),count()&order=customer_id', [
        { customer_id: 1, sum: 50, count: 2 },
        { customer_id: 2, sum: 20, count: 1 },
        { customer_id: 3, sum: 30, count: 1 },
      ]);
    });
    it('filters apply before aggregating', () =>
      ok('/orders?select=amount.sum()&amount=gt.15', [{ sum: 90 }]));
    it('inside an embed: one aggregate row per parent', () =>
      ok('/customers?select=name,orders(amount.sum(),count())&order=id', [
        { name: 'Ana', orders: [{ sum: 50, count: 2 }] },
        { name: 'Bob', orders: [{ sum: 20, count: 1 }] },
        { name: 'Cid', orders: [{ sum: 30, count: 1 }] },
      ]));
    it('inside an embed, grouped by the embed\'s own columns', () =>
      ok('/directors?select=last_name,films(director_id,count())&id=eq.1', [
        { last_name: 'Spielberg', films: [{ director_id: 1, count: 3 }] },
      ]));
    it('groups by embedded resources too', () =>
      ok('/orders?select=customers(country),amount.sum()&order=customers(country)', [
        { customers: { country: 'FR' }, sum: 80 },
        { customers: { country: 'UK' }, sum: 20 },
      ]));
    it('a to-one spread groups the parent by its columns', async () => {
      const r = await api.fetch('/orders?select=...customers(country),amount.sum()');
      const rows = (await r.json() as { country: string; sum: number }[]).sort((a, b) => a.country.localeCompare(b.country));
      assert.deepEqual(rows, [{ country: 'FR', sum: 80 }, { country: 'UK', sum: 20 }]);
    });
    it('aggregates inside a to-one spread are computed in the parent', async () => {
      await ok('/orders?select=...customers(id.count())', [{ count: 4 }]);
      const r = await api.fetch('/orders?select=amount.sum(),...customers(country,customers:count())');
      const rows = (await r.json() as { country: string }[]).sort((a, b) => a.country.localeCompare(b.country));
      assert.deepEqual(rows, [{ sum: 80, country: 'FR', customers: 3 }, { sum: 20, country: 'UK', customers: 1 }]);
    });
    it('legacy rel(count)', () =>
      ok('/directors?select=last_name,films(count)&id=in.(2,4)&order=id', [
        { last_name: 'Kubrick', films: [{ count: 2 }] },
        { last_name: 'Filmless', films: [{ count: 0 }] },
      ]));
  });
}
