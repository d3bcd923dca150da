// All or nothing: when a step fails after some servers already listen (here the admin UI, whose own
// connection cannot be made), startPesquel closes what it opened: no port left listening, no pooled
// connection left on the database, and the process is free to start again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { startPesquel } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { freePort } from '../ops/free-port.js';
import { pgBinariesAvailable, startPostgres } from '../helpers/postgres-server.js';

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

describe('startPesquel after a late failure', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  it('closes the servers already listening and the pool', async () => {
    const server = await startPostgres();
    const probe = new pg.Client({ connectionString: server.superUrl });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      const [api, admin, ui] = [await freePort(), await freePort(), await freePort()];
      const config = loadConfig({ flags: {
        'db-uri': server.superUrl, 'db-init': 'false', 'db-allow-privileged-roles': 'true', 'admin-db-uri': 'postgres://nobody:x@127.0.0.1:1/none',
        'server-port': String(api), 'admin-server-port': String(admin), 'admin-ui-port': String(ui), 'log-level': 'crit',
      } });
      await assert.rejects(startPesquel(config, { logger: createLogger('crit') }), /ECONNREFUSED/);
      for (const port of [api, admin, ui]) assert.equal(await listening(port), false, `port ${port} left listening`);
      const others = async () => Number((await probe.query(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")).rows[0].n);
      for (const end = Date.now() + 10_000; (await others()) > 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await others(), 0, 'connections left open');
    } finally {
      await probe.end();
      await server.stop();
    }
  });
});
