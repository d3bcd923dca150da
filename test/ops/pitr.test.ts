// Point-in-time recovery with the real pgbackrest binary and a posix repository: full backup, writes,
// note the time, more writes, stop, `pesquel restore --to-time` (local mode), start: the first writes are
// there, the later ones are not. Also measures the restore time (the RTO figure in docs/operations.md).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { pesquel, startPesquelCli } from './cli.js';
import { pitrFixture, STANZA, type PitrFixture } from './pitr-local.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('pesquel restore --to-time (pgBackRest, local server)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let fx: PitrFixture;

  before(async () => {
    server = await startPostgres();
    fx = await pitrFixture(server);
  });
  after(async () => {
    await server?.stop();
    fx?.cleanup();
  });

  it('rejects a bad time in one line before touching anything', async () => {
    for (const bad of ['yesterday', '2026-13-01 10:00:00+00', '2026-12-04 10:15:00', '2999-01-01 00:00:00+00']) {
      const r = await pesquel(['restore', '--to-time', bad, '--pg-data', server.dataDir, '--stanza', STANZA], { cwd: fx.dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--to-time .*got '/);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('refuses to restore while the server runs', async () => {
    const r = await pesquel(['restore', '--to-latest', '--pg-data', server.dataDir, '--stanza', STANZA, '--pgbackrest-config', fx.config], { cwd: fx.dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is running on .*stop it before restoring/);
  });

  it('restores to the noted time: the first writes are there, the later ones are not', async () => {
    fx.run(['backup', '--type=full']);
    const url = server.superUrl;
    // pgBackRest picks the backup set by its stop time in whole seconds: the target must be in a later second.
    const info = JSON.parse(fx.run(['info', '--output=json'])) as { backup: { timestamp: { stop: number } }[] }[];
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
    fx.pgCtl(['stop', '-m', 'fast', '-w', '-t', '60']);

    const t0 = performance.now();
    const cli = startPesquelCli(['restore', '--to-time', noted!.t, '--pg-data', server.dataDir, '--stanza', STANZA,
      '--pgbackrest-config', fx.config, '--db-url', url, '--timeout', '300'], { cwd: fx.dir });
    let exited = false;
    void cli.done.then(() => { exited = true; });
    await until('the restore to wait for the server', async () => (exited || /Start PostgreSQL now/.test(cli.stdout()) ? true : undefined), 300_000, 100);
    if (exited) assert.fail(`restore ended early: ${JSON.stringify(await cli.done)}`);
    const filesMs = performance.now() - t0;
    fx.pgCtl(['start', '-l', join(fx.dir, 'restored.log'), '-w', '-t', '300']);
    const r = await cli.done;
    const rtoMs = performance.now() - t0;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /public\.events: 5000 rows/);
    console.log(`RTO on the test data (${server.majorVersion}, 1 MB WAL segments, ~1.1 MB table): files restored in ${(filesMs / 1000).toFixed(1)} s, promoted and checked in ${(rtoMs / 1000).toFixed(1)} s`);

    const phases = await query<{ phase: string; n: string }>(url, 'SELECT phase, count(*) AS n FROM public.events GROUP BY 1 ORDER BY 1');
    assert.deepEqual(phases, [{ phase: 'before', n: '5000' }]);
    const recovering = (await query<{ r: boolean }>(url, 'SELECT pg_is_in_recovery() AS r'))[0]!.r;
    assert.equal(recovering, false, 'promoted after reaching the target');
    // The passphrase never reaches a log or the command's output.
    for (const f of [join(dirname(server.dataDir), 'postgres.log'), join(fx.dir, 'restored.log')]) {
      if (existsSync(f)) assert.ok(!readFileSync(f, 'utf8').includes(fx.cipherPass), f);
    }
    assert.ok(!(r.stdout + r.stderr).includes(fx.cipherPass));
  });
});
