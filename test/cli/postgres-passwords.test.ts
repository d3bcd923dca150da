// The password hook (deploy/postgres/99-pesquel-passwords.sh) and setup's SCRAM secrets against a
// real PostgreSQL server, and through a real pgBouncer when one is installed: the authenticator logs
// in with its password directly and through pgBouncer (SCRAM pass-through needs identical secrets).
// Skipped where the PostgreSQL server binaries are missing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { dbUri, writeDerivedFiles } from '../../src/cli/stack/derived.js';
import { deployDir } from '../../src/cli/stack/paths.js';
import { randomAlphanumeric } from '../../src/cli/stack/random.js';
import type { PrimaryValues } from '../../src/cli/stack/secrets.js';
import { freePort } from '../ops/free-port.js';
import { which } from './helpers/which.js';

const PG_BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
const initdb = which('initdb', PG_BIN);
const pgCtl = which('pg_ctl', PG_BIN);
const pgbouncer = process.env.PESQUEL_TEST_PGBOUNCER ?? which('pgbouncer', ['/usr/sbin']);
const isRoot = process.getuid?.() === 0;
const runuser = which('runuser', ['/usr/sbin', '/sbin']);
const hasPostgresUser = spawnSync('id', ['-u', 'postgres']).status === 0;
const skip = !initdb || !pgCtl || process.platform === 'win32' ? 'PostgreSQL server binaries not found'
  : isRoot && (!runuser || !hasPostgresUser) ? 'running as root without runuser and a postgres user' : false;

