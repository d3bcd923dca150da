// A user's first runs of the real `pesquel` command: busy ports fail at once naming their option and
// leave nothing behind, one data directory admits one server (two starts at once: one wins), data
// directories that cannot work are explained, a lost admin password is reset, help is per command.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../ops/free-port.js';
import { pgBinariesAvailable, startPostgres } from '../helpers/postgres-server.js';

const entry = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

interface Run {
  readonly child: ChildProcess;
  readonly started: number;
  stderr(): string;
  stdout(): string;
  readonly exited: Promise<number | null>;
}

// Every child still alive when the file ends is killed: a failed assertion must not leave a server
// behind that keeps this file's process (and the whole test run) from ever exiting.
const children = new Set<ChildProcess>();
after(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });

function pesquel(args: string[], opts: { env?: Record<string, string>; uid?: number } = {}): Run {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PESQUEL|PGRST)_/.test(k)));
  const child = spawn(process.execPath, ['--import', tsx, entry, ...args], {
    env: { ...env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  let out = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, started: Date.now(), stderr: () => err, stdout: () => out, exited };
}

/** Resolves when `p` prints its start banner, or rejects with what it printed when it exits first. */
async function banner(p: Run, ms = 90_000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (/Press Ctrl-C to stop/.test(p.stderr())) return p.stderr();
    if (p.child.exitCode !== null) throw new Error(`exited ${p.child.exitCode}: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no banner: ${p.stderr()}`);
}

const apiUrl = (text: string) => /API:\s+(http:\/\/\S+?)\/\s/.exec(text)?.[1] ?? '';

function occupy(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, host, () => resolve(s));
  });
}

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

