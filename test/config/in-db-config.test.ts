// db-config / db-pre-config on PostgreSQL: pgrst.* settings of the authenticator role (ALTER ROLE …
// SET, database-specific ones first) and what the pre-config function sets override the configuration
// at start and on NOTIFY pgrst 'reload config'; an invalid value keeps the old one with one log line.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { pgBinariesAvailable, type PgServer } from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { logLines, startApiDatabase } from './harness.js';
import { startPesquelCli } from '../ops/cli.js';
import { freePort } from '../ops/free-port.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const password = 'authenticator-indb-test';

describe('in-database configuration (postgres)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let running: Running | undefined;
  let superSql: (text: string) => Promise<void>;
  const { out, lines } = logLines();
  const start = async (flags: Record<string, string> = {}) =>
    startPesquel(loadConfig({ flags: {
      'db-uri': server.url('authenticator', password), 'db-init': 'false', 'server-port': '0', 'admin-server-port': '0',
      'admin-ui-port': '0', 'log-level': 'info', ...flags,
    } }), { logger: createLogger('info', out) });
  const rows = async () => {
    const r = await fetch(`${running!.apiUrl}/todos`);
    assert.equal(r.status, 200);
    return ((await r.json()) as unknown[]).length;
  };
  const notify = () => superSql(`NOTIFY pgrst, 'reload config'`);

  before(async () => {
    ({ server, superSql } = await startApiDatabase(password));
    await superSql(`INSERT INTO api.todos (title) SELECT 'todo ' || i FROM generate_series(1, 5) i`);
    // PostgREST's documented pre-config: a function the authenticator may call, in a schema the API does not expose.
    await superSql(`CREATE SCHEMA postgrest; GRANT USAGE ON SCHEMA postgrest TO authenticator;
      CREATE FUNCTION postgrest.pre_config() RETURNS void LANGUAGE sql AS $$
        SELECT set_config('pgrst.server_trace_header', 'X-Request-Id', true), set_config('pgrst.db_max_rows', '4', true) $$`);
    await superSql(`ALTER ROLE authenticator SET pgrst.openapi_security_active = 'true'`);
    running = await start({ 'db-pre-config': 'postgrest.pre_config' });
  });
  after(async () => {
    await running?.close();
    await server?.stop();
  });

  it('reads role settings and the pre-config function at start', async () => {
    assert.equal(running!.config.openapiSecurityActive, true);
    assert.equal(running!.config.serverTraceHeader, 'X-Request-Id');
    assert.equal(await rows(), 4);
    const r = await fetch(`${running!.apiUrl}/todos`, { headers: { 'X-Request-Id': 'abc-1' } });
    assert.equal(r.headers.get('x-request-id'), 'abc-1');
  });

  it('applies ALTER ROLE changes on NOTIFY reload config; a database-specific setting wins, and it beats the function', async () => {
    await superSql(`ALTER ROLE authenticator SET pgrst.db_max_rows = '1'`);
    await notify();
    await until('db-max-rows 1 from the role setting', async () => ((await rows()) === 1 ? true : undefined));
    await superSql(`ALTER ROLE authenticator IN DATABASE ${server.database} SET pgrst.db_max_rows = '2'`);
    await notify();
    await until('db-max-rows 2 from the database-specific setting', async () => ((await rows()) === 2 ? true : undefined));
    assert.ok(lines.some((l) => /config reloaded: db-max-rows/.test(l)));
  });

  it('keeps the configuration in force when a value is invalid, with one log line', async () => {
    const failedBefore = lines.filter((l) => /config reload failed/.test(l)).length;
    await superSql(`ALTER ROLE authenticator IN DATABASE ${server.database} SET pgrst.db_max_rows = 'lots'`);
    await notify();
    const failed = await until('the failed reload to be logged', async () => {
      const now = lines.filter((l) => /config reload failed/.test(l));
      return now.length > failedBefore ? now.slice(failedBefore) : undefined;
    });
    assert.equal(failed.length, 1);
    assert.match(failed[0] as string, /invalid setting 'pgrst\.db_max_rows': expected a whole number, got 'lots'/);
    assert.equal(await rows(), 2);
    await superSql(`ALTER ROLE authenticator IN DATABASE ${server.database} RESET pgrst.db_max_rows`);
    await running!.reloadConfig(); // what SIGUSR2 does
    assert.equal(await rows(), 1);
  });

  it('changes the exposed schemas and reloads the schema cache for them', async () => {
    await superSql(`CREATE SCHEMA other; CREATE TABLE other.things (id int); INSERT INTO other.things VALUES (1), (2);
      GRANT USAGE ON SCHEMA other TO api_anon; GRANT SELECT ON other.things TO api_anon`);
    assert.equal((await fetch(`${running!.apiUrl}/things`, { headers: { 'Accept-Profile': 'other' } })).status, 406);
    await superSql(`ALTER ROLE authenticator SET pgrst.db_schemas = 'api, other'`);
    await notify();
    await until('the other schema to be served', async () =>
      ((await fetch(`${running!.apiUrl}/things`, { headers: { 'Accept-Profile': 'other' } })).status === 200 ? true : undefined));
    assert.deepEqual(running!.config.dbSchemas, ['api', 'other']);
  });

  it('turns prepared statements off and on from the database', async () => {
    // One connection, so that the function below sees the session the API's statements ran on.
    await superSql(`CREATE FUNCTION api.prepared_count() RETURNS int LANGUAGE sql AS 'SELECT count(*)::int FROM pg_prepared_statements';
      GRANT EXECUTE ON FUNCTION api.prepared_count() TO api_anon;
      ALTER ROLE authenticator SET pgrst.db_prepared_statements = 'false'`);
    const one = await start({ 'db-pool': '1' });
    try {
      const call = async (path: string) => {
        const r = await fetch(`${one.apiUrl}${path}`);
        assert.equal(r.status, 200);
        return r.json();
      };
      assert.equal(one.config.dbPreparedStatements, false);
      await call('/todos?select=id,title');
      assert.equal(await call('/rpc/prepared_count'), 0);
      await superSql(`ALTER ROLE authenticator RESET pgrst.db_prepared_statements`);
      await one.reloadConfig();
      assert.equal(one.config.dbPreparedStatements, true);
      await call('/todos?select=id,title');
      assert.ok(((await call('/rpc/prepared_count')) as number) > 0);
    } finally {
      await one.close();
    }
  });

  it('reloads on SIGUSR2 to pesquel start', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pesquel-indb-'));
    const port = await freePort();
    const cli = startPesquelCli(['start', '--db-url', server.url('authenticator', password), '--port', String(port), '--admin-server-port', '0',
      '--admin-ui-port', '0', '--db-init', 'false', '--log-level', 'warn', '--db-channel-enabled', 'false'], { cwd });
    try {
      const count = async () => {
        const r = await fetch(`http://127.0.0.1:${port}/todos`);
        return r.status === 200 ? ((await r.json()) as unknown[]).length : undefined;
      };
      await superSql(`ALTER ROLE authenticator SET pgrst.db_max_rows = '1'`);
      await until('pesquel start to serve', async () => {
        if (cli.child.exitCode !== null) throw new Error('exited');
        return (await count()) === 1 ? true : undefined;
      }, 60_000, 100);
      await superSql(`ALTER ROLE authenticator SET pgrst.db_max_rows = '3'`);
      cli.child.kill('SIGUSR2');
      await until('db-max-rows 3 after SIGUSR2', async () => ((await count()) === 3 ? true : undefined));
    } finally {
      cli.child.kill('SIGTERM');
      const done = await cli.done;
      rmSync(cwd, { recursive: true, force: true });
      assert.equal(done.code, 0, done.stderr);
    }
  });

  it('ignores the database with db-config=false', async () => {
    const plain = await start({ 'db-config': 'false' });
    try {
      assert.equal(plain.config.dbMaxRows, null);
      assert.equal(plain.config.openapiSecurityActive, false);
    } finally {
      await plain.close();
    }
  });

  it('refuses to start on an invalid in-database value, naming the setting', async () => {
    await superSql(`ALTER ROLE authenticator SET pgrst.jwt_aud = ''; ALTER ROLE authenticator SET pgrst.openapi_mode = 'sometimes'`);
    await assert.rejects(start(), /invalid setting 'pgrst\.openapi_mode': expected one of follow-privileges, ignore-privileges, disabled, got 'sometimes'/);
    await superSql(`ALTER ROLE authenticator RESET pgrst.openapi_mode`);
  });
});
