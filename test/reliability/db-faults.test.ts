// PeSquel survives its database's faults (issue 20, item 2): backends terminated every 300 ms under
// 20 concurrent writers, `pg_ctl restart` fast and immediate, the admin SQL editor terminating its
// own session and the admin's Terminate button killing an API request's backend. PeSquel runs in
// this process: an unhandled 'error' event on any connection would end the test run. After each
// fault every acknowledged (201) write must be in the table, every other answer PostgREST-shaped,
// and the API, /ready and LISTEN-driven schema reloads must come back by themselves.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { backendKinds, randomName, startTestApi, type BackendKind, type TestApi } from '../helpers/backends.js';
import { adminClient, adminPassword, signIn, type AdminClient } from '../admin/helpers.js';
import { startAdminUi, type AdminUi } from '../../src/admin/server.js';
import { createAdminServer } from '../../src/http/admin-server.js';
import { applyMigrations } from '../../src/migrate/apply.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { checksumOf, type MigrationFile } from '../../src/migrate/files.js';
import { createLogger } from '../../src/observability/logger.js';
import { until } from '../helpers/until.js';

const run = promisify(execFile);
const superPassword = 'db-faults-super-pw';


/** A superuser session of its own per call: it must work across restarts of the server. */
async function superSql(uri: string, text: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: uri, application_name: 'db-faults-test' });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** `pg_ctl restart -m <mode>` as the data directory's owner, without blocking this process's event loop. */
async function pgCtlRestart(dataDir: string, major: number, mode: 'fast' | 'immediate'): Promise<void> {
  const bin = [`/usr/lib/postgresql/${major}/bin/pg_ctl`].find((p) => existsSync(p)) ?? 'pg_ctl';
  const owner = statSync(dataDir).uid;
  const cmd = process.getuid?.() === 0 && owner !== 0 ? ['runuser', '-u', 'postgres', '--', bin] : [bin];
  const args = [...cmd.slice(1), 'restart', '-m', mode, '-w', '-t', '60', '-D', dataDir, '-s', '-l', `${dirname(dataDir)}/postgres.log`];
  await run(cmd[0] as string, args, { cwd: dirname(dataDir) });
}

interface Writers {
  readonly acked: string[];
  readonly statuses: Map<number, number>;
  /** Non-201 answers that were not PostgREST-shaped, and transport failures. */
  readonly odd: string[];
  stop(): Promise<void>;
}

/** `n` concurrent writers, each POSTing one row after the other until stop(). */
function startWriters(api: TestApi, tag: string, n = 20): Writers {
  const acked: string[] = [];
  const statuses = new Map<number, number>();
  const odd: string[] = [];
  let running = true;
  let seq = 0;
  const writer = async () => {
    while (running) {
      const title = `${tag}-${seq++}`;
      try {
        const r = await api.fetch('/todos', { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'return=minimal' }, body: JSON.stringify({ title }) });
        const text = await r.text();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 201) acked.push(title);
        else if (!/^\{"code":"[0-9A-Z]{5,8}"/.test(text)) odd.push(`${r.status} ${text.slice(0, 200)}`);
      } catch (err) {
        odd.push(`fetch failed: ${String(err)}`);
      }
    }
  };
  const all = Promise.all(Array.from({ length: n }, writer));
  return { acked, statuses, odd, stop: async () => { running = false; await all; } };
}

async function assertAllPresent(uri: string, acked: readonly string[]): Promise<void> {
  const rows = await superSql(uri, 'SELECT count(*)::int AS n FROM api.todos WHERE title = ANY($1::text[])', [acked]);
  assert.equal(rows[0]?.n, acked.length, 'every acknowledged write is in the table');
}

// Without a listener of its own, such an event ends `pesquel start`; here the test runner would
// only report it, so each test also asserts that none happened.
const uncaught: string[] = [];
process.prependListener('uncaughtException', (err) => uncaught.push(String(err)));
const assertNoUncaught = () => assert.deepEqual(uncaught.splice(0), [], 'uncaught exceptions (the process would have ended)');

