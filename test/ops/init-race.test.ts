// Two processes initialising one fresh database at once (a server and `pesquel migrate`, or two
// migrates): the init SQL runs once, under an advisory lock, and neither fails on the roles.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ensureInitialized } from '../../src/db/init.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { pgBinariesAvailable, startPostgres } from '../helpers/postgres-server.js';

describe('init on a fresh database from two connections at once', () => {
  it('applies the init SQL once; the other caller sees it done', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, async () => {
    const server = await startPostgres();
    const dbs = [0, 1].map(() => new PostgresDb({ uri: server.superUrl, poolSize: 1, acquisitionTimeoutMs: 10_000, idleTimeoutMs: 10_000 }));
    try {
      const results = await Promise.all(dbs.map((db) => ensureInitialized(db, 'api')));
      assert.deepEqual(results.sort(), [false, true]);
      const roles = await dbs[0]!.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname IN ('authenticator', 'api_anon', 'api_user')`);
      assert.equal(roles.rows[0]?.n, 3);
    } finally {
      for (const db of dbs) await db.close();
      await server.stop();
    }
  });
});
