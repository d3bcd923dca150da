// RoutedDb's decisions without a database: which server a transaction goes to, round-robin over
// healthy replicas, a failed replica read retried elsewhere, the counts /metrics reports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { errors } from '../../src/errors/codes.js';
import { RoutedDb, type ReplicaHealthView } from '../../src/db/routed.js';
import type { Conn, Db, RequestResult, RequestTx } from '../../src/db/types.js';
import { sql } from '../../src/sql/sql.js';

/** A server that answers with its name, or throws what `fail` gives. */
function fakeDb(name: string, fail: () => unknown = () => undefined): Db & { calls: number } {
  const db = {
    kind: 'postgres' as const,
    calls: 0,
    async request(): Promise<RequestResult> {
      db.calls++;
      const err = fail();
      if (err !== undefined) throw err;
      return { rows: [{ server: name }], before: [], committed: true };
    },
    withConnection: async <T>(fn: (c: Conn) => Promise<T>) => fn({ query: async () => ({ rows: [{ server: name }], rowCount: 1 }) as never, exec: async () => [] }),
    query: async () => ({ rows: [{ server: name }], rowCount: 1 }) as never,
    listen: async () => async () => undefined,
    poolStats: () => ({ max: 1, total: 0, idle: 0, waiting: 0 }),
    ping: async () => true,
    close: async () => undefined,
  };
  return db;
}

function health(healthy = true): ReplicaHealthView & { healthy: boolean; downs: string[] } {
  const h = { healthy, lagSeconds: 0 as number | null, downs: [] as string[], markDown(reason: string) { h.healthy = false; h.downs.push(reason); }, close: async () => undefined };
  return h;
}

const tx = (replicaOk: boolean, extra: Partial<RequestTx> = {}): RequestTx =>
  ({ readOnly: true, replicaOk, settings: { shared: [], own: [] }, before: [], main: sql`SELECT 1`, end: 'commit', ...extra });
const server = async (p: Promise<RequestResult>) => (await p).rows[0]?.server;

function routed(replicaFails: Array<() => unknown> = [() => undefined, () => undefined], healthy: boolean[] = [true, true]) {
  const primary = fakeDb('primary');
  const replicas = replicaFails.map((fail, i) => ({ name: `replica-${i + 1}`, address: `r${i + 1}:5432/app`, db: fakeDb(`replica-${i + 1}`, fail), health: health(healthy[i]) }));
  return { db: new RoutedDb({ address: 'p:5432/app', db: primary }, replicas), primary, replicas };
}

describe('RoutedDb', () => {
  it('sends replicaOk transactions to healthy replicas in turn, the others to the primary', async () => {
    const { db } = routed();
    assert.deepEqual(
      [await server(db.request(tx(true))), await server(db.request(tx(true))), await server(db.request(tx(false))), await server(db.request(tx(true)))],
      ['replica-1', 'replica-2', 'primary', 'replica-1'],
    );
    assert.equal(await server(db.request({ ...tx(true), replicaOk: undefined } as unknown as RequestTx)), 'primary');
  });

  it('skips unhealthy replicas and reads from the primary when none is healthy', async () => {
    const { db, replicas } = routed(undefined, [false, true]);
    assert.equal(await server(db.request(tx(true))), 'replica-2');
    assert.equal(await server(db.request(tx(true))), 'replica-2');
    (replicas[1]?.health as { healthy: boolean }).healthy = false;
    assert.equal(await server(db.request(tx(true))), 'primary');
  });

  it('marks a replica down on a connection failure and runs the read elsewhere', async () => {
    const { db, replicas } = routed([() => errors.dbConnection(), () => errors.dbConnection()]);
    assert.equal(await server(db.request(tx(true))), 'primary');
    assert.deepEqual(replicas.map((r) => r.health.healthy), [false, false]);
    const states = db.backends();
    assert.deepEqual(states.map((s) => [s.name, s.address, s.healthy, s.requests, s.errors]),
      [['primary', 'p:5432/app', true, 1, 0], ['replica-1', 'r1:5432/app', false, 1, 1], ['replica-2', 'r2:5432/app', false, 1, 1]]);
  });

  it('runs a read cancelled by a recovery conflict (40001) again without marking the replica down', async () => {
    const conflict = Object.assign(new Error('canceling statement due to conflict with recovery'), { code: '40001', severity: 'ERROR' });
    const { db, replicas } = routed([() => conflict]);
    assert.equal(await server(db.request(tx(true))), 'primary');
    assert.equal(replicas[0]?.health.healthy, true);
    assert.equal(db.backends()[1]?.errors, 1);
  });

  it('does not retry an SQL error of the request, a pool timeout or a departed client', async () => {
    const sqlError = Object.assign(new Error('relation "x" does not exist'), { code: '42P01', severity: 'ERROR' });
    await assert.rejects(routed([() => sqlError]).db.request(tx(true)), /does not exist/);
    const timeout = routed([() => errors.poolTimeout()]);
    await assert.rejects(timeout.db.request(tx(true)), (e: unknown) => e instanceof ApiError && e.code === 'PGRST003');
    assert.equal(timeout.db.backends()[1]?.errors, 1);
    // …unless the health check took the replica out meanwhile (a host that drops packets).
    const dropped = routed([() => {
      (dropped.replicas[0]?.health as { healthy: boolean }).healthy = false; // its check timed out while we waited
      return errors.poolTimeout();
    }, () => undefined]);
    assert.equal(await server(dropped.db.request(tx(true))), 'replica-2');
    const gone = routed([() => errors.dbConnection()]);
    await assert.rejects(gone.db.request(tx(true, { clientGone: { gone: true, whenGone: () => () => undefined } })), (e: unknown) => e instanceof ApiError && e.code === 'PGRST000');
    assert.equal(gone.primary.calls, 0);
  });

  it('keeps connections, statements, LISTEN, pool stats and /ready on the primary', async () => {
    const { db, replicas } = routed();
    assert.deepEqual((await db.query('SELECT 1')).rows, [{ server: 'primary' }]);
    assert.deepEqual(await db.withConnection(async (c) => (await c.query('SELECT 1')).rows), [{ server: 'primary' }]);
    assert.equal(await db.ping(100), true);
    assert.equal(replicas.every((r) => r.db.calls === 0), true);
  });
});
