// Request lines are buffered and written asynchronously (src/observability/line-sink.ts), and none
// is lost on a clean exit: `pesquel start` at the default log level gets N requests, then SIGTERM
// right after the last response, and its stdout must hold exactly N request lines, each valid JSON
// without a credential. Also the sink itself: many lines per write, a slow reader, flushSync.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { initScripts } from '../../src/db/init.js';
import { createLineSink } from '../../src/observability/line-sink.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';

const ENTRY = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const N = 400;

describe('request log lines survive a clean exit', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let uri: string;
  before(async () => {
    server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.superUrl });
    await admin.connect();
    try {
      for (const s of initScripts()) await admin.query(s.sql);
      await admin.query(`ALTER ROLE authenticator PASSWORD 'log-flush-pw'`);
    } finally {
      await admin.end();
    }
    uri = server.url('authenticator', 'log-flush-pw');
  });
  after(async () => { await server?.stop(); });

  it(`writes all ${N} request lines before exiting on SIGTERM`, async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PESQUEL|PGRST)_/.test(k)));
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'start', '--db-uri', uri, '--db-init', 'false', '--server-host', '127.0.0.1',
      '--server-port', '0', '--admin-server-port', '0', '--admin-ui-port', '0', '--embedded-psql-port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /API:\s+(http:\/\/\S+?)\/?\s/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`pesquel exited (${code}) before it was ready:\n${stderr}`)));
    });
    const token = 'Bearer log-flush-not-a-valid-token-0123456789';
    for (let sent = 0; sent < N; sent += 20) {
      // 20 at a time, some with a (refused) token and a cookie that must not reach the log.
      await Promise.all(Array.from({ length: 20 }, async (_, i) => {
        const headers: Record<string, string> = i % 2 === 0 ? {} : { Authorization: token, Cookie: 'session=log-flush-cookie' };
        const r = await fetch(`${apiUrl}/todos?select=id&limit=1&n=${sent + i}`, { headers });
        await r.arrayBuffer();
      }));
    }
    child.kill('SIGTERM'); // right after the last response: its line is still in the buffer
    assert.equal(await exited, 0, stderr);
    const lines = stdout.split('\n').filter((l) => l !== '');
    const requests = lines.map((l) => JSON.parse(l) as { msg: string; path?: string; status?: number }).filter((l) => l.msg === 'request');
    assert.equal(requests.length, N, `request lines: ${requests.length}\n${stdout.slice(-2000)}`);
    assert.ok(requests.every((r) => r.path === '/todos' && typeof r.status === 'number'));
    assert.ok(!stdout.includes('log-flush-not-a-valid-token') && !stdout.includes('log-flush-cookie'), 'a credential reached the log');
    assert.ok(!stdout.includes('n='), 'a query string reached the log');
  });
});

describe('line sink', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'pesquel-line-sink-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('writes lines in order, asynchronously, and flush() resolves once they are written', async () => {
    const file = join(dir, 'a.log');
    const fd = openSync(file, 'w');
    const sink = createLineSink(fd, { minChars: 1000, maxDelayMs: 60_000 });
    const lines = Array.from({ length: 500 }, (_, i) => `{"i":${i},"s":"${'x'.repeat(i % 37)}"}\n`);
    for (const l of lines) sink.write(l);
    await sink.flush();
    closeSync(fd);
    assert.equal(readFileSync(file, 'utf8'), lines.join(''));
  });

  it('flushSync writes what is buffered at once (process exit)', () => {
    const file = join(dir, 'd.log');
    const fd = openSync(file, 'w');
    const sink = createLineSink(fd, { minChars: 1 << 20, maxDelayMs: 60_000 });
    const lines = Array.from({ length: 100 }, (_, i) => `{"i":${i}}\n`);
    for (const l of lines) sink.write(l);
    sink.flushSync();
    closeSync(fd);
    assert.equal(readFileSync(file, 'utf8'), lines.join(''));
  });

  it('writes a lone line after its delay without any more traffic', async () => {
    const file = join(dir, 'b.log');
    const fd = openSync(file, 'w');
    const sink = createLineSink(fd, { minChars: 1 << 20, maxDelayMs: 20 });
    sink.write('{"lone":true}\n');
    assert.equal(readFileSync(file, 'utf8'), ''); // buffered, not written synchronously
    const until = Date.now() + 10_000;
    while (readFileSync(file, 'utf8') === '' && Date.now() < until) await new Promise((r) => setImmediate(r));
    assert.equal(readFileSync(file, 'utf8'), '{"lone":true}\n');
    closeSync(fd);
  });

  it('drops and counts lines beyond its budget instead of growing without bound', () => {
    const file = join(dir, 'c.log');
    const fd = openSync(file, 'w');
    const sink = createLineSink(fd, { minChars: 1 << 20, maxDelayMs: 60_000, maxChars: 100 });
    let accepted = 0;
    for (let i = 0; i < 20; i++) if (sink.write(`{"n":${String(i).padStart(3, '0')}}\n`)) accepted++;
    sink.flushSync();
    closeSync(fd);
    const out = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    assert.equal(out.length, accepted + 1);
    assert.deepEqual(JSON.parse(out[out.length - 1] as string).dropped, 20 - accepted);
  });
});