/** Runs a command as the unprivileged `postgres` user when we are root (initdb and pgBouncer refuse root). */
function asPostgres(cmd: string, args: string[], env: Record<string, string> = {}, input?: string) {
  const [c, a] = isRoot ? [runuser ?? 'runuser', ['-u', 'postgres', '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...args]] : [cmd, args];
  return spawnSync(c, a, { encoding: 'utf8', env: { ...process.env, ...env }, input });
}

describe('PostgreSQL passwords and SCRAM through pgBouncer', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'pesquel-pg-'));
  const data = join(work, 'data');
  const sock = work;
  let port = 0; // chosen free in before(); PostgreSQL and pgBouncer retry another one if it is taken meanwhile
  const values: PrimaryValues = {
    postgresUser: 'pesquel', postgresPassword: randomAlphanumeric(32), postgresDb: 'pesquel',
    pgadminEmail: 'admin@pesquel.localhost', authenticatorPassword: randomAlphanumeric(32), traefikPassword: randomAlphanumeric(24),
  };
  const secrets = join(work, 'secrets');
  let bouncer: ReturnType<typeof spawn> | undefined;

  before(async () => {
    chmodSync(work, 0o755);
    if (isRoot) spawnSync('chown', ['postgres', work]);
    const made = asPostgres(initdb ?? 'initdb', ['-D', data, '-U', 'pesquel', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']);
    assert.equal(made.status, 0, made.stderr);
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const start = asPostgres(pgCtl ?? 'pg_ctl', ['-D', data, '-w', '-l', join(work, 'pg.log'), '-o', `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${sock}`, 'start']);
      if (start.status === 0) break;
      const log = readFileSync(join(work, 'pg.log'), 'utf8');
      if (attempt >= 3 || !/already in use/i.test(log)) assert.fail(start.stderr + start.stdout + log);
    }
    const created = asPostgres('psql', ['-h', sock, '-p', String(port), '-U', 'pesquel', '-d', 'postgres', '-qc', 'CREATE DATABASE pesquel']);
    assert.equal(created.status, 0, created.stderr);
    // The first init hook, as the official entrypoint runs it: sql/internal, sql/init, sql/production in order.
    const init = asPostgres('sh', [join(deployDir(), 'postgres', '10-pesquel-init.sh')], {
      POSTGRES_USER: 'pesquel', POSTGRES_DB: 'pesquel', PGHOST: sock, PGPORT: String(port),
      PESQUEL_SQL_DIR: join(deployDir(), '..', 'sql'),
    });
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /applying internal\/0001-roles\.sql[\s\S]*applying init\/03-create-roles\.sql[\s\S]*applying production\/01-anon-read-only\.sql/);
    spawnSync('mkdir', ['-p', secrets]);
    writeDerivedFiles(secrets, values);
  });

  after(async () => {
    if (bouncer && bouncer.exitCode === null) {
      const exited = new Promise((r) => bouncer?.once('exit', r));
      bouncer.kill('SIGKILL');
      await exited;
    }
    asPostgres(pgCtl ?? 'pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    rmSync(work, { recursive: true, force: true });
  });

  it('the hook gives authenticator the exact SCRAM secret and resets the superuser password', () => {
    const scram = readFileSync(join(secrets, 'authenticator_scram.txt'), 'utf8');
    // As in the container's init phase: values in the environment, psql over the local socket.
    const r = asPostgres('sh', [join(deployDir(), 'postgres', '99-pesquel-passwords.sh')], {
      PESQUEL_AUTHENTICATOR_SCRAM: scram, POSTGRES_USER: 'pesquel', POSTGRES_PASSWORD: values.postgresPassword,
      POSTGRES_DB: 'pesquel', PGHOST: sock, PGPORT: String(port),
    });
    assert.equal(r.status, 0, r.stderr);
    const stored = asPostgres('psql', ['-h', sock, '-p', String(port), '-U', 'pesquel', '-d', 'pesquel', '-Atc', "SELECT rolpassword FROM pg_authid WHERE rolname = 'authenticator'"]);
    assert.equal(stored.stdout.trim(), scram);
  });

  it('authenticator logs in over TCP with its password (SCRAM), and not with another', async () => {
    const uri = dbUri(values, '127.0.0.1', port);
    const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 5000 });
    await client.connect();
    const { rows } = await client.query<{ u: string }>('SELECT current_user AS u');
    await client.end();
    assert.equal(rows[0]?.u, 'authenticator');
    const bad = new pg.Client({ connectionString: uri.replace(values.authenticatorPassword, 'wrong') });
    await assert.rejects(bad.connect(), /password authentication failed/);
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'pesquel', password: values.postgresPassword, database: 'pesquel' });
    await admin.connect();
    await admin.end();
  });

  it('pgBouncer (transaction pooling, SCRAM userlist) passes the login through', { skip: !pgbouncer && 'pgbouncer not installed' }, async () => {
    await startBouncer(1);
  });

  async function startBouncer(attempt: number): Promise<void> {
    const version = /(\d+)\.(\d+)/.exec(spawnSync(pgbouncer ?? 'pgbouncer', ['--version'], { encoding: 'utf8' }).stdout);
    const modern = Number(version?.[1]) > 1 || Number(version?.[2]) >= 21;
    const bouncerPort = await freePort();
    const conf = readFileSync(join(deployDir(), 'pgbouncer', 'pgbouncer.ini'), 'utf8')
      .replace('* = host=postgres port=5432', `* = host=127.0.0.1 port=${port}`)
      .replace('listen_addr = 0.0.0.0', 'listen_addr = 127.0.0.1')
      .replace('listen_port = 6432', `listen_port = ${bouncerPort}`)
      .replace('auth_file = /run/pgbouncer/userlist.txt', `auth_file = ${join(secrets, 'pgbouncer_userlist.txt')}`)
      .replace(/^max_prepared_statements.*$/m, modern ? '$&' : '');
    writeFileSync(join(work, 'pgbouncer.ini'), conf);
    if (isRoot) spawnSync('chown', ['-R', 'postgres', secrets, join(work, 'pgbouncer.ini')]);
    // pgBouncer refuses to run as root; -u makes it switch to `postgres` itself.
    bouncer = spawn(pgbouncer ?? 'pgbouncer', [...(isRoot ? ['-u', 'postgres'] : []), join(work, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    bouncer.stderr?.setEncoding('utf8').on('data', (d: string) => { log += d; });
    const uri = dbUri(values, '127.0.0.1', bouncerPort);
    let lastError: unknown;
    for (let i = 0; i < 50; i++) {
      // The port was free when chosen; another process may have taken it since. Start again on a new one.
      if (bouncer.exitCode !== null && /already in use/i.test(log) && attempt < 3) return await startBouncer(attempt + 1);
      const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        // As PeSquel does it: the request role is transaction-local (safe in transaction pooling).
        await client.query('BEGIN');
        const role = await client.query<{ u: string }>("SELECT session_user AS u, set_config('role', 'api_anon', true)");
        const { rows } = await client.query<{ u: string; n: string }>('SELECT current_user AS u, count(*)::text AS n FROM api.todos');
        await client.query('COMMIT');
        await client.end();
        assert.equal(role.rows[0]?.u, 'authenticator');
        assert.deepEqual(rows[0], { u: 'api_anon', n: '0' });
        return;
      } catch (err) {
        lastError = err;
        await client.end().catch(() => {});
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.fail(`could not query through pgBouncer: ${String(lastError)}\n${log}`);
  }
});
