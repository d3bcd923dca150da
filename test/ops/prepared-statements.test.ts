// db-prepared-statements on a real PostgreSQL and through pgBouncer 1.18 in transaction mode (no
// prepared-statement support): statements are prepared once per connection under content-addressed
// names, evicted beyond the cache, re-prepared after the server lost or invalidated them, and a
// pooler that moves sessions makes PeSquel fall back to unnamed statements without a failed request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresDb } from '../../src/db/postgres.js';
import { StatementCache, statementName } from '../../src/db/prepared.js';
import type { DbEvent, RequestTx } from '../../src/db/types.js';
import { param, sql, unsafeRaw, type Sql } from '../../src/sql/sql.js';
import { pgBinariesAvailable, pgBouncerAvailable, startPgBouncer, startPostgres, type PgBouncerServer, type PgServer } from '../helpers/postgres-server.js';

const tx = (main: Sql, readOnly = true, role = 'pesquel_app', claims = '{}'): RequestTx => ({
  readOnly,
  settings: { shared: [['role', role], ['request.jwt.claims', claims]], own: [['request.method', 'GET']] },
  before: [],
  main,
  end: 'commit',
});

const ours = "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'pesquel\\_%'";

describe('StatementCache', () => {
  it('names by content, parses once, confirms only what completed, evicts the least recently used', () => {
    const cache = new StatementCache(2);
    const st = (text: string) => ({ text, values: ['1'] });
    const begin = { text: 'BEGIN', values: [], rows: false as const };
    let plan = cache.plan([begin, st('A'), st('B')]);
    assert.deepEqual(plan.names, ['', statementName('A'), statementName('B')]);
    assert.deepEqual(plan.parse, [true, true, true]);
    cache.confirm(plan, 2); // B failed: not recorded
    plan = cache.plan([st('A'), st('B')]);
    assert.deepEqual(plan.parse, [false, true]);
    cache.confirm(plan, 2);
    plan = cache.plan([st('C')]);
    cache.confirm(plan, 1);
    assert.equal(cache.size, 2);
    assert.deepEqual(cache.plan([st('A')]).close, [statementName('A')]); // A was least recently used
    assert.match(statementName('A'), /^pesquel_[0-9a-f]{40}$/);
    assert.equal(statementName('A'), statementName('A'));
    assert.notEqual(statementName('A'), statementName('B'));
  });
});

