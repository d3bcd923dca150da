// Tests for the real-server harness: PostgreSQL, streaming replicas and pgBouncer start, authenticate with
// SCRAM, keep transaction-local roles inside the transaction, survive restart(), and leave nothing behind on stop().
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { pgBinariesAvailable, pgBouncerAvailable, startPgBouncer, startPostgres, startReplica } from './postgres-server.js';
import type { PgBouncerServer, PgReplica, PgServer } from './postgres-server.js';
import { until } from './until.js';

const noPg = !pgBinariesAvailable() && 'PostgreSQL server binaries not found';
const noBouncer = (noPg || !pgBouncerAvailable()) && 'PostgreSQL or pgbouncer not found';
// Characters that must survive URL encoding, SQL quoting and pgBouncer's userlist quoting.
const APP_PASSWORD = `p'a"s s:@/%?#`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function one(client: pg.Client, sql: string): Promise<unknown> {
  const { rows } = await client.query<Record<string, unknown>>(sql);
  return Object.values(rows[0] ?? {})[0];
}

/** Live (non-zombie) processes as pid → parent pid, from /proc. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && fields[0] !== 'X') table.set(Number(name), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  return table;
}

function withDescendants(root: number): number[] {
  const table = processTable();
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, ppid] of table) if (ppid === found[i]) found.push(pid);
  }
  return found;
}

/** pgBouncer processes started by this test process (the harness spawns them directly). */
function bouncerChildren(): number[] {
  return [...processTable()].filter(([pid, ppid]) => {
    try {
      return ppid === process.pid && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'pgbouncer';
    } catch {
      return false;
    }
  }).map(([pid]) => pid);
}

