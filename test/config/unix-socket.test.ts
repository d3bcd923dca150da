// server-unix-socket / server-unix-socket-mode: the API on a Unix domain socket (no TCP port) with the
// configured mode, a stale socket replaced, any other file refused in one line, the socket removed at stop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { portClaims } from '../../src/http/ports.js';
import { workerCount } from '../../src/http/workers/count.js';
import { clearStaleSocket } from '../../src/http/unix-socket.js';
import { createLogger } from '../../src/observability/logger.js';
import { until } from '../helpers/until.js';
import { pesquel } from '../ops/cli.js';

function get(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { host: 'localhost' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A socket file whose server was killed (SIGKILL leaves the file behind). */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await until('the throwaway server to listen', async () => (existsSync(path) ? true : undefined), 20_000);
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  assert.ok(statSync(path).isSocket());
}

describe('server-unix-socket', () => {
  let dir: string;
  let running: Running | undefined;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'pesquel-sock-')); });
  after(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates the mode and claims no TCP port', () => {
    assert.equal(loadConfig({}).serverUnixSocketMode, '660');
    for (const bad of ['599', '800', 'rw', '1777']) {
      assert.throws(() => loadConfig({ flags: { 'server-unix-socket-mode': bad } }), /invalid setting 'server-unix-socket-mode': expected an octal mode between 600 and 777/);
    }
    const config = loadConfig({ flags: { 'server-unix-socket': '/tmp/x.sock', 'server-port': '3000', 'admin-server-port': '0', 'admin-ui-port': '0' } });
    assert.deepEqual(portClaims(config).map((c) => c.option), ['embedded-psql-port']);
    assert.throws(() => workerCount({ serverWorkers: '2', dbUri: 'postgres://h/db', serverUnixSocket: '/tmp/x.sock' }), /server-unix-socket serves the API from one process/);
  });

  it('serves the API on the socket with its mode, replacing a stale socket, and removes it at stop', async () => {
    const path = join(dir, 'api.sock');
    await staleSocket(path);
    const config = loadConfig({ flags: {
      'data-dir': join(dir, 'data'), 'server-unix-socket': path, 'server-unix-socket-mode': '600', 'admin-server-port': '0',
      'admin-ui-port': '0', 'embedded-psql-port': '0', 'log-level': 'crit',
    } });
    running = await startPesquel(config, { logger: createLogger('crit') });
    assert.equal(running.apiUrl, `http+unix://${encodeURIComponent(path)}`);
    const st = statSync(path);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
    const r = await get(path, '/todos');
    assert.equal(r.status, 200, r.body);
    assert.ok(Array.isArray(JSON.parse(r.body)));
    // A second server on the same socket is refused: the first one answers there.
    await assert.rejects(clearStaleSocket(path), /server-unix-socket: .* is in use by another server/);
    await running.close();
    running = undefined;
    assert.equal(existsSync(path), false, 'removed at a clean stop');
  });

  it('refuses a path holding a file that is not a socket, in one line, and leaves the file alone', async () => {
    const path = join(dir, 'not-a-socket');
    writeFileSync(path, 'keep me');
    const r = await pesquel(['start', '--data-dir', join(dir, 'data2'), '--server-unix-socket', path, '--admin-server-port', '0', '--admin-ui-port', '0',
      '--embedded-psql-port', '0'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `pesquel start: server-unix-socket: ${path} exists and is not a socket; PeSquel will not replace it (remove it or choose another path)\n`);
    assert.equal(statSync(path).isFile(), true);
  });
});
