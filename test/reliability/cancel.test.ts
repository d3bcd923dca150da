// A client that goes away cancels its statement (issue 20, item 7). PostgreSQL, directly and
// through pgBouncer: three abandoned calls of a slow function on a pool of 3 must not hold the pool —
// the server cancels them (CancelRequest), the connections go back to the pool healthy, and other
// requests are answered at once. PGlite: a request whose client left while it waited for the
// session is dropped without running (a running statement cannot be interrupted there).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { backendKinds, randomName, startTestApi, type BackendKind, type TestApi } from '../helpers/backends.js';
import type { PgliteDb } from '../../src/db/pglite.js';
import type { ClientGone } from '../../src/db/types.js';
import { ApiError } from '../../src/errors/api-error.js';
import { param, sql } from '../../src/sql/sql.js';
import { until as untilDone } from '../helpers/until.js';

const slowFunction = `
CREATE OR REPLACE FUNCTION api.slow(seconds double precision) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN PERFORM pg_sleep(seconds); RETURN true; END $$;
GRANT EXECUTE ON FUNCTION api.slow(double precision) TO api_anon;`;

const until = <T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000) => untilDone(what, fn, ms);

/**
 * A POST on a connection of its own (no keep-alive pool) that the client abandons: abort() closes
 * the socket, as a browser tab closing or a proxy giving up does. Resolves once the socket is closed.
 */
function abandonable(base: string, path: string, body: string): { abort: () => void; closed: Promise<void> } {
  const req = request(base + path, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json' } });
  req.on('error', () => undefined);
  const closed = new Promise<void>((r) => req.once('close', () => r()));
  req.end(body);
  return { abort: () => req.destroy(), closed };
}

interface Sleeper { readonly pid: number; readonly state: string }

/** Takes the database's connection(s) (n of them) until release() is called; resolves once they are held. */
async function hold(db: TestApi['running']['db'], n = 1): Promise<{ release: () => void; done: Promise<unknown> }> {
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  let taken = 0;
  let allTaken!: () => void;
  const ready = new Promise<void>((r) => { allTaken = r; });
  const done = Promise.all(Array.from({ length: n }, () => db.withConnection(() => {
    if (++taken === n) allTaken();
    return held;
  })));
  await ready;
  return { release, done };
}

for (const kind of backendKinds().filter((k): k is Exclude<BackendKind, 'pglite'> => k !== 'pglite')) {
  describe(`client disconnect cancels the statement (${kind})`, () => {
    let api: TestApi;
    // The server's sessions running api.slow (through pgBouncer: its server connections).
    const sleepers = async () => (await api.sql(
      `SELECT pid, state FROM pg_stat_activity WHERE query LIKE '%"slow"%' AND pid <> pg_backend_pid() AND state = 'active'`,
    )) as unknown as Sleeper[];

    before(async () => {
      api = await startTestApi(kind, { options: { 'db-pool': '3', 'db-pool-acquisition-timeout': '10' } });
      await api.sql(slowFunction);
      await api.reload();
    });
    after(async () => {
      await api?.close();
    });

    it('three abandoned slow calls are cancelled; the pool serves others at once', async () => {
      const calls = [1, 2, 3].map(() => abandonable(api.url, '/rpc/slow', '{"seconds": 60}'));
      const running = await until('three running api.slow calls', async () => {
        const s = await sleepers();
        return s.length === 3 ? s : undefined;
      });
      for (const c of calls) c.abort();
      await Promise.all(calls.map((c) => c.closed));
      const t0 = performance.now();
      await until('the statements to leave pg_stat_activity', async () => ((await sleepers()).length === 0 ? true : undefined), 10_000);
      const gone = performance.now() - t0;
      // Other requests are answered promptly, well before the 10 s acquisition timeout.
      const t1 = performance.now();
      const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => api.fetch('/todos?limit=1')));
      const ms = performance.now() - t1;
      assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
      assert.ok(ms < 5000, `six requests took ${Math.round(ms)} ms`);
      console.log(`[${kind}] abandoned statements gone ${Math.round(gone)} ms after the disconnects; next six requests in ${Math.round(ms)} ms`);
      if (kind === 'postgres') {
        // The same server sessions are idle again: the pool kept its connections (cancelled, not dropped).
        const pids = running.map((s) => s.pid);
        const after = (await api.sql(`SELECT pid, state FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [pids])) as unknown as Sleeper[];
        assert.equal(after.length, 3, 'the three connections are still open');
        for (const s of after) assert.equal(s.state, 'idle');
      }
      const stats = api.running.db.poolStats();
      assert.ok(stats.total <= 3 && stats.waiting === 0, JSON.stringify(stats));
    });

    it('a request whose client left while it waited for a connection never runs', async () => {
      const title = randomName('never');
      const pool = await hold(api.running.db, 3);
      const call = abandonable(api.url, '/todos', JSON.stringify({ title }));
      await until('the request to wait for a connection', async () => (api.running.db.poolStats().waiting > 0 ? true : undefined));
      call.abort();
      await call.closed;
      // A request behind it: once it waits too, the server has long seen the first client leave.
      const next = api.fetch('/todos?limit=1');
      await until('the next request to wait', async () => (api.running.db.poolStats().waiting === 2 ? true : undefined));
      pool.release();
      await pool.done;
      // The dropped request gets a connection first and hands it back without running its insert.
      assert.equal((await next).status, 200);
      assert.deepEqual(await api.sql('SELECT id FROM api.todos WHERE title = $1', [title]), []);
    });
  });
}

describe('client disconnect on the embedded database (pglite)', { skip: !backendKinds().includes('pglite') && 'pglite not selected' }, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi('pglite');
  });
  after(async () => {
    await api?.close();
  });

  it('a request still waiting for the session is dropped without running', async () => {
    const db = api.running.db as PgliteDb;
    const title = randomName('dropped');
    const session = await hold(db);
    let left = false;
    const client: ClientGone = { get gone() { return left; }, whenGone: () => () => undefined };
    const insert = db.request({
      readOnly: false, settings: { shared: [['role', 'api_anon']], own: [] }, before: [],
      main: sql`INSERT INTO api.todos (title) VALUES (${param(title)})`, end: 'commit', clientGone: client,
    }).then(() => null, (err: unknown) => err);
    await until('the request to queue', async () => (db.poolStats().waiting === 1 ? true : undefined));
    left = true;
    session.release();
    await session.done;
    const err = await insert;
    assert.ok(err instanceof ApiError && err.status === 499, String(err));
    assert.deepEqual(await api.sql('SELECT id FROM api.todos WHERE title = $1', [title]), []);
    // The session serves the next request as usual.
    assert.equal((await api.fetch('/todos?limit=1')).status, 200);
  });

  it('over HTTP: an abandoned request queued behind another is never run', async () => {
    const db = api.running.db as PgliteDb;
    const title = randomName('http-dropped');
    const session = await hold(db);
    const call = abandonable(api.url, '/todos', JSON.stringify({ title }));
    await until('the request to queue for the session', async () => (db.poolStats().waiting === 1 ? true : undefined));
    call.abort();
    await call.closed;
    // The server sees the socket close (a 'close' on the response): wait for a request behind it,
    // which runs only after the dropped one has left the queue.
    const next = api.fetch('/todos?limit=1');
    await until('the next request to queue', async () => (db.poolStats().waiting === 2 ? true : undefined));
    session.release();
    await session.done;
    assert.equal((await next).status, 200);
    assert.deepEqual(await api.sql('SELECT id FROM api.todos WHERE title = $1', [title]), []);
  });
});