function postmasterPid(server: PgServer): number {
  return Number(readFileSync(`${server.dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
}

describe('startPostgres', { skip: noPg }, () => {
  let server: PgServer;

  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());

  it('serves the superuser over loopback TCP with SCRAM, on database pesquel', async () => {
    assert.equal(server.host, '127.0.0.1');
    await withClient(server.superUrl, async (c) => {
      const { rows } = await c.query(
        `SELECT current_database() AS db, current_user AS "user", host(inet_server_addr()) AS addr,
                current_setting('server_version_num')::int / 10000 AS major, current_setting('fsync') AS fsync,
                current_setting('password_encryption') AS enc, pg_encoding_to_char(encoding) AS encoding
           FROM pg_database WHERE datname = current_database()`,
      );
      assert.deepEqual(rows[0], {
        db: 'pesquel', user: 'postgres', addr: '127.0.0.1', major: server.majorVersion, fsync: 'off',
        enc: 'scram-sha-256', encoding: 'UTF8',
      });
    });
    await assert.rejects(withClient(server.url('postgres', 'wrong'), async () => undefined), /password authentication failed/);
  });

  it('lets a LOGIN role with a password connect directly', async () => {
    await withClient(server.superUrl, async (c) => {
      await c.query(`CREATE ROLE app_user LOGIN PASSWORD ${c.escapeLiteral(APP_PASSWORD)}`);
      await c.query('CREATE ROLE web_anon NOLOGIN');
      await c.query('GRANT web_anon TO app_user');
    });
    await withClient(server.url('app_user', APP_PASSWORD), async (c) => {
      assert.equal(await one(c, 'SELECT current_user'), 'app_user');
    });
  });

  describe('behind pgBouncer', { skip: noBouncer }, () => {
    let bouncer: PgBouncerServer;
    before(async () => {
      bouncer = await startPgBouncer(server, { users: [{ name: 'app_user', password: APP_PASSWORD }], poolSize: 1 });
    });
    after(() => bouncer?.stop());

    it('pools in transaction mode: two clients share the one server connection', async () => {
      assert.notEqual(bouncer.port, server.port);
      await withClient(bouncer.url('app_user', APP_PASSWORD), async (a) => {
        await withClient(bouncer.url('app_user', APP_PASSWORD), async (b) => {
          assert.equal(await one(a, 'SELECT pg_backend_pid()'), await one(b, 'SELECT pg_backend_pid()'));
        });
      });
    });

    it("keeps set_config('role', …, true) inside its transaction", async () => {
      await withClient(bouncer.url('app_user', APP_PASSWORD), async (a) => {
        await withClient(bouncer.url('app_user', APP_PASSWORD), async (b) => {
          await a.query('BEGIN');
          await a.query(`SELECT set_config('role', 'web_anon', true)`);
          assert.equal(await one(a, 'SELECT current_user'), 'web_anon');
          await a.query('COMMIT');
          assert.equal(await one(b, 'SELECT current_user'), 'app_user');
          assert.equal(await one(a, 'SELECT current_user'), 'app_user');
        });
      });
    });

    it('rejects a wrong password', async () => {
      await assert.rejects(withClient(bouncer.url('app_user', 'nope'), async () => undefined));
    });
  });

  it('restart() keeps the port and the data', async () => {
    const port = server.port;
    await withClient(server.superUrl, (c) => c.query('CREATE TABLE kept AS SELECT 42 AS answer'));
    const before = postmasterPid(server);
    await server.restart();
    assert.equal(server.port, port);
    assert.notEqual(postmasterPid(server), before);
    await withClient(server.superUrl, async (c) => {
      assert.equal(await one(c, 'SELECT answer FROM kept'), 42);
    });
  });
});

describe('startReplica', { skip: noPg }, () => {
  let primary: PgServer;
  let replica: PgReplica;

  before(async () => {
    primary = await startPostgres();
    await withClient(primary.superUrl, (c) => c.query('CREATE TABLE seen (n int); INSERT INTO seen VALUES (1)'));
    replica = await startReplica(primary);
  });
  after(async () => {
    await replica?.stop();
    await primary?.stop();
  });

  it('is a hot standby of the primary on its own port, with the same superuser and database', async () => {
    assert.notEqual(replica.port, primary.port);
    assert.equal(replica.superPassword, primary.superPassword);
    await withClient(replica.superUrl, async (c) => {
      assert.equal(await one(c, 'SELECT pg_is_in_recovery()'), true);
      assert.equal(await one(c, 'SELECT current_database()'), 'pesquel');
      assert.equal(await one(c, 'SELECT count(*)::int FROM seen'), 1);
      await assert.rejects(c.query('INSERT INTO seen VALUES (2)'), /read-only transaction/);
    });
    // Its WAL receiver connects on its own once the replica is up.
    await until('the replica streaming', () => withClient(primary.superUrl, async (c) =>
      (await one(c, "SELECT count(*)::int FROM pg_stat_replication WHERE state = 'streaming'")) === 1 ? true : undefined));
  });

  it('catchUp() waits for what the primary wrote; halt() and resume() keep the data and catch up over the slot', async () => {
    await withClient(primary.superUrl, (c) => c.query('INSERT INTO seen SELECT generate_series(2, 100)'));
    await replica.catchUp();
    await withClient(replica.superUrl, async (c) => assert.equal(await one(c, 'SELECT count(*)::int FROM seen'), 100));
    const port = replica.port;
    await replica.halt();
    await assert.rejects(withClient(replica.superUrl, async () => undefined));
    await withClient(primary.superUrl, (c) => c.query('INSERT INTO seen SELECT generate_series(101, 5000)'));
    await replica.resume();
    assert.equal(replica.port, port);
    await replica.catchUp();
    await withClient(replica.superUrl, async (c) => assert.equal(await one(c, 'SELECT count(*)::int FROM seen'), 5000));
  });

  it('stop() removes the replica and its replication slot, and leaves the primary running', async () => {
    const other = await startReplica(primary);
    const slots = () => withClient(primary.superUrl, (c) => one(c, 'SELECT count(*)::int FROM pg_replication_slots'));
    assert.equal(await slots(), 2);
    const pids = withDescendants(postmasterPid(other));
    await other.stop();
    await other.stop(); // idempotent
    assert.equal(await slots(), 1);
    const alive = processTable();
    assert.deepEqual(pids.filter((pid) => alive.has(pid)), []);
    assert.equal(existsSync(other.dataDir), false);
  });
});

describe('server lifecycle', { skip: noPg }, () => {
  it('starts servers side by side, each quickly once the template exists', async (t) => {
    await startPostgres().then((s) => s.stop()); // make sure the template exists
    const started = Date.now();
    const servers = await Promise.all([startPostgres(), startPostgres({ database: 'other' })]);
    const ms = Date.now() - started;
    t.diagnostic(`two concurrent starts from the template: ${ms} ms`);
    try {
      const [a, b] = servers as [PgServer, PgServer];
      assert.notEqual(a.port, b.port);
      assert.notEqual(a.superPassword, b.superPassword);
      await withClient(b.superUrl, async (c) => assert.equal(await one(c, 'SELECT current_database()'), 'other'));
      assert.ok(ms < 10_000, `two starts took ${ms} ms`); // typically ~0.5 s; generous for loaded CI machines
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it('stop() leaves no process and no directory behind', { skip: noBouncer }, async () => {
    const server = await startPostgres();
    const bouncersBefore = bouncerChildren();
    const bouncer = await startPgBouncer(server, { users: [] });
    const bouncerPid = bouncerChildren().find((pid) => !bouncersBefore.includes(pid));
    await withClient(bouncer.url(server.superUser, server.superPassword), (c) => c.query('SELECT 1'));
    const client = new pg.Client({ connectionString: server.superUrl });
    client.on('error', () => undefined); // the server goes away under this open connection
    await client.connect();
    const pids = withDescendants(postmasterPid(server));
    assert.ok(pids.length >= 4, `expected a postmaster with children, got ${pids.join(',')}`);
    assert.ok(bouncerPid, 'pgbouncer process found');
    await bouncer.stop();
    await server.stop();
    await server.stop(); // idempotent
    const alive = processTable();
    assert.deepEqual(pids.filter((pid) => alive.has(pid)), []);
    assert.equal(alive.has(bouncerPid), false);
    assert.equal(existsSync(server.dataDir), false);
    await client.end().catch(() => undefined);
  });
});
