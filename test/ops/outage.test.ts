// PeSquel on PostgreSQL when the pool runs dry (504 PGRST003 after the acquisition timeout) and
// when the database stops and comes back: 503 with Retry-After meanwhile, then recovery — requests,
// /ready and LISTEN-driven schema reloads — without restarting PeSquel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { initScripts } from '../../src/db/init.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { freePort } from './free-port.js';
import { metricValue, parseMetrics } from './metrics-text.js';
import { startPostgresAgain, stopPostgres } from './pg-outage.js';
import { until as untilDone } from '../helpers/until.js';

const password = 'authenticator-outage-test';

const until = <T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000) => untilDone(what, fn, ms, 200);

describe('pool exhaustion and database outage (postgres)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let running: Running;
  const superSql = async (text: string) => {
    const c = new pg.Client({ connectionString: server.superUrl });
    await c.connect();
    try { await c.query(text); } finally { await c.end(); }
  };

  before(async () => {
    server = await startPostgres();
    for (const s of initScripts()) await superSql(s.sql);
    await superSql(`ALTER ROLE authenticator PASSWORD '${password}'`);
    const config = loadConfig({ flags: {
      'db-uri': server.url('authenticator', password), 'db-init': 'false', 'server-port': '0',
      'admin-server-port': String(await freePort()), 'db-pool': '2', 'db-pool-acquisition-timeout': '1', 'log-level': 'crit', 'admin-ui-port': '0',
    } });
    running = await startPesquel(config, { logger: createLogger('crit') });
  });
  after(async () => {
    await running?.close();
    await server?.stop();
  });

  const get = (path: string) => fetch(running.apiUrl + path);
  const metrics = async () => parseMetrics(await (await fetch(`${running.adminUrl}/metrics`)).text());

  it('answers 504 PGRST003 once the acquisition timeout passes with every connection busy', async () => {
    const t0 = metricValue(await metrics(), 'pgrst_db_pool_timeouts_total') ?? 0;
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const holders = [1, 2].map(() => running.db.withConnection(() => held));
    await sleep(100);
    const started = performance.now();
    const r = await get('/todos');
    const waited = performance.now() - started;
    const body = (await r.json()) as { code: string };
    assert.equal(r.status, 504);
    assert.equal(body.code, 'PGRST003');
    assert.ok(waited >= 900, `answered after ${Math.round(waited)} ms`);
    const m = await metrics();
    assert.equal(metricValue(m, 'pgrst_db_pool_timeouts_total'), t0 + 1);
    assert.equal(metricValue(m, 'pgrst_db_pool_available'), 0);
    release();
    await Promise.all(holders);
    assert.equal((await get('/todos')).status, 200);
  });

  it('answers 503 with Retry-After while the database is down and recovers when it returns', async () => {
    assert.equal((await get('/todos')).status, 200);
    stopPostgres(server);
    try {
      const r = await get('/todos');
      assert.equal(r.status, 503, await r.clone().text());
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      assert.equal(((await r.json()) as { code: string }).code, 'PGRST000');
      assert.equal((await fetch(`${running.adminUrl}/ready`)).status, 503);
      assert.equal((await fetch(`${running.adminUrl}/live`)).status, 200);
    } finally {
      startPostgresAgain(server);
    }
    await until('a 200 after the restart', async () => ((await get('/todos')).status === 200 ? true : undefined));
    assert.equal((await fetch(`${running.adminUrl}/ready`)).status, 200);
    // The LISTEN connection came back by itself: a NOTIFY reload shows a new table.
    await until('the listener to reconnect', async () => ((metricValue(await metrics(), 'pesquel_db_listener_reconnects_total') ?? 0) >= 1 ? true : undefined));
    await superSql(`CREATE TABLE api.after_outage (id int); GRANT SELECT ON api.after_outage TO api_anon; NOTIFY pgrst, 'reload schema'`);
    await until('the schema reload', async () => ((await get('/after_outage')).status === 200 ? true : undefined), 10_000);
  });
});
