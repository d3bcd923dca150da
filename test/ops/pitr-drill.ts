// The point-in-time drill shared by the posix and S3 repository tests: full backup, writes, note the
// time (after a WAL switch), more writes, stop, `pesquel restore --to-time` (local mode), start, check.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { PgServer } from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { startPesquelCli } from './cli.js';
import { STANZA, type PitrFixture } from './pitr-local.js';

export async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** Runs the drill and asserts its outcome; returns the measured restore times (ms). */
export async function pointInTimeDrill(server: PgServer, fx: PitrFixture, label: string): Promise<{ filesMs: number; rtoMs: number }> {
    await fx.run(['backup', '--type=full']);
    const url = server.superUrl;
    // pgBackRest picks the backup set by its stop time in whole seconds: the target must be in a later second.
    const info = JSON.parse(await fx.run(['info', '--output=json'])) as { backup: { timestamp: { stop: number } }[] }[];
    const stop = info[0]!.backup.at(-1)!.timestamp.stop;
    await until('a second after the backup', async () => ((await query<{ s: number }>(url, 'SELECT extract(epoch FROM now())::float8 AS s'))[0]!.s >= stop + 1 ? true : undefined), 10_000, 100);
    await query(url, `CREATE TABLE public.events (id serial PRIMARY KEY, phase text NOT NULL, payload text)`);
    await query(url, `INSERT INTO public.events (phase, payload) SELECT 'before', repeat('x', 200) FROM generate_series(1, 5000)`);
    const [noted] = await query<{ t: string }>(url, `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS t`);
    const wal = (await query<{ wal: string }>(url, 'SELECT pg_walfile_name(pg_switch_wal()) AS wal'))[0]!.wal;
    await query(url, `INSERT INTO public.events (phase) SELECT 'after' FROM generate_series(1, 300)`);
    await query(url, 'DELETE FROM public.events WHERE id <= 10');
    await query(url, 'SELECT pg_switch_wal()');
    // The segment holding the noted time must be in the repository before the server goes away.
    await until('WAL archived', async () => {
      const [a] = await query<{ w: string | null }>(url, 'SELECT last_archived_wal AS w FROM pg_stat_archiver');
      return a?.w !== null && a !== undefined && (a.w as string) >= wal ? true : undefined;
    }, 60_000, 200);
    await fx.pgCtl(['stop', '-m', 'fast', '-w', '-t', '60']);

    const t0 = performance.now();
    // Stands in for the API: the restore's last check is that it answers.
    const api = createServer((_req, res) => res.end('{}')).listen(0, '127.0.0.1');
    api.unref(); // a failed assertion below must not keep the test process alive
    await new Promise((resolve, reject) => { api.once('listening', resolve); api.once('error', reject); });
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/`;
    const cli = startPesquelCli(['restore', '--to-time', noted!.t, '--pg-data', server.dataDir, '--stanza', STANZA,
      '--pgbackrest-config', fx.config, '--db-url', url, '--api-url', apiUrl, '--timeout', '300'], { cwd: fx.dir });
    let exited = false;
    void cli.done.then(() => { exited = true; });
    await until('the restore to wait for the server', async () => (exited || /Start PostgreSQL now/.test(cli.stdout()) ? true : undefined), 300_000, 100);
    if (exited) assert.fail(`restore ended early: ${JSON.stringify(await cli.done)}`);
    const filesMs = performance.now() - t0;
    await fx.pgCtl(['start', '-l', join(fx.dir, 'restored.log'), '-w', '-t', '300']);
    const r = await cli.done;
    const rtoMs = performance.now() - t0;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    api.close();
    assert.match(r.stdout, /public\.events: 5000 rows/);
    assert.match(r.stdout, /The API answers \(200\)/);
    console.log(`RTO on the test data (${label}, PostgreSQL ${server.majorVersion}, 1 MB WAL segments, ~1.1 MB table): files restored in ${(filesMs / 1000).toFixed(1)} s, promoted and checked in ${(rtoMs / 1000).toFixed(1)} s`);

    const phases = await query<{ phase: string; n: string }>(url, 'SELECT phase, count(*) AS n FROM public.events GROUP BY 1 ORDER BY 1');
    assert.deepEqual(phases, [{ phase: 'before', n: '5000' }]);
    const recovering = (await query<{ r: boolean }>(url, 'SELECT pg_is_in_recovery() AS r'))[0]!.r;
    assert.equal(recovering, false, 'promoted after reaching the target');
    // The passphrase never reaches a log or the command's output.
    for (const f of [join(dirname(server.dataDir), 'postgres.log'), join(fx.dir, 'restored.log')]) {
      if (existsSync(f)) assert.ok(!readFileSync(f, 'utf8').includes(fx.cipherPass), f);
    }
    assert.ok(!(r.stdout + r.stderr).includes(fx.cipherPass));
  return { filesMs, rtoMs };
}