describe('prepared statements on PostgreSQL', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let bouncer: PgBouncerServer | null = null;
  const events: DbEvent[] = [];
  const open = (uri: string, poolSize = 1, preparedStatements = true) => new PostgresDb({
    uri, poolSize, acquisitionTimeoutMs: 10_000, idleTimeoutMs: 30_000, preparedStatements, onEvent: (e) => events.push(e),
  });
  before(async () => {
    server = await startPostgres();
    const admin = open(server.superUrl);
    await admin.withConnection((c) => c.exec(`CREATE ROLE pesquel_app LOGIN PASSWORD 'app-pw';
      CREATE TABLE items (id int PRIMARY KEY, name text);
      INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g;
      GRANT SELECT, INSERT ON items TO pesquel_app;
      CREATE ROLE reader_a; CREATE ROLE reader_b; GRANT reader_a, reader_b TO pesquel_app;
      CREATE TABLE notes (id int PRIMARY KEY, owner text, body text);
      INSERT INTO notes VALUES (1, 'ann', 'a1'), (2, 'bob', 'b1'), (3, 'x', 'x1');
      ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
      GRANT SELECT ON notes TO reader_a, reader_b;
      CREATE POLICY by_role_a ON notes FOR SELECT TO reader_a USING (id = 3);
      CREATE POLICY by_claim ON notes FOR SELECT TO reader_b USING (owner = current_setting('request.jwt.claims', true)::json->>'sub')`));
    await admin.close();
  });
  after(async () => {
    await bouncer?.stop();
    await server?.stop();
  });

  it('prepares each statement once per connection and binds it per request', async () => {
    const db = open(server.url('pesquel_app', 'app-pw'));
    try {
      for (let id = 1; id <= 5; id++) {
        const r = await db.request(tx(sql`SELECT name FROM items WHERE id = ${param(id)}`));
        assert.deepEqual(r.rows, [{ name: `item ${id}` }]);
      }
      // One connection: the settings statement and the main one, each prepared once.
      assert.deepEqual((await db.query(ours)).rows, [{ n: 2 }]);
    } finally {
      await db.close();
    }
  });

  it('applies each request\'s role and claims to row-level security on the same prepared statement', async () => {
    const db = open(server.url('pesquel_app', 'app-pw'));
    const notes = () => sql`SELECT coalesce(json_agg(body ORDER BY id), '[]')::text AS b FROM notes WHERE id > ${param(0)}`;
    try {
      for (let round = 0; round < 8; round++) { // past PostgreSQL's five custom plans, into the generic one
        assert.deepEqual((await db.request(tx(notes(), true, 'reader_a'))).rows, [{ b: '["x1"]' }]);
        assert.deepEqual((await db.request(tx(notes(), true, 'reader_b', '{"sub":"ann"}'))).rows, [{ b: '["a1"]' }]);
        assert.deepEqual((await db.request(tx(notes(), true, 'reader_b', '{"sub":"bob"}'))).rows, [{ b: '["b1"]' }]);
      }
    } finally {
      await db.close();
    }
  });

  it('keeps at most the cache size per connection, closing the evicted ones', async () => {
    const db = open(server.url('pesquel_app', 'app-pw'));
    try {
      for (let i = 0; i < 130; i++) {
        const r = await db.request(tx(sql`SELECT ${unsafeRaw(String(i))} AS i, name FROM items WHERE id = ${param(1)}`));
        assert.equal(r.rows[0]?.i, i);
      }
      const { rows } = await db.query<{ n: number }>(ours);
      assert.ok((rows[0]?.n ?? 0) <= 101, `prepared: ${rows[0]?.n}`); // 100 kept + the last one before its eviction is sent
    } finally {
      await db.close();
    }
  });

  it('recovers from statements that failed mid-pipeline, were deallocated, or went stale after DDL', async () => {
    const db = open(server.url('pesquel_app', 'app-pw'));
    const owner = open(server.superUrl);
    const star = tx(sql`SELECT * FROM items WHERE id = ${param(2)}`);
    try {
      await assert.rejects(db.request(tx(sql`SELECT 1 / (${param(0)}::int - 0) AS x`)), { code: '22012' });
      assert.deepEqual((await db.request(tx(sql`SELECT 1 / (${param(1)}::int - 0) AS x`))).rows, [{ x: 1 }]);
      assert.deepEqual((await db.request(star)).rows, [{ id: 2, name: 'item 2' }]);
      await db.withConnection((c) => c.query('DEALLOCATE ALL'));
      assert.deepEqual((await db.request(star)).rows, [{ id: 2, name: 'item 2' }]);
      await owner.query('ALTER TABLE items ADD COLUMN note text');
      assert.deepEqual((await db.request(star)).rows, [{ id: 2, name: 'item 2', note: null }]);
      assert.deepEqual((await db.request(star)).rows, [{ id: 2, name: 'item 2', note: null }]);
      assert.ok(!events.some((e) => e.type === 'prepared-statements-off'));
    } finally {
      await owner.query('ALTER TABLE items DROP COLUMN IF EXISTS note');
      await Promise.all([db.close(), owner.close()]);
    }
  });

  it('through pgBouncer in transaction mode without prepared-statement support: every request answers right', { skip: !pgBouncerAvailable() && 'pgbouncer not installed' }, async () => {
    bouncer = await startPgBouncer(server, { users: [{ name: 'pesquel_app', password: 'app-pw' }], poolMode: 'transaction', poolSize: 2 });
    const db = open(bouncer.url('pesquel_app', 'app-pw'), 6);
    events.length = 0;
    try {
      // Six clients on two server connections: a name prepared on one may be bound on the other.
      // Content-addressed names make that either the same statement (another client prepared the
      // same text there) or 26000, and such a request runs again unnamed: every answer is right.
      for (let round = 0; round < 20; round++) {
        await Promise.all(Array.from({ length: 6 }, async (_, c) => {
          for (let i = 0; i < 10; i++) {
            const id = 1 + ((c * 10 + i + round) % 50);
            const which = (i + c + round) % 3;
            const main = which === 0 ? sql`SELECT name FROM items WHERE id = ${param(id)}`
              : which === 1 ? sql`SELECT id AS name FROM items WHERE id = ${param(id)}`
                : sql`SELECT upper(name) AS name FROM items WHERE id = ${param(id)}`;
            const r = await db.request(tx(main));
            assert.deepEqual(r.rows, [{ name: which === 0 ? `item ${id}` : which === 1 ? id : `ITEM ${id}` }]);
          }
        }));
      }
      assert.ok(events.filter((e) => e.type === 'prepared-statements-off').length <= 1);
    } finally {
      await db.close();
    }
  });

  it('stops preparing after the server lost its statements three times, with one event', async () => {
    const db = open(server.url('pesquel_app', 'app-pw'));
    events.length = 0;
    const one = () => db.request(tx(sql`SELECT name FROM items WHERE id = ${param(4)}`));
    try {
      // Each loss reruns the request unnamed and forgets the connection's statements, so the next
      // request prepares again: requests 2, 4 and 6 find theirs gone.
      for (let request = 1; request <= 6; request++) {
        assert.deepEqual((await one()).rows, [{ name: 'item 4' }]);
        assert.deepEqual(events.map((e) => e.type), request < 6 ? [] : ['prepared-statements-off']);
        await db.withConnection((c) => c.query('DEALLOCATE ALL')); // the one connection forgets them
      }
      assert.deepEqual((await one()).rows, [{ name: 'item 4' }]);
      assert.deepEqual((await db.query(ours)).rows, [{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('db-prepared-statements = false: unnamed statements only', async () => {
    const db = open(server.url('pesquel_app', 'app-pw'), 1, false);
    try {
      await db.request(tx(sql`SELECT name FROM items WHERE id = ${param(3)}`));
      assert.deepEqual((await db.query(ours)).rows, [{ n: 0 }]);
    } finally {
      await db.close();
    }
  });
});
