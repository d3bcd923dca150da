// `pesquel setup --api-instances N --pg-replicas M` end to end against the recording `docker` stand-in:
// the overlays and variables it hands Compose, the replication secrets (0600, never printed), Traefik's
// generated routes, the remembered scale, one-line refusals of bad flags, and teardown of a scaled stack.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { FakeDocker, HEALTHY } from './helpers/fake-docker.js';
import type { FakeCall } from './helpers/fake-docker.js';
import { makeStackDir, removeStackDir, secretValues } from './helpers/stack-dir.js';
import { scramMatches } from '../../src/cli/stack/scram.js';

const posix = process.platform !== 'win32';
const state = (service: string, i: number, health = 'healthy'): string =>
  JSON.stringify({ Service: service, Name: `pesquel-${service}-${i}`, State: 'running', Health: health });
/** Every container of a stack with 3 API instances and 2 replicas, healthy. */
const SCALED = [HEALTHY, state('pesquel', 2), state('pesquel', 3), state('postgres-replica', 1), state('postgres-replica', 2), state('pgbouncer-replicas', 1)].join('\n');
const PS_SCALED = { match: ' ps --all --format json$', responses: [{ stdout: `${SCALED}\n` }] };
const RUNNING = [
  { match: '^network inspect', responses: [{ stdout: 'web\n' }] },
  { match: ' ps --format json$', responses: [{ stdout: `${SCALED}\n` }] },
  PS_SCALED,
];
const PASSWORD_HOOK = 'exec -T postgres sh /docker-entrypoint-initdb.d/99-pesquel-passwords.sh';
const REPLICATION_HOOK = 'exec -T postgres sh /docker-entrypoint-initdb.d/20-pesquel-replication.sh';

/** A compose call as `[overlay file names, the arguments after them]`. */
function composeCall(c: FakeCall): { files: string[]; args: string } {
  const files: string[] = [];
  const rest: string[] = [];
  for (let i = 3; i < c.argv.length; i++) {
    if (c.argv[i] === '--file') files.push(basename(c.argv[++i] ?? ''));
    else rest.push(c.argv[i] ?? '');
  }
  return { files, args: rest.join(' ') };
}
const composeCalls = (fake: FakeDocker) => fake.calls().filter((c) => c.argv[0] === 'compose' && c.argv[1] === '--project-name').map((c) => ({ ...composeCall(c), env: c.env }));

