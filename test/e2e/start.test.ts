// `pesquel start` as a user runs it: a real process on the embedded database, stopped with signals.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));

interface Proc { child: ChildProcess; stderr: () => string; stdout: () => string; exited: Promise<number | null> }

function pesquel(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stderr: () => err, stdout: () => out, exited };
}

async function apiUrl(p: Proc, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = /API:\s+(http:\/\/\S+?)\/\s/.exec(p.stderr());
    if (m) return m[1] as string;
    if (p.child.exitCode !== null) throw new Error(`exited early: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no banner: ${p.stderr()}`);
}

describe('pesquel start (embedded)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-e2e-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['start', '--data-dir', join(dir, 'data'), '--port', '0', '--admin-server-port', '0', '--admin-ui-port', '0', '--embedded-psql-port', '0'];

  it('initialises the data directory, serves /todos and stops cleanly on SIGTERM', async () => {
    const p = pesquel(args);
    const url = await apiUrl(p);
    assert.match(p.stderr(), /initialised now/);
    assert.match(p.stderr(), new RegExp(`embedded PostgreSQL 17 in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const r = await fetch(`${url}/todos`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), []);
    // A request already sent when SIGTERM arrives still completes.
    const { request } = await import('node:http');
    const inflight = new Promise<number>((resolve, reject) => {
      const req = request(`${url}/todos?select=id`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.on('finish', () => setTimeout(() => p.child.kill('SIGTERM'), 5));
      req.end();
    });
    assert.equal(await inflight, 200);
    assert.equal(await p.exited, 0);
  });

  it('reuses the data directory on the next start and reloads the schema on SIGUSR1', async () => {
    const p = pesquel(args);
    const url = await apiUrl(p);
    assert.doesNotMatch(p.stderr(), /initialised now/);
    assert.equal((await fetch(`${url}/todos`)).status, 200);
    // The log (stdout) says "schema cache loaded" once per load: wait for the reload's line.
    const loads = () => p.stdout().split('schema cache loaded').length - 1;
    const before = loads();
    p.child.kill('SIGUSR1');
    for (const end = Date.now() + 30_000; loads() === before && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    assert.ok(loads() > before, `no reload logged: ${p.stdout()}`);
    assert.equal((await fetch(`${url}/todos`)).status, 200);
    p.child.kill('SIGINT');
    assert.equal(await p.exited, 0);
  });

  it('refuses an invalid setting with a one-line message naming it', async () => {
    const p = pesquel(['start', '--db-pool', 'zero']);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr(), /invalid setting 'db-pool'/);
    const q = pesquel(['start'], { PESQUEL_SERVER_PORT: '-5' });
    assert.equal(await q.exited, 2);
    assert.match(q.stderr(), /invalid setting 'server-port'/);
  });

  it('an unknown command or option exits non-zero', async () => {
    const p = pesquel(['frobnicate']);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr(), /unknown command 'frobnicate'/);
    const q = pesquel(['start', '--no-such-flag', 'x']);
    assert.equal(await q.exited, 2);
    assert.match(q.stderr(), /unknown option --no-such-flag/);
  });
});
