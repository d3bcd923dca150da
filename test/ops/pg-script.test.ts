// Request scripts on PostgreSQL run through PeSquel's own submittable (src/db/pg-script.ts), not
// pg's Query: the rows must be exactly what pg's client.query gives, and errors and the connection's
// state after them must behave the same. API requests go as extended-protocol pipelines with bound
// values: encoded byte for byte as the driver's own encoder would, in one write.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { encodePipeline, runScript, types } from '../../src/db/pg-script.js';
import type { Statement } from '../../src/db/request-script.js';
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

  it('runs a pipeline with bound values: the rows pg gives for each statement alone', async () => {
    const pipeline: Statement[] = [
      { text: 'BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY', values: [], rows: false },
      { text: "SELECT set_config('request.a', $1, true), set_config('request.b', $2, true)", values: ["é's\\ok", ''] },
      { text: "SELECT $1::int4 AS i, $2::int8 AS big, $3::text AS t, $4::text AS nothing, current_setting('request.a') AS a, 1 AS dup, 2 AS dup FROM generate_series(1, 2)", values: ['7', '9007199254740993', 'x\ny', null] },
      { text: 'SELECT WHERE false', values: [] },
      { text: 'COMMIT', values: [], rows: false },
    ];
    const actual = (await runScript(client, pipeline)).map((r) => r.rows);
    assert.equal(actual.length, 5);
    assert.deepEqual(actual[0], []);
    for (const i of [1, 2, 3]) {
      const st = pipeline[i] as Statement;
      await client.query('BEGIN');
      await client.query(pipeline[1]?.text as string, pipeline[1]?.values as string[]);
      assert.deepEqual(actual[i], (await client.query(st.text, st.values as string[])).rows);
      await client.query('ROLLBACK');
    }
    assert.deepEqual(actual[2]?.[0], { i: 7, big: '9007199254740993', t: 'x\ny', nothing: null, a: "é's\\ok", dup: 2 });
  });

  it('encodes a pipeline exactly as the driver encodes Parse/Bind/Describe/Execute, with one Sync', () => {
    const pipeline: Statement[] = [
      { text: 'BEGIN', values: [], rows: false },
      { text: 'SELECT $1::text, $2::text, $3::text', values: ['ünïcødé 🐘', null, ''] },
    ];
    const expected = Buffer.concat([
      ...pipeline.flatMap((st) => [
        serialize.parse({ text: st.text, name: '', types: [] }),
        serialize.bind({ portal: '', statement: '', values: st.values as (string | null)[] }),
        ...(st.rows === false ? [] : [serialize.describe({ type: 'P', name: '' })]),
        serialize.execute({ portal: '', rows: 0 }),
      ]),
      serialize.sync(),
    ]);
    assert.deepEqual(encodePipeline(pipeline), expected);
    // Larger than the scratch buffer (it grows), and larger than it may grow (a buffer of its own).
    for (const n of [40_000, 600_000]) {
      const big: Statement[] = [{ text: 'SELECT $1::text', values: ['é'.repeat(n)] }];
      const want = Buffer.concat([serialize.parse({ text: big[0]?.text as string, name: '', types: [] }),
        serialize.bind({ portal: '', statement: '', values: big[0]?.values as string[] }), serialize.describe({ type: 'P', name: '' }),
        serialize.execute({ portal: '', rows: 0 }), serialize.sync()]);
      assert.ok(encodePipeline(big).equals(want), String(n));
      assert.ok(encodePipeline(pipeline).equals(expected)); // the scratch buffer reused, earlier buffers untouched
    }
  });

  it('encodes prepared statements: Close of evicted names, Close + named Parse for new ones, Bind by name', () => {
    const pipeline: Statement[] = [
      { text: 'BEGIN', values: [], rows: false },
      { text: 'SELECT $1::text', values: ['a'] },
      { text: 'SELECT $1::int', values: ['7'] },
    ];
    const plan = { close: ['pesquel_old'], names: ['', 'pesquel_new', 'pesquel_known'], parse: [true, true, false] };
    const expected = Buffer.concat([
      serialize.close({ type: 'S', name: 'pesquel_old' }),
      serialize.parse({ text: 'BEGIN', name: '', types: [] }),
      serialize.bind({ portal: '', statement: '', values: [] }),
      serialize.execute({ portal: '', rows: 0 }),
      serialize.close({ type: 'S', name: 'pesquel_new' }),
      serialize.parse({ text: 'SELECT $1::text', name: 'pesquel_new', types: [] }),
      serialize.bind({ portal: '', statement: 'pesquel_new', values: ['a'] }),
      serialize.describe({ type: 'P', name: '' }),
      serialize.execute({ portal: '', rows: 0 }),
      serialize.bind({ portal: '', statement: 'pesquel_known', values: ['7'] }),
      serialize.describe({ type: 'P', name: '' }),
      serialize.execute({ portal: '', rows: 0 }),
      serialize.sync(),
    ]);
    assert.ok(encodePipeline(pipeline, plan).equals(expected));
  });

  it('a failing pipeline rejects with every server field, leaves the transaction failed, and ROLLBACK recovers it', async () => {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS uniq (v text PRIMARY KEY)');
    await client.query(`INSERT INTO uniq VALUES ('taken') ON CONFLICT DO NOTHING`);
    const pipeline: Statement[] = [
      { text: 'BEGIN', values: [] },
      { text: "SELECT set_config('request.secret', $1, true)", values: ['s3cr3t'] },
      { text: 'INSERT INTO uniq VALUES ($1)', values: ['taken'] },
      { text: 'SELECT $1::text AS never', values: ['x'] },
      { text: 'COMMIT', values: [] },
    ];
    await assert.rejects(runScript(client, pipeline), (err: Error & { code?: string; detail?: string; constraint?: string }) => {
      assert.equal(err.code, '23505');
      assert.equal(err.detail, 'Key (v)=(taken) already exists.');
      assert.equal(err.constraint, 'uniq_pkey');
      return true;
    });
    // The server skipped the rest of the pipeline: the transaction is open and failed until ROLLBACK.
    await assert.rejects(runScript(client, 'SELECT 1'), (err: Error & { code?: string }) => err.code === '25P02');
    await runScript(client, 'ROLLBACK');
    const r = await runScript(client, [{ text: "SELECT coalesce(current_setting('request.secret', true), '') AS s, (SELECT count(*) FROM uniq) AS n", values: [] }]);
    assert.deepEqual(r[0]?.rows, [{ s: '', n: '1' }]);
  });

  it('leaves out the rows of statements that do not need them (no Describe, nothing collected)', async () => {
    const r = await runScript(client, [
      { text: 'SELECT $1::text AS skipped', values: ['a'], rows: false },
      { text: 'SELECT $1::text AS kept', values: ['b'] },
      { text: 'SELECT $1::text AS skipped', values: ['c'], rows: false },
    ]);
    assert.deepEqual(r.map((x) => x.rows), [[], [{ kept: 'b' }], []]);
  });
});