const dir = mkdtempSync(join(tmpdir(), 'pesquel-first-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function ports() {
  return { api: await freePort(), admin: await freePort(), ui: await freePort(), psql: await freePort() };
}
const portArgs = (p: Awaited<ReturnType<typeof ports>>) =>
  ['--port', String(p.api), '--admin-server-port', String(p.admin), '--admin-ui-port', String(p.ui), '--embedded-psql-port', String(p.psql)];

describe('pesquel start: a busy port', () => {
  const cases = [
    { flag: '--port', option: 'server-port', key: 'api' },
    { flag: '--admin-server-port', option: 'admin-server-port', key: 'admin' },
    { flag: '--admin-ui-port', option: 'admin-ui-port', key: 'ui' },
    { flag: '--embedded-psql-port', option: 'embedded-psql-port', key: 'psql' },
  ] as const;
  for (const c of cases) {
    it(`${c.flag}: exits non-zero at once, names the option, leaves nothing listening and nothing stored`, async () => {
      const p = await ports();
      const busy = await occupy(p[c.key]);
      const dataDir = join(dir, `busy-${c.key}`);
      try {
        const run = pesquel(['start', '--data-dir', dataDir, ...portArgs(p)]);
        assert.equal(await run.exited, 1, run.stderr());
        const ms = Date.now() - run.started;
        assert.match(run.stderr(), new RegExp(`port ${p[c.key]} on 127\\.0\\.0\\.1 is already in use \\(${c.option}\\); choose another with ${c.flag} N`));
        assert.doesNotMatch(run.stderr(), /PeSquel is running/);
        // The database is never opened: no initdb, so no admin password hash and no lock left behind.
        assert.ok(!existsSync(join(dataDir, 'PG_VERSION')), 'the database was not created');
        assert.ok(!existsSync(join(dataDir, 'pesquel.lock')), 'the lock is released');
        for (const k of ['api', 'admin', 'ui', 'psql'] as const) if (k !== c.key) assert.equal(await listening(p[k]), false, `${k} port left open`);
        // Seconds are the CLI's own start-up through tsx on a loaded machine; it used to take ~14 s.
        assert.ok(ms < 15_000, `took ${ms} ms`);
      } finally {
        busy.close();
      }
    });
  }
});

describe('pesquel start: one server per data directory', () => {
  const dataDir = join(dir, 'shared');

  it('two starts at once: exactly one serves, the other names it and exits; a stale lock is taken over', async () => {
    const [pa, pb] = [await ports(), await ports()];
    const runs = [pesquel(['start', '--data-dir', dataDir, ...portArgs(pa)]), pesquel(['start', '--data-dir', dataDir, ...portArgs(pb)])];
    const outcome = await Promise.race([
      Promise.all(runs.map((r) => r.exited)).then(() => 'both exited'),
      Promise.any(runs.map(async (r, i) => { await banner(r); return i; })),
    ]);
    assert.notEqual(outcome, 'both exited', runs.map((r) => r.stderr()).join('\n'));
    const winner = runs[outcome as number]!;
    const loser = runs[1 - (outcome as number)]!;
    assert.equal(await loser.exited, 1);
    assert.match(loser.stderr(), new RegExp(`data directory .*shared is in use by PeSquel \\(pid ${winner.child.pid}\\)`));
    assert.equal(readFileSync(join(dataDir, 'pesquel.lock'), 'utf8').trim(), String(winner.child.pid));
    // The banner points at the psql password's file and never prints the password itself.
    const password = readFileSync(join(dataDir, 'pesquel-psql-password'), 'utf8').trim();
    assert.ok(!winner.stderr().includes(password), 'psql password in the banner');
    assert.match(winner.stderr(), /psql:\s+PGPASSWORD="\$\(cat .*pesquel-psql-password\)" psql "postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres"/);
    assert.equal((await fetch(`${apiUrl(winner.stderr())}/todos`)).status, 200);

    // CLI commands go through the running server; a stopped loser never touched its control file.
    const migrate = pesquel(['migrate', 'status', '--data-dir', dataDir, '--dir', join(dir, 'no-migrations')]);
    assert.equal(await migrate.exited, 0, migrate.stderr());

    // A crash leaves the lock behind; its pid is gone, so the next start takes it over.
    winner.child.kill('SIGKILL');
    await winner.exited;
    assert.equal(readFileSync(join(dataDir, 'pesquel.lock'), 'utf8').trim(), String(winner.child.pid));
    const next = pesquel(['start', '--data-dir', dataDir, ...portArgs(await ports())]);
    await banner(next);
    assert.equal(readFileSync(join(dataDir, 'pesquel.lock'), 'utf8').trim(), String(next.child.pid));
    next.child.kill('SIGTERM');
    assert.equal(await next.exited, 0);
    assert.ok(!existsSync(join(dataDir, 'pesquel.lock')), 'the lock is removed on a clean stop');
  });
});

describe('pesquel start: data directories that cannot work', () => {
  it('a path below a regular file', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const run = pesquel(['start', '--data-dir', join(dir, 'a-file', 'data'), '--port', '0', '--admin-ui-port', '0', '--admin-server-port', '0', '--embedded-psql-port', '0']);
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), /cannot create the data directory .*a-file\/data: a part of the path is a file, not a directory/);
  });

  it('an unrelated folder with files in it is not filled with database files', async () => {
    const folder = join(dir, 'my-photos');
    mkdirSync(folder);
    writeFileSync(join(folder, 'holiday.jpg'), 'x');
    const run = pesquel(['start', '--data-dir', folder, '--port', '0', '--admin-ui-port', '0', '--admin-server-port', '0', '--embedded-psql-port', '0']);
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), /data directory .*my-photos is not empty \(holiday\.jpg\) and holds no database: choose an empty or new --data-dir/);
    assert.ok(!existsSync(join(folder, 'base')));
  });

  it('another PostgreSQL major version', async () => {
    const old = join(dir, 'pg15');
    mkdirSync(old);
    writeFileSync(join(old, 'PG_VERSION'), '15\n');
    const run = pesquel(['start', '--data-dir', old, '--port', '0', '--admin-ui-port', '0', '--admin-server-port', '0', '--embedded-psql-port', '0']);
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), /holds a PostgreSQL 15 data directory; the embedded database is PostgreSQL 17/);
  });

  // Root writes anywhere, so the read-only case runs the command as an unprivileged user when the
  // tests run as root (CI does), and with a read-only mode otherwise.
  it('a directory this user may not write to', async () => {
    const ro = join(dir, 'read-only');
    mkdirSync(join(ro, 'data'), { recursive: true, mode: 0o755 });
    const asRoot = process.getuid?.() === 0;
    // The unprivileged user must reach the directory (mkdtemp made its parent owner-only).
    if (asRoot) chmodSync(dir, 0o755);
    else chmodSync(join(ro, 'data'), 0o555);
    const run = pesquel(['start', '--data-dir', join(ro, 'data'), '--port', '0', '--admin-ui-port', '0', '--admin-server-port', '0', '--embedded-psql-port', '0'],
      { ...(asRoot ? { uid: 65534 } : {}), env: { HOME: tmpdir() } });
    assert.equal(await run.exited, 1, run.stderr());
    assert.match(run.stderr(), /cannot (write to|create the lock file)[^\n]*: permission denied/);
  });
});

