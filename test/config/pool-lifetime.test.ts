// db-pool-max-lifetime on PostgreSQL: with a 1 s lifetime the API's connections are replaced while
// requests keep coming (their backend pids change), and no request fails meanwhile.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { pgBinariesAvailable } from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { startApiDatabase, type ApiDatabase } from './harness.js';

const password = 'authenticator-lifetime-test';

describe('db-pool-max-lifetime (postgres)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let pgdb: ApiDatabase | undefined;
  let running: Running | undefined;

  before(async () => {
    pgdb = await startApiDatabase(password);
    await pgdb.superSql(`CREATE FUNCTION api.backend_pid() RETURNS int LANGUAGE sql STABLE AS 'SELECT pg_backend_pid()';
      GRANT EXECUTE ON FUNCTION api.backend_pid() TO api_anon`);
    const config = loadConfig({ flags: {
      'db-uri': pgdb.url, 'db-init': 'false', 'server-port': '0', 'admin-server-port': '0',
      'admin-ui-port': '0', 'db-pool': '2', 'db-pool-max-lifetime': '1', 'log-level': 'crit',
    } });
    assert.equal(config.dbPoolMaxLifetime, 1);
    running = await startPesquel(config, { logger: createLogger('crit') });
  });
  after(async () => {
    await running?.close();
    await pgdb?.server.stop();
  });

  it('replaces connections older than the lifetime without failing a request', async () => {
    const pids = new Set<number>();
    const statuses: number[] = [];
    await until('three different backends to serve requests', async () => {
      const r = await fetch(`${running!.apiUrl}/rpc/backend_pid`);
      statuses.push(r.status);
      assert.equal(r.status, 200, await r.clone().text());
      pids.add((await r.json()) as number);
      return pids.size >= 3 ? true : undefined;
    }, 30_000, 100);
    assert.ok(statuses.every((s) => s === 200), `statuses: ${[...new Set(statuses)].join(', ')}`);
    assert.ok(running!.db.poolStats().total <= 2);
  });

  it('defaults to 1800 seconds, as PostgREST', () => {
    assert.equal(loadConfig({}).dbPoolMaxLifetime, 1800);
    assert.throws(() => loadConfig({ flags: { 'db-pool-max-lifetime': '0' } }), /db-pool-max-lifetime/);
  });
});
