// The embedded database over the PostgreSQL wire protocol: pg and psql connect, transactions are
// isolated from API requests, session state does not leak into them, and a wrong password is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { startTestApi, type TestApi } from '../helpers/backends.js';
import { freePort } from '../ops/free-port.js';

const exec = promisify(execFile);

const psqlAvailable = await exec('psql', ['--version']).then(() => true, () => false);

describe('embedded psql endpoint', () => {
  let api: TestApi;
  let url: string;
  before(async () => {
    api = await startTestApi('pglite', { options: { 'embedded-psql-port': String(await freePort()) } });
    url = api.running.psqlUrl ?? '';
    assert.match(url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
  });
  after(async () => { await api?.close(); });

  it('serves queries with parameters and errors to node-postgres', async () => {
    const c = new pg.Client(url);
    await c.connect();
    try {
      assert.deepEqual((await c.query('SELECT $1::int + 1 AS x', [41])).rows, [{ x: 42 }]);
      await assert.rejects(c.query('SELECT 1/0'), /division by zero/);
      assert.deepEqual((await c.query('SELECT 1 AS ok')).rows, [{ ok: 1 }]);
    } finally {
      await c.end();
    }
  });

  it('holds API requests back during a client transaction, and shows its commit after', async () => {
    const c = new pg.Client(url);
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query(`INSERT INTO api.todos (title) VALUES ('from psql')`);
      let answered = false;
      const pending = api.fetch('/todos?select=title').then(async (r) => { answered = true; return r.json(); });
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(answered, false, 'the API must wait for the client transaction');
      await c.query('COMMIT');
      assert.deepEqual(await pending, [{ title: 'from psql' }]);
    } finally {
      await c.end();
    }
  });

  it('rolls back what a client leaves open and resets its session state', async () => {
    const c = new pg.Client(url);
    await c.connect();
    await c.query('SET ROLE api_anon');
    await c.query('BEGIN');
    await c.query(`INSERT INTO api.todos (title) VALUES ('abandoned')`);
    await c.end();
    const rows = await api.sql(`SELECT current_user AS u, (SELECT count(*) FROM api.todos WHERE title = 'abandoned') AS n`);
    assert.equal(rows[0]?.u, 'postgres');
    assert.equal(Number(rows[0]?.n), 0);
  });

  it('refuses a wrong password', async () => {
    const c = new pg.Client(url.replace(/\/\/postgres:[^@]+@/, '//postgres:wrong@'));
    await assert.rejects(c.connect(), /password authentication failed/);
  });

  it('works with psql', { skip: psqlAvailable ? false : 'psql is not installed' }, async () => {
    const { stdout } = await exec('psql', [url, '-At', '-c', 'SELECT count(*) FROM api.todos', '-c', '\\dt api.*']);
    assert.match(stdout, /^\d+\n/);
    assert.match(stdout, /^api\|todos\|table\|postgres$/m);
  });
});