const dbKinds = backendKinds().filter((k): k is Exclude<BackendKind, 'pglite'> => k !== 'pglite');

for (const kind of dbKinds) {
  describe(`database faults (${kind})`, () => {
    let api: TestApi;
    let superUri: string;
    let ready: Server;
    let readyUrl: string;
    let dataDir: string;
    let major: number;
    const readyStatus = async () => (await fetch(`${readyUrl}/ready`)).status;

    before(async () => {
      api = await startTestApi(kind, { options: { 'db-pool': '10', 'admin-password': adminPassword } });
      await api.sql(`CREATE ROLE db_faults_super LOGIN SUPERUSER PASSWORD '${superPassword}'`);
      // Acknowledged means on disk here too: the harness's servers run with synchronous_commit=off,
      // which an immediate shutdown would (rightly) lose. PeSquel's sessions get it back.
      await api.sql(`ALTER ROLE authenticator SET synchronous_commit = on`);
      await api.sql(`CREATE OR REPLACE FUNCTION api.slow(seconds double precision) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
        BEGIN PERFORM pg_sleep(seconds); RETURN true; END $$; GRANT EXECUTE ON FUNCTION api.slow(double precision) TO api_anon`);
      const u = new URL(api.config.dbListenUri ?? (api.config.dbUri as string));
      u.username = 'db_faults_super';
      u.password = superPassword;
      superUri = u.toString();
      dataDir = String((await api.sql('SHOW data_directory'))[0]?.data_directory);
      major = Math.floor(Number((await api.sql('SHOW server_version_num'))[0]?.server_version_num) / 10000);
      // Sessions opened before the ALTER ROLE go (a fault PeSquel must take anyway).
      await superSql(superUri, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'authenticator'`);
      await api.reload();
      ready = createAdminServer({ db: api.running.db, schema: api.running.schema, readyTimeoutMs: 3000 });
      await new Promise<void>((r) => ready.listen(0, '127.0.0.1', r));
      readyUrl = `http://127.0.0.1:${(ready.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((r) => (ready ? ready.close(() => r()) : r()));
      await api?.close();
    });

    it('backends terminated every 300 ms under 20 writers: no crash, no acknowledged write lost', async () => {
      const w = startWriters(api, randomName(`storm_${kind}`));
      let kills = 0;
      let storming = true;
      const storm = (async () => {
        for (let i = 0; storming; i++) {
          // PeSquel's pool (through pgBouncer: pgBouncer's server sessions), and once its LISTEN session.
          const who = i === 3 ? `application_name = 'pesquel-listener'` : `usename = 'authenticator' AND application_name <> 'pesquel-listener'`;
          const r = await superSql(superUri, `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE ${who}`).catch(() => []);
          kills += Number(r[0]?.n ?? 0);
          await sleep(300);
        }
      })();
      await until('200 acknowledged writes during the storm', async () => (w.acked.length >= 200 ? true : undefined), 30_000);
      await sleep(3000); // the storm's length: 10 rounds of terminations
      storming = false;
      await storm;
      const t0 = performance.now();
      await until('a write after the storm', async () => {
        const n = w.acked.length;
        return until('one more', async () => (w.acked.length > n ? true : undefined), 2000);
      });
      const recovery = performance.now() - t0;
      await w.stop();
      console.log(`[${kind}] storm: ${kills} backends terminated; answers ${JSON.stringify(Object.fromEntries(w.statuses))}; recovered ${Math.round(recovery)} ms after the last termination`);
      assertNoUncaught();
      assert.ok(kills >= 5, `only ${kills} backends terminated`);
      assert.deepEqual(w.odd, []);
      for (const status of w.statuses.keys()) assert.ok([201, 503].includes(status), `unexpected status ${status}`);
      await assertAllPresent(superUri, w.acked);
      assert.equal(await until('/ready 200', async () => ((await readyStatus()) === 200 ? 200 : undefined), 10_000), 200);
      // The LISTEN session came back by itself: a NOTIFY reload shows a new table.
      const table = randomName('after_storm');
      await superSql(superUri, `CREATE TABLE api.${table} (id int); GRANT SELECT ON api.${table} TO api_anon; NOTIFY pgrst, 'reload schema'`);
      await until('the NOTIFY reload', async () => ((await api.fetch(`/${table}`)).status === 200 ? true : undefined), 15_000);
    });

    // Through pgBouncer one mode is enough: pgBouncer waits server_login_retry (15 s by default)
    // after the failed logins of the restart, whatever the mode.
    for (const mode of kind === 'pgbouncer' ? ['immediate'] as const : ['fast', 'immediate'] as const) {
      it(`pg_ctl restart -m ${mode} under 20 writers: no crash, no acknowledged write lost`, async () => {
        const w = startWriters(api, randomName(`${mode}_${kind}`));
        await until('writes before the restart', async () => (w.acked.length >= 50 ? true : undefined));
        const before = w.acked.length;
        await pgCtlRestart(dataDir, major, mode);
        const t0 = performance.now();
        const atRestart = w.acked.length;
        await until('writes after the restart', async () => (w.acked.length >= atRestart + 20 ? true : undefined), 30_000);
        const recovery = performance.now() - t0;
        await w.stop();
        console.log(`[${kind}] restart -m ${mode}: ${before} writes before, answers ${JSON.stringify(Object.fromEntries(w.statuses))}; writing again ${Math.round(recovery)} ms after pg_ctl returned`);
        assertNoUncaught();
        assert.deepEqual(w.odd, []);
        // pgBouncer holds new sessions while the server is away: those answer 504 PGRST003 after the
        // acquisition timeout instead of 503.
        const allowed = kind === 'pgbouncer' ? [201, 503, 504] : [201, 503];
        for (const status of w.statuses.keys()) assert.ok(allowed.includes(status), `unexpected status ${status}`);
        await assertAllPresent(superUri, w.acked);
        assert.equal(await until('/ready 200', async () => ((await readyStatus()) === 200 ? 200 : undefined), 10_000), 200);
      });
    }

    it('/ready answers 200 while every pooled connection is busy', async () => {
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      let taken = 0;
      let allTaken!: () => void;
      const taking = new Promise<void>((r) => { allTaken = r; });
      const holders = Array.from({ length: 10 }, () => api.running.db.withConnection(() => {
        if (++taken === 10) allTaken();
        return held;
      }));
      await taking;
      try {
        assert.equal(api.running.db.poolStats().idle, 0);
        const t0 = performance.now();
        assert.equal(await readyStatus(), 200);
        assert.ok(performance.now() - t0 < 3000);
      } finally {
        release();
        await Promise.all(holders);
      }
    });

    it('a schema reload that fails on an unreachable database is tried again', { skip: kind !== 'postgres' && 'pgBouncer keeps its server sessions logged in' }, async () => {
      const table = randomName('reload_retry');
      // New sessions of PeSquel's role are refused; the pool's are killed (the LISTEN session stays).
      await superSql(superUri, `ALTER ROLE authenticator NOLOGIN`);
      try {
        await superSql(superUri, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'authenticator' AND application_name = 'pesquel'`);
        await superSql(superUri, `CREATE TABLE api.${table} (id int); GRANT SELECT ON api.${table} TO api_anon`);
        await assert.rejects(api.running.schema.reload());
      } finally {
        await superSql(superUri, `ALTER ROLE authenticator LOGIN`);
      }
      // No NOTIFY: the failed reload runs again by itself once the database lets PeSquel in.
      await until('the retried reload', async () => ((await api.fetch(`/${table}`)).status === 200 ? true : undefined), 15_000);
      assertNoUncaught();
    });

    it("a migration whose session is killed: a clear error, nothing of it applied, the next run applies it", { skip: kind !== 'postgres' && 'pesquel migrate connects directly' }, async () => {
      const table = randomName('migrated');
      const sql = `CREATE TABLE api.${table} (id int);\nSELECT pg_sleep(1.5);\n`;
      const file: MigrationFile = { version: '20990101000000', name: table, file: `20990101000000_${table}.sql`, sql, checksum: checksumOf(sql) };
      // As `pesquel migrate` runs: its own pool, as a role that may change the schema.
      const db = new PostgresDb({ uri: superUri, poolSize: 2, acquisitionTimeoutMs: 10_000, idleTimeoutMs: 1000 });
      after(() => db.close());
      const applying = applyMigrations(db, [file], { channel: null }).then(() => null, (err: unknown) => err);
      const pid = await until('the migration in pg_stat_activity', async () => {
        const rows = await superSql(superUri, `SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1.5)%' AND pid <> pg_backend_pid()`);
        return rows[0]?.pid as number | undefined;
      });
      await superSql(superUri, 'SELECT pg_terminate_backend($1)', [pid]);
      const err = await applying;
      assert.ok(err instanceof Error && /terminat/i.test(err.message), String(err));
      assert.deepEqual(await superSql(superUri, `SELECT to_regclass('api.${table}') AS t`), [{ t: null }]);
      const recorded = (await superSql(superUri, `SELECT to_regclass('pesquel.schema_migrations')::text AS t`))[0]?.t === null ? []
        : await superSql(superUri, `SELECT version FROM pesquel.schema_migrations WHERE version = $1`, [file.version]);
      assert.deepEqual(recorded, [], 'nothing recorded');
      assert.deepEqual(await applyMigrations(db, [file], { channel: null }), [file.file]);
      assert.equal((await superSql(superUri, `SELECT to_regclass('api.${table}')::text AS t`))[0]?.t, `api.${table}`);
      await superSql(superUri, `DROP TABLE api.${table}; DELETE FROM pesquel.schema_migrations WHERE version = '${file.version}'`);
      assertNoUncaught();
    });

    if (kind !== 'postgres') return; // the admin UI connects directly: pgBouncer adds nothing here

    describe('admin UI', () => {
      let ui: AdminUi;
      let admin: AdminClient;
      before(async () => {
        ui = await startAdminUi({
          config: { ...api.config, adminDbUri: superUri }, db: api.running.db, apiUrl: api.url,
          logger: createLogger('crit'), reloadSchema: () => api.reload(), port: 0, host: '127.0.0.1',
        });
        admin = adminClient(ui.url);
        const r = await signIn(admin);
        assert.equal(r.status, 200, await r.clone().text());
      });
      after(async () => {
        await ui?.close();
      });

      it("the SQL editor terminating its own session reports an error and keeps working", async () => {
        const r = await admin.fetch('/api/sql/run', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ runId: 'own', sql: 'SELECT pg_terminate_backend(pg_backend_pid())' }),
        });
        const body = await r.text();
        assert.ok(r.status < 600 && /57P01|terminat|connection/i.test(body), `${r.status} ${body}`);
        const again = await admin.call<{ results: { rows: string[][] }[]; error: unknown }>('POST', '/api/sql/run', { runId: 'next', sql: 'SELECT 41 + 1' });
        assert.equal(again.error, null);
        assert.deepEqual(again.results[0]?.rows, [['42']]);
        assertNoUncaught();
      });

      it("the Terminate button on an API request's backend: that request answers 503, the API goes on", async () => {
        const slow = api.fetch('/rpc/slow', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"seconds": 30}' });
        const pid = await until('the slow call in pg_stat_activity', async () => {
          const rows = await superSql(superUri, `SELECT pid FROM pg_stat_activity WHERE query LIKE '%"slow"%' AND state = 'active' AND pid <> pg_backend_pid()`);
          return rows[0]?.pid as number | undefined;
        });
        const signal = await admin.call<{ ok: boolean }>('POST', '/api/activity/signal', { pid, action: 'terminate' });
        assert.equal(signal.ok, true);
        const r = await slow;
        const body = (await r.json()) as { code: string };
        assert.equal(r.status, 503);
        assert.equal(body.code, 'PGRST000');
        assert.ok(Number(r.headers.get('retry-after')) > 0);
        assert.equal((await api.fetch('/todos?limit=1')).status, 200);
        assertNoUncaught();
      });
    });
  });
}
