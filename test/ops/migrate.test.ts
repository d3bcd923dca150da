// Migrations on both backends: order, checksums, missing and out-of-order files, rollback of a
// failing migration, NOTIFY after applying; two `pesquel migrate` processes at once (PostgreSQL
// directly, and the embedded database through its running server's control endpoint).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgliteDb } from '../../src/db/pglite.js';
import { PostgresDb } from '../../src/db/postgres.js';
import type { Db } from '../../src/db/types.js';
import { applyMigrations, migrationStatus } from '../../src/migrate/apply.js';
import { MigrationError, newMigration, readMigrations } from '../../src/migrate/files.js';
import { planMigrations } from '../../src/migrate/plan.js';
import { pgBinariesAvailable, pgBouncerAvailable, startPgBouncer, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { startTestApi } from '../helpers/backends.js';
import { pesquel } from './cli.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const write = (dir: string, file: string, sql: string) => writeFileSync(join(dir, file), sql);

describe('migration files and plan (pure)', () => {
  it('new migrations get increasing timestamp versions and slugs', () => {
    const dir = tmp('pesquel-mig-new-');
    const at = new Date('2026-01-02T03:04:05Z');
    const a = newMigration(dir, 'Add tags!', at);
    const b = newMigration(dir, 'add notes', at);
    assert.match(a, /20260102030405_add_tags\.sql$/);
    assert.match(b, /20260102030406_add_notes\.sql$/);
    assert.deepEqual(readMigrations(dir).map((f) => f.name), ['add_tags', 'add_notes']);
    rmSync(dir, { recursive: true });
  });

  it('rejects badly named and duplicate-version files instead of skipping them', () => {
    const dir = tmp('pesquel-mig-bad-');
    write(dir, 'add_tags.sql', '');
    assert.throws(() => readMigrations(dir), /named <version>_<name>\.sql/);
    unlinkSync(join(dir, 'add_tags.sql'));
    write(dir, '1_a.sql', '');
    write(dir, '1_b.sql', '');
    assert.throws(() => readMigrations(dir), /share version 1/);
    rmSync(dir, { recursive: true });
  });

  it('orders versions numerically and reports every problem', () => {
    const f = (version: string, sql = version) => ({ version, name: 'm', file: `${version}_m.sql`, sql, checksum: `c${sql}` });
    const applied = [{ version: '2', name: 'm', checksum: 'c2', appliedAt: 't' }, { version: '10', name: 'm', checksum: 'c10', appliedAt: 't' }];
    assert.deepEqual(planMigrations([f('2'), f('10'), f('11')], applied).pending.map((x) => x.version), ['11']);
    const p = planMigrations([f('2', 'edited'), f('3'), f('11')], applied);
    assert.deepEqual(p.rows.map((r) => `${r.version}:${r.state}`), ['2:edited', '3:out-of-order', '10:missing', '11:pending']);
    assert.equal(p.problems.length, 3);
  });
});

interface Backend { readonly name: string; open(): Promise<Db>; sql(text: string): Promise<Record<string, unknown>[]>; stop(): Promise<void> }

async function pgliteBackend(): Promise<Backend> {
  const db = await PgliteDb.open(null);
  return { name: 'pglite', open: async () => db, sql: async (t) => (await db.query(t)).rows, stop: () => db.close() };
}

async function postgresBackend(server: PgServer): Promise<Backend> {
  const db = new PostgresDb({ uri: server.superUrl, poolSize: 2, acquisitionTimeoutMs: 5000, idleTimeoutMs: 1000 });
  return { name: 'postgres', open: async () => db, sql: async (t) => (await db.query(t)).rows, stop: () => db.close() };
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`migrations (${kind})`, { skip: kind === 'postgres' && !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
    let server: PgServer | null = null;
    let backend: Backend;
    let db: Db;
    let dir: string;
    before(async () => {
      if (kind === 'postgres') server = await startPostgres();
      backend = kind === 'pglite' ? await pgliteBackend() : await postgresBackend(server as PgServer);
      db = await backend.open();
      dir = tmp('pesquel-mig-');
    });
    after(async () => {
      await backend?.stop();
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const opts = { channel: 'pgrst' };

    it('applies pending migrations in order, each once, with checksums', async () => {
      write(dir, '20260101000000_one.sql', 'CREATE TABLE t1 (id int);');
      write(dir, '20260101000001_two.sql', 'INSERT INTO t1 VALUES (1), (2);');
      assert.deepEqual(await applyMigrations(db, readMigrations(dir), opts), ['20260101000000_one.sql', '20260101000001_two.sql']);
      assert.deepEqual(await applyMigrations(db, readMigrations(dir), opts), []);
      const rows = await backend.sql('SELECT version, name, checksum FROM pesquel.schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.name), ['one', 'two']);
      assert.equal(rows[0]?.checksum, readMigrations(dir)[0]?.checksum);
      assert.deepEqual((await backend.sql('SELECT count(*)::int AS n FROM t1'))[0], { n: 2 });
      const status = await migrationStatus(db, readMigrations(dir));
      assert.deepEqual(status.rows.map((r) => r.state), ['applied', 'applied']);
    });

    it('rolls back a failing migration completely and records nothing', async () => {
      write(dir, '20260102000000_bad.sql', 'CREATE TABLE t2 (id int);\nSELECT no_such_function();');
      await assert.rejects(applyMigrations(db, readMigrations(dir), opts), (e: Error) =>
        e instanceof MigrationError && /20260102000000_bad\.sql failed, nothing of it was applied: .*no_such_function/.test(e.message));
      assert.deepEqual(await backend.sql(`SELECT to_regclass('t2') AS t`), [{ t: null }]);
      assert.equal((await backend.sql('SELECT * FROM pesquel.schema_migrations')).length, 2);
      write(dir, '20260102000000_bad.sql', 'CREATE TABLE t2 (id int);');
      assert.deepEqual(await applyMigrations(db, readMigrations(dir), opts), ['20260102000000_bad.sql']);
    });

    it('stops on an edited applied migration', async () => {
      write(dir, '20260101000001_two.sql', 'INSERT INTO t1 VALUES (1), (2), (3);');
      write(dir, '20260103000000_next.sql', 'CREATE TABLE t3 (id int);');
      await assert.rejects(applyMigrations(db, readMigrations(dir), opts), /20260101000001_two\.sql was edited after it was applied/);
      assert.deepEqual(await backend.sql(`SELECT to_regclass('t3') AS t`), [{ t: null }]);
      write(dir, '20260101000001_two.sql', 'INSERT INTO t1 VALUES (1), (2);');
    });

    it('stops on a missing applied migration', async () => {
      unlinkSync(join(dir, '20260101000000_one.sql'));
      await assert.rejects(applyMigrations(db, readMigrations(dir), opts), /20260101000000_one\.sql was applied on .* but its file is missing/);
      write(dir, '20260101000000_one.sql', 'CREATE TABLE t1 (id int);');
    });

    it('stops on a new file ordered before an applied one', async () => {
      write(dir, '20260101120000_late.sql', 'CREATE TABLE t4 (id int);');
      await assert.rejects(applyMigrations(db, readMigrations(dir), opts), /20260101120000_late\.sql is ordered before the already applied 20260102000000/);
      unlinkSync(join(dir, '20260101120000_late.sql'));
      assert.deepEqual(await applyMigrations(db, readMigrations(dir), opts), ['20260103000000_next.sql']);
    });

    if (kind === 'postgres') {
      it('sends NOTIFY pgrst, \'reload schema\' with each applied migration', async () => {
        const listener = new pg.Client({ connectionString: (server as PgServer).superUrl });
        await listener.connect();
        const got: string[] = [];
        listener.on('notification', (n) => got.push(`${n.channel}:${n.payload ?? ''}`));
        await listener.query('LISTEN pgrst');
        write(dir, '20260104000000_notify.sql', 'CREATE TABLE t5 (id int);');
        await applyMigrations(db, readMigrations(dir), opts);
        await new Promise((r) => setTimeout(r, 200));
        await listener.end();
        assert.deepEqual(got, ['pgrst:reload schema']);
      });
    }
  });
}

describe('two migrate processes at once', () => {
  const files: Record<string, string> = {
    '20260101000000_a.sql': 'CREATE TABLE api.race_a (id int); SELECT pg_sleep(0.5);',
    '20260101000001_b.sql': 'CREATE TABLE api.race_b (id int); GRANT SELECT ON api.race_b TO api_anon;',
    '20260101000002_c.sql': 'INSERT INTO api.race_b VALUES (1), (2), (3);',
  };
  const project = () => {
    const cwd = tmp('pesquel-mig-race-');
    return { cwd, dir: join(cwd, 'migrations') };
  };
  const check = (results: Array<{ code: number; stdout: string; stderr: string }>) => {
    for (const r of results) assert.equal(r.code, 0, r.stderr + r.stdout);
    const applied = results.flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('applied ')));
    assert.equal(applied.length, 3, results.map((r) => r.stdout).join('\n---\n'));
  };

  for (const via of ['postgres', 'pgbouncer'] as const) {
    const skip = !pgBinariesAvailable() ? 'no PostgreSQL binaries' : via === 'pgbouncer' && !pgBouncerAvailable() ? 'no pgBouncer' : false;
    it(`on PostgreSQL${via === 'pgbouncer' ? ' through pgBouncer (transaction mode)' : ''}: one waits for the other, every migration runs once`, { skip }, async () => {
      const server = await startPostgres();
      const bouncer = via === 'pgbouncer' ? await startPgBouncer(server, { users: [], poolMode: 'transaction' }) : null;
      const url = bouncer ? bouncer.url(server.superUser, server.superPassword) : server.superUrl;
      const { cwd, dir } = project();
      try {
        mkdirSync(dir, { recursive: true });
        for (const [f, sql] of Object.entries(files)) write(dir, f, sql);
        const run = () => pesquel(['migrate', '--db-url', url], { cwd });
        check(await Promise.all([run(), run()]));
        const c = new pg.Client({ connectionString: server.superUrl });
        await c.connect();
        const n = (await c.query('SELECT count(*)::int AS n FROM pesquel.schema_migrations')).rows[0] as { n: number };
        const rows = (await c.query('SELECT count(*)::int AS n FROM api.race_b')).rows[0] as { n: number };
        await c.end();
        assert.equal(n.n, 3);
        assert.equal(rows.n, 3);
        const status = await pesquel(['migrate', 'status', '--db-url', url], { cwd });
        assert.equal(status.code, 0);
        assert.match(status.stdout, /3 applied, 0 pending/);
      } finally {
        await bouncer?.stop();
        await server.stop();
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  }

  it('on the embedded database while PeSquel runs: both go through the server, which reloads its schema', async () => {
    const api = await startTestApi('pglite');
    const { cwd, dir } = project();
    try {
      mkdirSync(dir, { recursive: true });
      for (const [f, sql] of Object.entries(files)) write(dir, f, sql);
      assert.equal((await api.fetch('/race_b')).status, 404);
      const run = () => pesquel(['migrate', '--data-dir', api.config.dataDir], { cwd });
      const results = await Promise.all([run(), run()]);
      check(results);
      assert.match(results.map((r) => r.stdout).join(''), /by the running server/);
      const r = await api.fetch('/race_b?select=id&order=id');
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), [{ id: 1 }, { id: 2 }, { id: 3 }]);
      // An edited applied migration: a clear one-line error and a non-zero exit.
      write(dir, '20260101000002_c.sql', 'INSERT INTO api.race_b VALUES (4);');
      const bad = await pesquel(['migrate', '--data-dir', api.config.dataDir], { cwd });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^pesquel migrate: migration 20260101000002_c\.sql was edited after it was applied/);
      assert.equal(bad.stderr.trim().split('\n').length, 1);
      const status = await pesquel(['migrate', 'status', '--data-dir', api.config.dataDir], { cwd });
      assert.equal(status.code, 1);
      assert.match(status.stdout, /edited\s+20260101000002_c/);
    } finally {
      await api.close();
      rmSync(cwd, { recursive: true, force: true });
    }
    // The server removes its control file when it stops (other test files may have their own).
    assert.equal(existsSync(`${api.config.dataDir}.control.json`), false);
  });
});
