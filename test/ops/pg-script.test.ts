// Request scripts on PostgreSQL run through PeSquel's own submittable (src/db/pg-script.ts), not
// pg's Query: the rows must be exactly what pg's client.query gives, and errors and the connection's
// state after them must behave the same.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { runScript, types } from '../../src/db/pg-script.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';

const SCRIPT = `BEGIN;
SELECT set_config('request.a', 'x', true), set_config('request.b', '{"k":"v"}', true);
SELECT 1::int4 AS i, 9007199254740993::int8 AS big, 2.50::numeric AS n, true AS b, NULL::text AS nothing,
  '{"a":[1,2]}'::json AS j, '{"a":1}'::jsonb AS jb, '2026-01-02 03:04:05+00'::timestamptz AS ts,
  ARRAY[1,2]::int4[] AS arr, 'é''s\\ok'::text AS t, 1 AS dup, 2 AS dup
  FROM generate_series(1, 3);
SELECT WHERE false;
COMMIT`;

describe('request scripts through the lean submittable', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let client: pg.Client;
  before(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.superUrl, types });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await server?.stop();
  });

  it('gives every statement the rows pg gives, values parsed alike', async () => {
    const expected = ((await client.query(SCRIPT)) as unknown as pg.QueryResult[]).map((r) => r.rows);
    const actual = (await runScript(client, SCRIPT)).map((r) => r.rows);
    assert.deepEqual(actual, expected);
    assert.equal(actual.length, 5);
    assert.equal(actual[2]?.length, 3);
    assert.deepEqual(actual[2]?.[0], {
      i: 1, big: '9007199254740993', n: '2.50', b: true, nothing: null, j: { a: [1, 2] }, jb: { a: 1 },
      ts: new Date('2026-01-02T03:04:05Z'), arr: [1, 2], t: "é's\\ok", dup: 2,
    });
    assert.deepEqual(actual[3], []);
  });

  it('rejects with the server error, and the connection serves the next script', async () => {
    await assert.rejects(runScript(client, `BEGIN; SELECT 1; SELECT 1/0; SELECT 2; COMMIT`), (err: Error & { code?: string; severity?: string }) => {
      assert.equal(err.code, '22012');
      assert.equal(err.severity, 'ERROR');
      return true;
    });
    await client.query('ROLLBACK');
    const r = await runScript(client, `SELECT 'ok' AS v`);
    assert.deepEqual(r.map((x) => x.rows), [[{ v: 'ok' }]]);
  });

  it('refuses COPY FROM STDIN instead of hanging', async () => {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS copy_target (v text)');
    await assert.rejects(runScript(client, `COPY copy_target FROM STDIN`), /COPY is not supported/);
    const r = await runScript(client, `SELECT count(*) AS n FROM copy_target`);
    assert.deepEqual(r[0]?.rows, [{ n: '0' }]);
  });

  it('queues behind a running query on the same client, in order', async () => {
    const [a, b] = await Promise.all([runScript(client, `SELECT pg_sleep(0.05), 'a' AS v`), runScript(client, `SELECT 'b' AS v`)]);
    assert.equal(a[0]?.rows[0]?.v, 'a');
    assert.equal(b[0]?.rows[0]?.v, 'b');
  });
});