describe('pesquel setup --api-instances / --pg-replicas', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  const secret = (name: string): string => readFileSync(join(stack, 'secrets', name), 'utf8');
  before(() => { fake = new FakeDocker([PS_SCALED]); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });

  it('layers the replicas overlay and the generated Traefik routes, runs the replication hook, waits for every container', async () => {
    const r = await runCli(['setup', '--api-instances', '3', '--pg-replicas', '2'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const calls = composeCalls(fake);
    for (const c of calls) {
      assert.deepEqual(c.files, ['docker-compose.yml', 'docker-compose.generated.yml', 'docker-compose.replicas.yml'], c.args);
      assert.equal(c.env.PESQUEL_STACK_API_INSTANCES, '3');
      assert.equal(c.env.PESQUEL_STACK_PG_REPLICAS, '2');
    }
    const args = calls.map((c) => c.args);
    assert.ok(args.indexOf(PASSWORD_HOOK) >= 0 && args.indexOf(PASSWORD_HOOK) < args.indexOf(REPLICATION_HOOK), args.join('\n'));
    assert.match(r.stdout, /Scale: 3 PeSquel containers behind Traefik .*; 2 streaming replicas of PostgreSQL, read directly\./);
    assert.match(r.stdout, /Waiting for postgres, pgbouncer, pesquel, traefik, postgres-replica, pgbouncer-replicas to be healthy/);
  });

  it('writes the replication secrets owner-only: password, SCRAM secret, passfile, replica URIs', () => {
    const pw = secret('replication_password.txt');
    assert.match(pw, /^[A-Za-z0-9]{32}$/);
    assert.ok(scramMatches(secret('replication_scram.txt'), pw));
    assert.equal(secret('replication_pgpass.txt'), `postgres:5432:replication:replicator:${pw}\n`);
    const auth = secret('authenticator_password.txt');
    assert.equal(secret('pesquel_db_replica_uris.txt'), [1, 2].map((i) => `postgres://authenticator:${auth}@pesquel-postgres-replica-${i}:5432/pesquel`).join(','));
    for (const f of ['replication_password.txt', 'replication_scram.txt', 'replication_pgpass.txt', 'pesquel_db_replica_uris.txt', 'scale.json']) {
      assert.equal(statSync(join(stack, 'secrets', f)).mode & 0o777, 0o600, f);
    }
    assert.deepEqual(JSON.parse(secret('scale.json')), { apiInstances: 3, pgReplicas: 2 });
  });

  it('generates Traefik routes to the 3 containers, health-checked on /ready, sticky only for the admin UI', () => {
    const dynamic = JSON.parse(readFileSync(join(stack, 'traefik', 'dynamic.yml'), 'utf8').replace(/^#.*\n/, '')) as {
      http: { services: Record<string, { loadBalancer: { servers: Array<{ url: string }>; healthCheck: unknown; sticky?: unknown } }> };
    };
    const api = dynamic.http.services['pesquel-api']?.loadBalancer;
    const admin = dynamic.http.services['pesquel-admin']?.loadBalancer;
    assert.deepEqual(api?.servers.map((s) => s.url), [1, 2, 3].map((i) => `http://pesquel-pesquel-${i}:3000`));
    assert.deepEqual(admin?.servers.map((s) => s.url), [1, 2, 3].map((i) => `http://pesquel-pesquel-${i}:3002`));
    assert.deepEqual(api?.healthCheck, { path: '/ready', port: 3001, interval: '5s', timeout: '3s' });
    assert.equal(api?.sticky, undefined, 'the API is stateless: no sticky sessions');
    assert.deepEqual(admin?.sticky, { cookie: { name: 'pesquel_admin_instance', httpOnly: true, secure: false, sameSite: 'strict' } });
  });

  it('never puts a replication secret in an argument, the environment or the output', async () => {
    fake.script(RUNNING);
    fake.clear();
    const r = await runCli(['setup', '--show-credentials'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const values = [...secretValues(stack), secret('replication_password.txt'), secret('replication_scram.txt').trim()];
    for (const call of fake.calls()) for (const v of values) assert.ok(!JSON.stringify(call).includes(v), `leaked into ${call.argv.join(' ')}`);
    for (const v of values.slice(-2)) assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v), 'replication secret printed');
  });

  it('a second run without the flags keeps the scale, every file, and restarts nothing', async () => {
    const files = ['scale.json', 'replication_password.txt', 'replication_scram.txt', 'replication_pgpass.txt', 'pesquel_db_replica_uris.txt'];
    const before = files.map((f) => [secret(f), statSync(join(stack, 'secrets', f)).mtimeMs]);
    fake.script(RUNNING);
    fake.clear();
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(files.map((f) => [secret(f), statSync(join(stack, 'secrets', f)).mtimeMs]), before);
    const calls = composeCalls(fake);
    assert.ok(calls.every((c) => c.files.includes('docker-compose.replicas.yml') && c.env.PESQUEL_STACK_API_INSTANCES === '3'));
    assert.ok(!calls.some((c) => c.args.startsWith('restart')), calls.map((c) => c.args).join('\n'));
  });

  it('generates pgbouncer-replicas\' databases: one per replica, world-readable, no secret', () => {
    const path = join(stack, 'pgbouncer', 'pgbouncer-replicas.ini');
    const ini = readFileSync(path, 'utf8');
    assert.equal(statSync(path).mode & 0o777, 0o644);
    const lines = ini.split('\n').filter((l) => l !== '' && !l.startsWith(';'));
    assert.deepEqual(lines, [
      '%include /etc/pgbouncer/pgbouncer.ini', '[databases]', '* = host=postgres-replica port=5432',
      "replica-1 = host=pesquel-postgres-replica-1 port=5432 dbname='pesquel'",
      "replica-2 = host=pesquel-postgres-replica-2 port=5432 dbname='pesquel'",
    ]);
  });

  it('--api-db pgbouncer points each replica URI at its own pgbouncer-replicas pool and restarts PeSquel to read them', async () => {
    fake.script(RUNNING);
    fake.clear();
    const r = await runCli(['setup', '--api-db', 'pgbouncer'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const auth = secret('authenticator_password.txt');
    assert.equal(secret('pesquel_db_replica_uris.txt'), [1, 2].map((i) => `postgres://authenticator:${auth}@pgbouncer-replicas:6432/replica-${i}`).join(','));
    assert.ok(composeCalls(fake).some((c) => c.args === 'restart pesquel'));
    assert.match(r.stdout, /read through pgbouncer-replicas \(a pool per replica\)/);
  });

  it('scales back to one container and no replicas: no overlay, no scale variables, the choice recorded', async () => {
    fake.script(RUNNING);
    fake.clear();
    const r = await runCli(['setup', '--api-instances', '1', '--pg-replicas', '0'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    for (const c of composeCalls(fake)) {
      assert.deepEqual(c.files, ['docker-compose.yml']);
      assert.equal(c.env.PESQUEL_STACK_API_INSTANCES, undefined);
      assert.equal(c.env.PESQUEL_STACK_PG_REPLICAS, undefined);
      assert.notEqual(c.args, REPLICATION_HOOK);
    }
    assert.deepEqual(JSON.parse(secret('scale.json')), { apiInstances: 1, pgReplicas: 0 });
  });

  it('warns when the API containers could use up max_connections, and suggests pgBouncer', async () => {
    fake.script(RUNNING);
    // --api-db is remembered from an earlier test's pgbouncer: back to direct connections.
    const r = await runCli(['setup', '--api-instances', '8', '--api-db', 'postgres'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Warning: 8 API instances may open 112 connections to PostgreSQL, more than its 97 .* Use --api-db pgbouncer/);
  });
});

describe('bad scale flags', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  before(() => { fake = new FakeDocker(); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });

  const bad: Array<[string[], RegExp]> = [
    [['--api-instances', '0'], /^--api-instances must be a whole number from 1 to 64, not '0'\.$/],
    [['--api-instances', 'two'], /^--api-instances must be a whole number from 1 to 64, not 'two'\.$/],
    [['--api-instances', '1.5'], /not '1\.5'/],
    [['--api-instances', '65'], /from 1 to 64, not '65'/],
    [['--api-instances', '-2'], /--api-instances/],
    [['--pg-replicas', '-1'], /--pg-replicas/],
    [['--pg-replicas', '9'], /^--pg-replicas must be a whole number from 0 to 8, not '9'\.$/],
    [['--pg-replicas', ''], /^--pg-replicas must be a whole number from 0 to 8, not ''\.$/],
    [['--pg-replicas', '0x2'], /not '0x2'/],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${args.join(' ') || '(empty)'} with one line, before touching Docker`, async () => {
      fake.clear();
      const r = await runCli(['setup', ...args], { cwd: stack, path: [fake.dir] });
      assert.notEqual(r.code, 0);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]?.replace(/^pesquel[^:]*: (error: )?/i, '') ?? '', message);
      assert.deepEqual(fake.calls(), []);
    });
  }

  it('refuses a damaged secrets/scale.json with one line naming it', async () => {
    mkdirSync(join(stack, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(join(stack, 'secrets', 'scale.json'), '{"apiInstances": 0}');
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /secrets\/scale\.json is not valid: delete it, or give --api-instances and --pg-replicas again\./);
  });
});

describe('pesquel teardown of a scaled stack', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  before(() => { fake = new FakeDocker([PS_SCALED]); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });

  it('stops the replicas with the rest (their overlay is part of `down`) and deletes the scale with --secrets', async () => {
    const r0 = await runCli(['setup', '--no-pull', '--api-instances', '2', '--pg-replicas', '1'], { cwd: stack, path: [fake.dir] });
    assert.equal(r0.code, 0, r0.stderr);
    fake.clear();
    const r = await runCli(['teardown', '--volumes', '--secrets'], { cwd: stack, path: [fake.dir], stdin: 'n\n' });
    assert.equal(r.code, 0, r.stderr);
    const down = composeCalls(fake).find((c) => c.args.includes('down'));
    assert.ok(down);
    assert.deepEqual(down.files, ['docker-compose.yml', 'docker-compose.replicas.yml']);
    assert.equal(down.args, '--profile pgadmin down --remove-orphans --volumes');
    assert.equal(down.env.PESQUEL_STACK_PG_REPLICAS, '1');
    for (const f of ['scale.json', 'replication_password.txt', 'pesquel_db_replica_uris.txt']) {
      assert.throws(() => statSync(join(stack, 'secrets', f)), /ENOENT/, `${f} deleted`);
    }
  });

  it('a damaged scale.json does not keep the stack from stopping', async () => {
    mkdirSync(join(stack, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(join(stack, 'secrets', 'scale.json'), 'garbage');
    fake.clear();
    const r = await runCli(['teardown'], { cwd: stack, path: [fake.dir], stdin: '' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /scale\.json is not valid.*Stopping without it\./);
    assert.ok(composeCalls(fake).some((c) => c.args === '--profile pgadmin down --remove-orphans'));
  });
});
