// `pesquel start --workers 2` on PostgreSQL, as a user runs it: both workers serve (their counters
// in the primary's /metrics), a schema reload (SIGUSR1 to the primary, pesquel migrate) reaches both, a
// worker killed with SIGKILL is replaced without losing a request that was not on it, the per-address
// auth limit holds across workers, and SIGTERM lets an in-flight request finish before the exit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { initScripts } from '../../src/db/init.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { pesquel, startPesquelCli, type CliProcess } from './cli.js';
import { freePort } from './free-port.js';
import { metricValue, parseMetrics } from './metrics-text.js';

const password = 'authenticator-workers-test';

interface Answer { readonly status: number; readonly body: string }

/**
 * One request on a connection of its own (`Connection: close`), so the primary hands each to a worker
 * in turn. A connection handed to a worker that is killed at that moment never gets an answer: it
 * fails after `timeoutMs` without activity.
 */
function call(url: string, method = 'GET', body?: string, timeoutMs = 10_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, timeout: timeoutMs, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.end(body);
  });
}

/** The worker processes of `pid` (Linux: /proc/<pid>/task/<pid>/children). */
const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

describe('pesquel start --workers 2 (postgres)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let cli: CliProcess;
  let api: string;
  let admin: string;
  let cwd: string;
  const superSql = async (text: string) => {
    const c = new pg.Client({ connectionString: server.superUrl });
    await c.connect();
    try { await c.query(text); } finally { await c.end(); }
  };
  const metrics = async () => parseMetrics(await (await fetch(`${admin}/metrics`)).text());
  const served = async () => {
    const m = await metrics();
    return [1, 2].map((w) => metricValue(m, 'pesquel_worker_requests_total', { worker: String(w) }) ?? 0);
  };
  /** Sends batches of requests until each worker has answered at least one more than before. */
  const bothServe = async (path: string) => {
    const before = await served();
    await until('both workers to answer', async () => {
      const answers = await Promise.all(Array.from({ length: 8 }, () => call(api + path)));
      for (const a of answers) assert.equal(a.status, 200, a.body);
      const now = await served();
      return now.every((n, i) => n > (before[i] ?? 0)) ? now : undefined;
    });
  };

  before(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'pesquel-workers-'));
    server = await startPostgres();
    for (const s of initScripts()) await superSql(s.sql);
    await superSql(`ALTER ROLE authenticator PASSWORD '${password}'`);
    await superSql(`CREATE FUNCTION api.slow(seconds float8) RETURNS int LANGUAGE sql AS 'SELECT 1 FROM pg_sleep(seconds)';
      GRANT EXECUTE ON FUNCTION api.slow(float8) TO api_anon`);
    const [port, adminPort] = [await freePort(), await freePort()];
    api = `http://127.0.0.1:${port}`;
    admin = `http://127.0.0.1:${adminPort}`;
    cli = startPesquelCli(['start', '--workers', '2', '--db-url', server.url('authenticator', password), '--port', String(port),
      '--admin-server-port', String(adminPort), '--admin-ui-port', '0', '--db-init', 'false', '--auth-rate-limit-ip', '6',
      '--log-level', 'info'], { cwd });
    await until('the workers to be ready', async () => {
      if (cli.child.exitCode !== null) throw new Error('exited');
      return (await fetch(`${admin}/ready`)).status === 200 ? true : undefined;
    }, 60_000);
  });
  after(async () => {
    if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await server?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('serves the API from both workers and sums them on the admin port', async () => {
    await bothServe('/todos');
    const m = await metrics();
    assert.equal(metricValue(m, 'pesquel_workers'), 2);
    assert.equal(metricValue(m, 'pesquel_workers_configured'), 2);
    // The pool gauges are summed: two pools of db-pool (10) connections.
    assert.equal(metricValue(m, 'pgrst_db_pool_max'), 20);
    const total = m.samples.filter((s) => s.name === 'pesquel_http_requests_total').reduce((a, s) => a + s.value, 0);
    const perWorker = (await served()).reduce((a, n) => a + n, 0);
    assert.ok(total >= perWorker - 2 && total > 0, `requests ${total}, per worker ${perWorker}`);
  });

  it('refuses a second start on the same ports at once, naming the port and the option', async () => {
    const port = new URL(api).port;
    const r = await pesquel(['start', '--workers', '2', '--db-url', server.url('authenticator', password), '--port', port,
      '--admin-server-port', '0', '--admin-ui-port', '0', '--db-init', 'false'], { cwd });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^pesquel start: port ${port} on 127\\.0\\.0\\.1 is already in use \\(server-port\\); choose another with --port N\\n$`));
  });

  it('exits non-zero with the worker\'s own error when the workers cannot start', async () => {
    // As a superuser every worker refuses to start (row-level security could be bypassed).
    const r = await pesquel(['start', '--workers', '2', '--db-url', server.superUrl, '--port', '0',
      '--admin-server-port', '0', '--admin-ui-port', '0', '--db-init', 'false'], { cwd });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /pesquel start: PeSquel refuses to start: PeSquel connects as "postgres", a superuser/);
    assert.match(r.stderr, /pesquel start: worker [12] could not start \(exit code 1\); its error is above\n$/);
    assert.doesNotMatch(r.stderr + r.stdout, new RegExp(server.superPassword));
  });

  it('reloads the schema cache of every worker on SIGUSR1 to the primary and after pesquel migrate (NOTIFY)', async () => {
    await superSql(`CREATE TABLE api.by_signal (id int); GRANT SELECT ON api.by_signal TO api_anon`);
    cli.child.kill('SIGUSR1');
    await until('the new table on both workers', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => call(`${api}/by_signal`)));
      return answers.every((a) => a.status === 200) ? true : undefined;
    });
    await bothServe('/by_signal');
    mkdirSync(join(cwd, 'migrations'));
    writeFileSync(join(cwd, 'migrations', '20260101120000_by_migrate.sql'), 'CREATE TABLE api.by_migrate (id int);\nGRANT SELECT ON api.by_migrate TO api_anon;\n');
    const migrated = await pesquel(['migrate', '--db-url', server.superUrl], { cwd });
    assert.equal(migrated.code, 0, migrated.stderr);
    await until('the migrated table on both workers', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => call(`${api}/by_migrate`)));
      return answers.every((a) => a.status === 200) ? true : undefined;
    });
    await bothServe('/by_migrate');
  });

  it('shares the per-address auth limit between workers (429 past auth-rate-limit-ip)', async () => {
    const before = await served();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      // Each attempt on a new connection and a new account: only the address limit can refuse them.
      const r = await call(`${api}/auth/login`, 'POST', JSON.stringify({ email: `nobody-${i}@example.com`, password: 'not the password' }));
      statuses.push(r.status);
    }
    const after = await served();
    assert.ok(after.every((n, i) => n > (before[i] ?? 0)), `both workers answered logins: ${before} → ${after}`);
    // 6 per minute for the address in all: in per-process memory each worker would allow 6 (12 in all).
    assert.ok(statuses.slice(0, 6).every((s) => s !== 429), `first six: ${statuses}`);
    assert.deepEqual(statuses.slice(6), [429, 429, 429, 429], `${statuses}`);
  });

  it('replaces a worker killed with SIGKILL, losing no request that was not on it', async () => {
    const primary = cli.child.pid as number;
    const [victim] = children(primary);
    assert.ok(victim, 'a worker pid');
    let stop = false;
    const failures: string[] = [];
    let answered = 0;
    const load = (async () => {
      while (!stop) {
        try {
          const r = await call(`${api}/todos`);
          if (r.status === 200) answered++;
          else failures.push(`status ${r.status}`);
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    await until('some requests before the kill', async () => (answered >= 5 ? true : undefined));
    process.kill(victim, 'SIGKILL');
    // Starting a replacement takes seconds (a new Node process, its pool, the schema cache): meanwhile
    // the other worker serves, and /ready says not every worker is ready.
    await until('/ready to answer 503 while a worker is missing', async () => ((await fetch(`${admin}/ready`)).status === 503 ? true : undefined));
    await until('a replacement worker', async () => {
      const now = children(primary);
      return now.length === 2 && !now.includes(victim) && (await fetch(`${admin}/ready`)).status === 200 ? true : undefined;
    });
    const atReplacement = answered;
    await until('requests after the replacement', async () => (answered >= atReplacement + 5 ? true : undefined));
    stop = true;
    await load;
    // One request at a time: at most the one on the killed worker may fail.
    assert.ok(failures.length <= 1, `failed: ${failures.join('; ')}`);
    assert.equal(metricValue(await metrics(), 'pesquel_worker_restarts_total'), 1);
    assert.match(cli.stdout(), /"event":"worker-exited"/);
    assert.match(cli.stdout(), /"event":"worker-replaced"/);
    await bothServe('/todos');
  });

  it('drains on SIGTERM: an in-flight request finishes with 200, then the primary exits 0', async () => {
    const slow = call(`${api}/rpc/slow?seconds=1.5`);
    // The request has reached a worker and the database when a backend sleeps in pg_sleep.
    await until('the slow request in the database', async () => {
      const c = new pg.Client({ connectionString: server.superUrl });
      await c.connect();
      try {
        const r = await c.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep'`);
        return r.rowCount ? true : undefined;
      } finally { await c.end(); }
    });
    cli.child.kill('SIGTERM');
    await until('new connections refused', async () => {
      try { await call(`${api}/todos`); return undefined; } catch { return true; }
    });
    const answer = await slow;
    assert.equal(answer.status, 200, answer.body);
    const done = await cli.done;
    assert.equal(done.code, 0, done.stderr);
    assert.doesNotMatch(done.stdout, /connection-budget/);
  });

  it('leaves no worker behind when the primary is killed with SIGKILL', async () => {
    const third = startPesquelCli(['start', '--workers', '2', '--db-url', server.url('authenticator', password), '--port', '0',
      '--admin-server-port', '0', '--admin-ui-port', '0', '--db-init', 'false'], { cwd });
    const primary = third.child.pid as number;
    const workers = await until('two workers serving', async () => {
      if (third.child.exitCode !== null) throw new Error('exited');
      const loaded = third.stdout().match(/"event":"schema-loaded"/g)?.length ?? 0;
      return loaded >= 2 ? children(primary) : undefined;
    }, 60_000);
    assert.equal(workers.length, 2);
    third.child.kill('SIGKILL');
    await third.done;
    await until('the workers to exit', async () => (workers.every((pid) => !existsSync(`/proc/${pid}`)) ? true : undefined));
  });

  it('warns at start when workers × db-pool exceeds the connections the server has free', async () => {
    const max = Number((await (async () => {
      const c = new pg.Client({ connectionString: server.superUrl });
      await c.connect();
      try { return (await c.query<{ max_connections: string }>('SHOW max_connections')).rows[0]?.max_connections; } finally { await c.end(); }
    })()));
    const pool = String(max); // 2 × (max + 1) can never fit
    const second = startPesquelCli(['start', '--workers', '2', '--db-url', server.url('authenticator', password), '--port', '0',
      '--admin-server-port', '0', '--admin-ui-port', '0', '--db-init', 'false', '--db-pool', pool], { cwd });
    try {
      const line = await until('the budget warning', async () => {
        if (second.child.exitCode !== null) throw new Error('exited');
        return /.*"event":"connection-budget".*/.exec(second.stdout())?.[0];
      });
      assert.match(line, new RegExp(`2 workers × \\(db-pool ${pool} \\+ 1 LISTEN\\) = ${2 * (max + 1)} connections, but the server has \\d+ free \\(max_connections ${max}\\)`));
      assert.doesNotMatch(line, new RegExp(password));
    } finally {
      second.child.kill('SIGTERM');
      await second.done;
    }
  });
});

describe('pesquel start --workers on the embedded database', () => {
  it('refuses more than one worker with a one-line message and a non-zero exit', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pesquel-workers-embedded-'));
    try {
      const r = await pesquel(['start', '--workers', '2', '--port', '0', '--admin-server-port', '0', '--admin-ui-port', '0'], { cwd });
      assert.notEqual(r.code, 0);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /server-workers.*embedded database.*allows 1 worker/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('refuses a value that is neither a number nor auto, naming the setting', async () => {
    const r = await pesquel(['start', '--db-url', 'postgres://x@127.0.0.1:1/x', '--workers', 'many'], { cwd: tmpdir() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid setting 'server-workers': expected a whole number or auto, got 'many'/);
  });
});
