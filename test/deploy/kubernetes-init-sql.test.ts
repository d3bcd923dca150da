// The init SQL that CloudNativePG runs in a new database (deploy/kubernetes/init-sql.yaml), on a real
// PostgreSQL, the way CloudNativePG runs it: one exec as the superuser. Afterwards PeSquel starting
// over the authenticator finds nothing to apply, and the roles are those deploy/kubernetes expects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { initSql } from '../../src/cli/stack/k8s-init-sql.js';
import { prepareDatabase } from '../../src/db/init.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { pgBinariesAvailable, startPostgres } from '../helpers/postgres-server.js';
import type { PgServer } from '../helpers/postgres-server.js';

describe('deploy/kubernetes init SQL on a real PostgreSQL', { skip: !pgBinariesAvailable() && 'PostgreSQL server binaries not installed' }, () => {
  let server: PgServer;
  let su: pg.Client;
  before(async () => {
    server = await startPostgres();
    su = new pg.Client({ connectionString: server.superUrl });
    su.on('error', () => undefined);
    await su.connect();
  });
  after(async () => {
    await su?.end().catch(() => undefined);
    await server?.stop();
  });

  it('runs in one exec as the superuser (simple query protocol, as CloudNativePG sends it)', async () => {
    await su.query(initSql());
    const { rows } = await su.query<{ rolsuper: boolean; rolinherit: boolean; rolcanlogin: boolean }>(
      "SELECT rolsuper, rolinherit, rolcanlogin FROM pg_roles WHERE rolname = 'authenticator'");
    assert.deepEqual(rows, [{ rolsuper: false, rolinherit: false, rolcanlogin: true }], 'the role the managed-roles entry expects');
    const members = await su.query<{ r: string }>(
      "SELECT g.rolname AS r FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = 'authenticator' ORDER BY 1");
    assert.deepEqual(members.rows.map((x) => x.r), ['api_anon', 'api_user'], 'the inRoles of cluster.yaml');
  });

  it('the production defaults are applied: anonymous clients cannot write api.todos', async () => {
    const { rows } = await su.query<{ insert: boolean; select: boolean }>(
      "SELECT has_table_privilege('api_anon', 'api.todos', 'INSERT') AS insert, has_table_privilege('api_anon', 'api.todos', 'SELECT') AS select");
    assert.deepEqual(rows, [{ insert: false, select: true }]);
  });

  it('PeSquel starting as the authenticator afterwards has nothing to apply', async () => {
    await su.query("ALTER ROLE authenticator PASSWORD 'k8s-test-password'");
    const db = new PostgresDb({ uri: server.url('authenticator', 'k8s-test-password'), poolSize: 1, acquisitionTimeoutMs: 5000, idleTimeoutMs: 1000, applicationName: 'k8s-init-test' });
    try {
      assert.deepEqual(await prepareDatabase(db, 'api'), { seeded: false, upgraded: [] });
    } finally {
      await db.close();
    }
  });
});