describe('pesquel start: a PostgreSQL server', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  it('a wrong password is said so in one line that shows no password, within seconds', async () => {
    const server = await startPostgres();
    try {
      const uri = `${server.url('postgres', 'not-the-password-123')}?application_name=pesquel&password=also-secret-456`;
      const run = pesquel(['start', '--db-url', uri, '--port', '0', '--admin-ui-port', '0', '--admin-server-port', '0']);
      assert.equal(await run.exited, 1);
      assert.match(run.stderr(), /^pesquel start: the database refused the credentials in db-uri \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+\?application_name=pesquel&password=\*\*\*\): check the user and password/);
      assert.doesNotMatch(run.stderr() + run.stdout(), /not-the-password-123|also-secret-456/);

      // Server mode: admin reset-password writes the admin's own store over the admin connection.
      const reset = pesquel(['admin', 'reset-password', '--db-url', server.superUrl]);
      assert.equal(await reset.exited, 0, reset.stderr());
      assert.match(reset.stdout(), /^New admin UI password: [\w-]{24}\n$/);
      const check = new pg.Client({ connectionString: server.superUrl });
      await check.connect();
      try {
        const rows = (await check.query("SELECT role, password_hash FROM pesquel_admin.users WHERE email = 'admin'")).rows as { role: string; password_hash: string }[];
        assert.equal(rows[0]?.role, 'owner');
        assert.match(rows[0]?.password_hash ?? '', /^\$argon2id\$/);
      } finally {
        await check.end();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('pesquel admin reset-password', () => {
  const dataDir = join(dir, 'admin');

  it('prints a new password once; the next start shows none and the new one signs in', async () => {
    const p = await ports();
    const first = pesquel(['start', '--data-dir', dataDir, ...portArgs(p)]);
    const text = await banner(first);
    const generated = /Admin login:\s+password (\S+)/.exec(text)?.[1];
    assert.ok(generated, text);
    assert.match(text, /pesquel admin reset-password/);

    // While the server runs, it resets the password itself (it holds the data directory).
    const reset = pesquel(['admin', 'reset-password', '--data-dir', dataDir]);
    assert.equal(await reset.exited, 0, reset.stderr());
    const fresh = /New admin UI password: (\S+)/.exec(reset.stdout())?.[1];
    assert.ok(fresh && fresh !== generated);
    const uiUrl = `http://127.0.0.1:${p.ui}`;
    const login = (password: string) => fetch(`${uiUrl}/api/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: uiUrl }, body: JSON.stringify({ password }),
    });
    assert.equal((await login(generated)).status, 401);
    assert.equal((await login(fresh)).status, 200);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);

    // Stopped: the command opens the data directory itself.
    const offline = pesquel(['admin', 'reset-password', '--data-dir', dataDir]);
    assert.equal(await offline.exited, 0, offline.stderr());
    const third = /New admin UI password: (\S+)/.exec(offline.stdout())?.[1];
    assert.ok(third);
    const again = pesquel(['start', '--data-dir', dataDir, ...portArgs(p)]);
    assert.doesNotMatch(await banner(again), /Admin login/);
    assert.equal((await login(third)).status, 200);
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0);

    const configured = pesquel(['admin', 'reset-password', '--data-dir', dataDir], { env: { PESQUEL_ADMIN_PASSWORD: 'chosen-by-me-1234' } });
    assert.equal(await configured.exited, 1);
    assert.match(configured.stderr(), /admin-password is set .* change it there/);
  });
});

describe('pesquel <command> --help', () => {
  it('status --help and -h print its help instead of running', async () => {
    for (const flag of ['--help', '-h']) {
      const run = pesquel(['status', flag]);
      assert.equal(await run.exited, 0, run.stderr());
      assert.match(run.stdout(), /^Usage: pesquel status/);
      assert.match(run.stdout(), /--admin-server-port N/);
    }
  });

  it('start --help lists every port option; unknown or inapplicable flags are one-line errors', async () => {
    const help = pesquel(['start', '--help']);
    assert.equal(await help.exited, 0);
    for (const flag of ['--port', '--admin-ui-port', '--admin-server-port', '--embedded-psql-port', '--data-dir', '--db-url']) assert.ok(help.stdout().includes(`${flag} `), flag);
    const bad = pesquel(['migrate', '--port', '3000']);
    assert.equal(await bad.exited, 2);
    assert.equal(bad.stderr().trim(), 'pesquel migrate: unknown option --port (this command does not use it)');
    const typo = pesquel(['status', '--admin-port', '1']);
    assert.equal(await typo.exited, 2);
    assert.equal(typo.stderr().trim(), 'pesquel status: unknown option --admin-port');
  });
});
