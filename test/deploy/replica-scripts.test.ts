// The compose replicas' shell scripts against a real PostgreSQL: deploy/postgres/20-pesquel-replication.sh
// creates the replication role (from its SCRAM secret), its pg_hba line and wal_keep_size, idempotently;
// deploy/postgres/replica-entrypoint.sh copies the primary with pg_basebackup through the passfile,
// the copy's primary_conninfo names the passfile, never the password, and it streams as a hot standby.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { deployDir } from '../../src/cli/stack/paths.js';
import { randomAlphanumeric } from '../../src/cli/stack/random.js';
import { scramSecret } from '../../src/cli/stack/scram.js';
import { pgBinariesAvailable, startPostgres } from '../helpers/postgres-server.js';
import type { PgServer } from '../helpers/postgres-server.js';
import { which } from '../cli/helpers/which.js';
import { until } from '../helpers/until.js';
import { freePort } from '../ops/free-port.js';

const tools = pgBinariesAvailable() && which('pg_basebackup') !== undefined && which('psql') !== undefined;
const HOOK = join(deployDir(), 'postgres', '20-pesquel-replication.sh');
const ENTRYPOINT = join(deployDir(), 'postgres', 'replica-entrypoint.sh');

/** The OS user the clone runs as: the harness's `postgres` when we are root (pg_basebackup's files must be its). */
function osUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

describe('compose replica scripts on a real PostgreSQL', { skip: !tools && 'PostgreSQL server binaries, psql or pg_basebackup not installed' }, () => {
  let server: PgServer;
  let work: string;
  let standby: ChildProcess | undefined;
  const password = randomAlphanumeric(32);
  const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const c = new pg.Client({ connectionString: server.superUrl });
    c.on('error', () => undefined);
    await c.connect();
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const hook = () => spawnSync('sh', [HOOK], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH, PGHOST: server.host, PGPORT: String(server.port), PGPASSWORD: server.superPassword,
      POSTGRES_USER: server.superUser, POSTGRES_DB: server.database, PGDATA: server.dataDir,
      PESQUEL_REPLICATION_SCRAM: scramSecret(password),
    },
  });

  before(async () => {
    server = await startPostgres();
    work = mkdtempSync(join(tmpdir(), 'pesquel-replica-'));
    const owner = osUser();
    if (owner) chownSync(work, owner.uid, owner.gid);
  });
  after(async () => {
    if (standby && standby.exitCode === null) {
      const exited = once(standby, 'exit');
      standby.kill('SIGINT');
      await exited;
    }
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('20-pesquel-replication.sh: a REPLICATION LOGIN role (no superuser), its pg_hba line once, wal_keep_size', async () => {
    for (let i = 0; i < 2; i++) {
      const r = hook();
      assert.equal(r.status, 0, r.stderr);
      assert.ok(!`${r.stdout}${r.stderr}`.includes(password));
    }
    const [role] = await query<{ rolreplication: boolean; rolsuper: boolean; rolcanlogin: boolean; scram: boolean }>(
      "SELECT rolreplication, rolsuper, rolcanlogin, rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname = 'replicator'");
    assert.deepEqual(role, { rolreplication: true, rolsuper: false, rolcanlogin: true, scram: true });
    const hba = readFileSync(join(server.dataDir, 'pg_hba.conf'), 'utf8');
    assert.equal(hba.split('\n').filter((l) => l === 'host replication replicator all scram-sha-256').length, 1);
    const rules = await query<{ n: string }>("SELECT count(*) AS n FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND 'replicator' = ANY(user_name)");
    assert.equal(rules[0]?.n, '1');
    assert.deepEqual(await query('SHOW wal_keep_size'), [{ wal_keep_size: '1GB' }]);
  });

  it('20-pesquel-replication.sh refuses a secret that is not a SCRAM secret', () => {
    const r = spawnSync('sh', [HOOK], { encoding: 'utf8', env: { PATH: process.env.PATH, PGDATA: server.dataDir, PESQUEL_REPLICATION_SCRAM: 'plain-password' } });
    assert.match(r.stderr, /not a SCRAM-SHA-256 secret; refusing to use it/);
  });

  it('replica-entrypoint.sh copies the primary through the passfile; primary_conninfo names the passfile, not the password', () => {
    const secret = join(work, 'replication_pgpass');
    writeFileSync(secret, `${server.host}:${server.port}:replication:replicator:${password}\n`, { mode: 0o600 });
    const owner = osUser();
    if (owner) chownSync(secret, owner.uid, owner.gid);
    const data = join(work, 'data');
    const passfile = join(work, 'pesquel-replication.pgpass');
    const r = spawnSync('sh', [ENTRYPOINT, 'postgres'], {
      encoding: 'utf8',
      ...(owner ?? {}),
      env: {
        PATH: process.env.PATH, PGDATA: data, PESQUEL_PRIMARY_HOST: server.host, PESQUEL_PRIMARY_PORT: String(server.port),
        PESQUEL_REPLICATION_PASSFILE: passfile, PESQUEL_REPLICATION_PGPASS_SECRET: secret, PESQUEL_REPLICA_CLONE_ONLY: '1',
      },
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /copied .* into .*; starting as a hot standby/);
    assert.ok(existsSync(join(data, 'PG_VERSION')) && existsSync(join(data, 'standby.signal')));
    assert.equal(statSync(passfile).mode & 0o777, 0o600);
    assert.equal(statSync(data).mode & 0o777, 0o700);
    const auto = readFileSync(join(data, 'postgresql.auto.conf'), 'utf8');
    assert.match(auto, /primary_conninfo = '.*user=replicator.*'/);
    assert.ok(auto.includes(`passfile=''${passfile}''`), auto);
    for (const text of [auto, r.stdout, r.stderr]) assert.ok(!text.includes(password), 'the password stays in the passfile');
  });

  it('the copy starts as a hot standby that streams through the passfile', async () => {
    const owner = osUser();
    const port = await freePort();
    standby = spawn('postgres', ['-D', join(work, 'data'), '-p', String(port), '-k', work, '-c', 'listen_addresses=127.0.0.1', '-c', 'hot_standby_feedback=on'], {
      stdio: 'ignore', ...(owner ?? {}), env: { PATH: process.env.PATH },
    });
    standby.on('error', () => undefined);
    const replicaUrl = new URL(server.superUrl);
    replicaUrl.port = String(port);
    const onReplica = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
      const c = new pg.Client({ connectionString: replicaUrl.toString() });
      c.on('error', () => undefined);
      await c.connect();
      try {
        return (await c.query<T>(sql)).rows;
      } finally {
        await c.end();
      }
    };
    const [recovery] = await until('the standby to accept connections', () => onReplica<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'), 60_000);
    assert.deepEqual(recovery, { r: true });
    await query('CREATE TABLE streamed (v text); INSERT INTO streamed VALUES (\'after the copy\')');
    const rows = await until('the row to reach the standby', async () => {
      const got = await onReplica<{ v: string }>('SELECT v FROM streamed');
      return got.length > 0 ? got : undefined;
    }, 60_000);
    assert.deepEqual(rows, [{ v: 'after the copy' }]);
    const [receiver] = await onReplica<{ status: string }>('SELECT status FROM pg_stat_wal_receiver');
    assert.equal(receiver?.status, 'streaming');
  });
});
