// db-config on the embedded database: the settings of the role `authenticator` (what a server
// deployment connects as) apply at start and on reload, as on PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../helpers/backends.js';

describe('in-database configuration (pglite)', () => {
  let api: TestApi;
  before(async () => { api = await startTestApi('pglite'); });
  after(async () => {
    await api?.running.db.query('ALTER ROLE authenticator RESET ALL').catch(() => undefined);
    await api?.close();
  });

  it('reads pgrst.* settings of the authenticator role on reload', async () => {
    await api.running.db.query(`INSERT INTO api.todos (title) VALUES ('a'), ('b'), ('c')`);
    assert.ok(((await (await api.fetch('/todos')).json()) as unknown[]).length >= 3);
    await api.running.db.query(`ALTER ROLE authenticator SET pgrst.db_max_rows = '1'`);
    await api.running.reloadConfig();
    assert.equal(api.running.config.dbMaxRows, 1);
    assert.equal(((await (await api.fetch('/todos')).json()) as unknown[]).length, 1);
    await api.running.db.query(`ALTER ROLE authenticator RESET pgrst.db_max_rows`);
    await api.running.reloadConfig();
    assert.equal(api.running.config.dbMaxRows, null);
  });
});
