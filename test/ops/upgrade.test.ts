// Upgrades: a data directory or database made by an older PeSquel (test/fixtures/old-init-e191323.sql,
// before the auth service existed) gains PeSquel's own newer objects at start — versioned, checksummed
// internal migrations — without the user's own objects being touched; N instances upgrade once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { initScripts, internalMigrations, prepareDatabase } from '../../src/db/init.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { startPesquel } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { fixturesDir } from '../helpers/backends.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';

const oldInit = readFileSync(join(fixturesDir, 'old-init-e191323.sql'), 'utf8');
const versions = internalMigrations().map((m) => m.name);

describe('internal migrations on an embedded data directory made by an older PeSquel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-upgrade-'));
  before(async () => {
    const db = await PgliteDb.open(dir);
    try {
      await db.withConnection((c) => c.exec(oldInit));
      // A user's own object in the api schema, made with the old version.
      await db.withConnection((c) => c.exec(`CREATE TABLE api.mine (id int PRIMARY KEY, note text); INSERT INTO api.mine VALUES (1, 'kept')`));
    } finally {
      await db.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('pesquel start applies what is missing (the auth service works), keeps the user objects, and does it once', async () => {
    const config = loadConfig({ flags: { 'data-dir': dir, 'server-port': '0', 'admin-server-port': '0', 'admin-ui-port': '0', 'embedded-psql-port': '0', 'log-level': 'error' } });
    const running = await startPesquel(config, { logger: createLogger('error') });
    try {
      assert.equal(running.initialized, false, 'the api schema existed: the seed is not applied again');
      const applied = await running.db.query<{ name: string }>('SELECT name FROM pesquel.internal_migrations ORDER BY version');
      assert.deepEqual(applied.rows.map((r) => r.name), versions);
      const signup = await fetch(`${running.apiUrl}/auth/signup`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ann@example.com', password: 'correct horse battery' }),
      });
      assert.equal(signup.status, 201, await signup.clone().text());
      const mine = await fetch(`${running.apiUrl}/mine`);
      assert.equal(mine.status, 401, 'the old grants of api.mine are untouched: api_anon never had any');
      const rows = await running.db.query<{ note: string }>('SELECT note FROM api.mine');
      assert.deepEqual(rows.rows, [{ note: 'kept' }]);
      const notes = await running.db.query<{ t: string | null }>(`SELECT to_regclass('api.notes')::text AS t`);
      assert.equal(notes.rows[0]?.t, null, 'the example api.notes is seed, not an internal object: an upgrade never adds it');
    } finally {
      await running.close();
    }
    const db = await PgliteDb.open(dir);
    try {
      assert.deepEqual(await prepareDatabase(db, 'api'), { seeded: false, upgraded: [] });
    } finally {
      await db.close();
    }
  });
});

describe('internal migrations on a PostgreSQL server', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => server?.stop());

  const open = (user: string, password: string, database: string) =>
    new PostgresDb({ uri: server.url(user, password, database), poolSize: 1, acquisitionTimeoutMs: 20_000, idleTimeoutMs: 10_000 });
  /** Runs fn on a new database (as the superuser), holding the old or the fresh init SQL. */
  async function withDatabase(name: string, init: 'old' | 'fresh', fn: (su: PostgresDb) => Promise<void>): Promise<void> {
    const admin = open(server.superUser, server.superPassword, server.database);
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.close();
    }
    const su = open(server.superUser, server.superPassword, name);
    try {
      for (const sql of init === 'old' ? [oldInit] : initScripts().map((s) => s.sql)) await su.withConnection((c) => c.exec(sql));
      await su.query(`ALTER ROLE authenticator PASSWORD 'upgrade-test-pw'`);
      await fn(su);
    } finally {
      await su.close();
    }
  }
  async function asAuthenticator(database: string, fn: (db: PostgresDb) => Promise<void>): Promise<void> {
    const db = open('authenticator', 'upgrade-test-pw', database);
    try {
      await fn(db);
    } finally {
      await db.close();
    }
  }

  it('three instances starting on an old database at once upgrade it once', () => withDatabase('old_one', 'old', async (su) => {
    const dbs = [0, 1, 2].map(() => open(server.superUser, server.superPassword, 'old_one'));
    try {
      const results = await Promise.all(dbs.map((db) => prepareDatabase(db, 'api')));
      assert.deepEqual(results.map((r) => r.upgraded.length).sort(), [0, 0, versions.length]);
      assert.ok(results.every((r) => !r.seeded));
      const users = await su.query<{ t: string | null }>(`SELECT to_regclass('auth.users')::text AS t`);
      assert.equal(users.rows[0]?.t, 'auth.users');
    } finally {
      for (const db of dbs) await db.close();
    }
  }));

  it('a fresh database set up from initScripts() (tests, benchmarks) records every version, so the authenticator finds nothing pending', () =>
    withDatabase('fresh_one', 'fresh', () => asAuthenticator('fresh_one', async (auth) => {
      assert.deepEqual(await prepareDatabase(auth, 'api'), { seeded: false, upgraded: [] });
    })));

  it('a role that may not upgrade gets a clear error naming the pending versions; a changed file is refused', () => withDatabase('stale_one', 'old', async (su) => {
    await asAuthenticator('stale_one', async (auth) => {
      const names = versions.join(', ').replace(/\./g, '\\.');
      await assert.rejects(prepareDatabase(auth, 'api'), new RegExp(`could not upgrade PeSquel's own database objects \\(${names}\\): permission denied`));
    });
    assert.equal((await prepareDatabase(su, 'api')).upgraded.length, versions.length);
    await su.query(`UPDATE pesquel.internal_migrations SET checksum = 'edited' WHERE version = 1`);
    await assert.rejects(prepareDatabase(su, 'api'), /internal migration 0001-roles\.sql was applied with another content/);
  }));
});
