// Read replicas on real servers: a primary and a streaming replica (pg_basebackup -R). Reads land on
// the replica, writes and POST calls on the primary; a stopped replica and one whose replay is paused
// past db-replica-max-lag are skipped and rejoin, and a steady loop of requests sees no failure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { initScripts } from '../../src/db/init.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import {
  pgBinariesAvailable, pgBouncerAvailable, startPgBouncer, startPostgres, startReplica, type PgBouncerServer, type PgReplica, type PgServer,
} from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { freePort } from '../ops/free-port.js';
import { metricValue, parseMetrics } from '../ops/metrics-text.js';

const password = 'replica-test-authenticator-Zq83';

async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
}

interface Ready { primary: { healthy: boolean }; replicas: Array<{ name: string; address: string; healthy: boolean; lag_seconds: number | null }> }

describe('read replicas (primary + streaming replica)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let primary: PgServer;
  let replica: PgReplica;
  let running: Running;
  let log = '';

  before(async () => {
    primary = await startPostgres();
    for (const s of initScripts()) await sql(primary.superUrl, s.sql);
    await sql(primary.superUrl, `ALTER ROLE authenticator PASSWORD '${password}';
      CREATE FUNCTION api.in_recovery() RETURNS boolean LANGUAGE sql STABLE AS 'SELECT pg_is_in_recovery()';
      GRANT EXECUTE ON FUNCTION api.in_recovery() TO api_anon`);
    replica = await startReplica(primary);
    await replica.catchUp();
    const logs = new PassThrough();
    logs.on('data', (d: Buffer) => { log += d.toString(); });
    const config = loadConfig({ flags: {
      'db-uri': primary.url('authenticator', password), 'db-replica-uris': replica.url('authenticator', password),
      'db-replica-max-lag': '1', 'db-init': 'false', 'server-port': '0', 'admin-server-port': String(await freePort()),
      'admin-ui-port': '0', 'db-pool': '4', 'log-level': 'debug',
    } });
    running = await startPesquel(config, { logger: createLogger('debug', logs, 'json') });
  });
  after(async () => {
    await running?.close();
    await replica?.stop();
    await primary?.stop();
  });

  const call = async (method: 'GET' | 'POST', prefer?: string) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(prefer ? { Prefer: prefer } : {}) };
    const r = await fetch(`${running.apiUrl}/rpc/in_recovery`, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
    assert.equal(r.status, 200, await r.clone().text());
    return { inRecovery: (await r.json()) as boolean, applied: r.headers.get('preference-applied') };
  };
  const ready = async () => {
    const r = await fetch(`${running.adminUrl}/ready`);
    return { status: r.status, body: (await r.json()) as Ready };
  };
  const metrics = async () => parseMetrics(await (await fetch(`${running.adminUrl}/metrics`)).text());

  /** Requests in a steady loop while `fn` runs; returns every answer that was not a 200. */
  async function underLoad(fn: () => Promise<void>): Promise<string[]> {
    const failures: string[] = [];
    let stop = false;
    const loop = async () => {
      while (!stop) {
        for (const path of ['/rpc/in_recovery', '/todos?select=id&limit=5']) {
          const r = await fetch(running.apiUrl + path).catch((err: Error) => err);
          if (r instanceof Error) failures.push(`${path}: ${r.message}`);
          else if (r.status !== 200) failures.push(`${path}: ${r.status} ${await r.text()}`);
          else await r.arrayBuffer();
        }
      }
    };
    const loops = [loop(), loop(), loop()];
    try {
      await fn();
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    return failures;
  }

  it('runs GET calls on the replica and POST calls on the primary', async () => {
    assert.equal((await call('GET')).inRecovery, true);
    assert.equal((await call('POST')).inRecovery, false);
    // Prefer: tx= overrides a transaction's end: the primary.
    assert.equal((await call('GET', 'tx=commit')).inRecovery, false);
  });

  it('Prefer: read=primary reads from the primary, is echoed, and passes handling=strict', async () => {
    const lenient = await call('GET', 'read=primary');
    assert.deepEqual(lenient, { inRecovery: false, applied: 'read=primary' });
    const strict = await call('GET', 'handling=strict, read=primary');
    assert.equal(strict.inRecovery, false);
    assert.match(strict.applied ?? '', /read=primary/);
    // Any other value is not understood: 400 under handling=strict.
    const r = await fetch(`${running.apiUrl}/rpc/in_recovery`, { headers: { Prefer: 'handling=strict, read=replica' } });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { code: string }).code, 'PGRST122');
  });

  it('writes on the primary; the replica serves them once replayed; read=primary right away', async () => {
    const before = metricValue(await metrics(), 'pesquel_db_backend_requests_total', { backend: 'replica-1', address: `127.0.0.1:${replica.port}/pesquel` }) ?? 0;
    const title = `replica-${Date.now()}`;
    const w = await fetch(`${running.apiUrl}/todos`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title }) });
    assert.equal(w.status, 201, await w.text());
    const own = await fetch(`${running.apiUrl}/todos?select=title&title=eq.${title}`, { headers: { Prefer: 'read=primary' } });
    assert.deepEqual(await own.json(), [{ title }]);
    await replica.catchUp();
    const r = await fetch(`${running.apiUrl}/todos?select=title&title=eq.${title}`);
    assert.deepEqual(await r.json(), [{ title }]);
    const m = await metrics();
    const after = metricValue(m, 'pesquel_db_backend_requests_total', { backend: 'replica-1', address: `127.0.0.1:${replica.port}/pesquel` }) ?? 0;
    assert.ok(after >= before + 1, `replica requests ${before} → ${after}`);
    assert.ok((metricValue(m, 'pesquel_db_backend_requests_total', { backend: 'primary', address: `127.0.0.1:${primary.port}/pesquel` }) ?? 0) >= 2);
    assert.equal(metricValue(m, 'pesquel_db_backend_healthy', { backend: 'replica-1', address: `127.0.0.1:${replica.port}/pesquel` }), 1);
    assert.equal(metricValue(m, 'pesquel_db_replica_lag_seconds', { backend: 'replica-1', address: `127.0.0.1:${replica.port}/pesquel` }) !== undefined, true);
  });

  it('/ready lists the replica without requiring it', async () => {
    const r = await ready();
    assert.equal(r.status, 200);
    assert.equal(r.body.primary.healthy, true);
    assert.deepEqual(r.body.replicas.map((x) => [x.name, x.address, x.healthy]), [['replica-1', `127.0.0.1:${replica.port}/pesquel`, true]]);
  });

  it('skips a stopped replica within a second and takes it back when it returns, failing no request', async () => {
    let skippedMs = Infinity;
    const failures = await underLoad(async () => {
      await replica.halt();
      const t0 = performance.now();
      await until('the replica marked down', async () => ((await ready()).body.replicas[0]?.healthy === false ? true : undefined), 10_000, 20);
      skippedMs = performance.now() - t0;
      assert.equal((await call('GET')).inRecovery, false);
      const r = await ready();
      assert.equal(r.status, 200, 'the primary alone is ready');
      await replica.resume();
      await until('GET on the replica again', async () => ((await call('GET')).inRecovery ? true : undefined), 30_000, 100);
    });
    assert.deepEqual(failures, []);
    assert.ok(skippedMs <= 1000, `marked down after ${Math.round(skippedMs)} ms`);
    assert.ok((metricValue(await metrics(), 'pesquel_db_replica_state_changes_total', { backend: 'replica-1', healthy: 'false' }) ?? 0) >= 1);
  });

  it('sends reads to the primary while replay is paused past db-replica-max-lag (1 s), and back after', async () => {
    await until('the replica in rotation', async () => ((await call('GET')).inRecovery ? true : undefined), 30_000, 100);
    const failures = await underLoad(async () => {
      await sql(replica.superUrl, 'SELECT pg_wal_replay_pause()');
      try {
        // WAL the replica receives but does not replay.
        const w = await fetch(`${running.apiUrl}/todos`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":"while paused"}' });
        assert.equal(w.status, 201);
        await until('reads on the primary', async () => ((await call('GET')).inRecovery ? undefined : true), 15_000, 100);
        const lag = (await ready()).body.replicas[0]?.lag_seconds;
        assert.ok(lag === null || (lag !== undefined && lag > 1), `lag ${String(lag)}`);
      } finally {
        await sql(replica.superUrl, 'SELECT pg_wal_replay_resume()');
      }
      await until('GET on the replica again', async () => ((await call('GET')).inRecovery ? true : undefined), 15_000, 100);
    });
    assert.deepEqual(failures, []);
  });

  describe('a replica behind pgBouncer (transaction mode), and one that is down at start', { skip: !pgBouncerAvailable() && 'no pgbouncer' }, () => {
    let bouncer: PgBouncerServer;
    let pooled: Running;
    let pooledLog = '';
    before(async () => {
      bouncer = await startPgBouncer(replica, { users: [{ name: 'authenticator', password }], poolSize: 2 });
      const nobody = await freePort(); // nothing listens there
      const logs = new PassThrough();
      logs.on('data', (d: Buffer) => { pooledLog += d.toString(); });
      pooled = await startPesquel(loadConfig({ flags: {
        'db-uri': primary.url('authenticator', password),
        'db-replica-uris': `${bouncer.url('authenticator', password)},postgres://authenticator:${password}@127.0.0.1:${nobody}/pesquel`,
        'db-prepared-statements': 'false', 'db-init': 'false', 'server-port': '0', 'admin-server-port': '0', 'admin-ui-port': '0', 'log-level': 'info',
      } }), { logger: createLogger('info', logs, 'json') });
    });
    after(async () => {
      await pooled?.close();
      await bouncer?.stop();
    });

    it('checks its health and reads from it through the pooler', async () => {
      await until('the pooled replica in rotation', async () => {
        const r = await fetch(`${pooled.apiUrl}/rpc/in_recovery`);
        return (await r.json()) === true ? true : undefined;
      }, 15_000, 100);
      const w = await fetch(`${pooled.apiUrl}/rpc/in_recovery`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      assert.equal(await w.json(), false);
    });

    it('reports a replica that is down at start and leaves it out of the rotation', async () => {
      assert.match(pooledLog, /"event":"replica-down","backend":"replica-2","reason":"/);
      assert.ok(!pooledLog.includes(password), 'a password reached the log');
      for (let i = 0; i < 6; i++) {
        const r = await fetch(`${pooled.apiUrl}/rpc/in_recovery`);
        assert.equal(await r.json(), true, `call ${i + 1} did not run on the healthy replica`);
      }
    });
  });

  it('never logs a credential of the primary or the replica', () => {
    // replica-up first at start (the health check ran before the logger was wired), then each change.
    assert.match(log, /"event":"replica-up".*"event":"replica-down"/s, 'the replica events are logged');
    assert.ok(!log.includes(password), 'a password reached the log');
  });
});
