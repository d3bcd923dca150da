// `pesquel setup` end to end against a recording stand-in for `docker`: the exact commands, the
// secrets (0600, never overwritten, never printed), idempotency, options and health waiting.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { FakeDocker, HEALTHY } from './helpers/fake-docker.js';
import { makeStackDir, removeStackDir, secretValues, snapshotSecrets } from './helpers/stack-dir.js';
import { scramMatches } from '../../src/cli/stack/scram.js';

const posix = process.platform !== 'win32';
const HOOK = 'compose exec -T postgres sh /docker-entrypoint-initdb.d/99-pesquel-passwords.sh';
const FRESH = [
  'info --format {{json .SecurityOptions}}',
  'compose version --short',
  'network inspect --format {{.Name}} web',
  'network create web',
  'compose ps --format json',
  'compose pull --ignore-buildable',
  'compose build',
  'compose up --detach --remove-orphans',
  'compose ps --all --format json',
  HOOK,
  'compose ps --all --format json',
];
/** A second run: the network exists and every service is already up. */
const RUNNING = [
  { match: '^network inspect', responses: [{ stdout: 'web\n' }] },
  { match: ' ps --format json$', responses: [{ stdout: `${HEALTHY}\n` }] },
];

describe('pesquel setup', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  before(() => { fake = new FakeDocker(); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });

  it('issues exactly the expected docker commands on a fresh machine', async () => {
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.commands(), FRESH);
    const compose = fake.calls().find((c) => c.argv[1] === '--project-name');
    assert.ok(compose);
    assert.equal(compose.argv.slice(0, 4).join(' '), 'compose --project-name pesquel --file');
    assert.match(compose.argv[4] ?? '', /deploy[\\/]docker-compose\.yml$/);
    assert.deepEqual(
      { ...compose.env, PESQUEL_STACK_UID: undefined, PESQUEL_STACK_GID: undefined },
      {
        PESQUEL_STACK_DIR: stack, PESQUEL_STACK_DOMAIN: 'pesquel.localhost', PESQUEL_STACK_API_DB: 'postgres',
        PESQUEL_STACK_HTTP_PORT: '80', PESQUEL_STACK_POSTGRES_PORT: '5432', PESQUEL_STACK_NETWORK: 'web',
        PESQUEL_STACK_API_URL: 'http://api.pesquel.localhost',
        PESQUEL_STACK_UID: undefined, PESQUEL_STACK_GID: undefined,
      },
    );
    assert.equal(compose.env.PESQUEL_STACK_UID, String(statSync(join(stack, 'secrets')).uid));
    assert.match(r.stdout, /http:\/\/api\.pesquel\.localhost\//);
    assert.match(r.stdout, /http:\/\/admin\.pesquel\.localhost\//);
    assert.match(r.stdout, /http:\/\/traefik\.pesquel\.localhost\//);
    assert.ok(r.stdout.includes(join(stack, 'secrets')), 'says where the credentials are');
  });

  it('creates every secret owner-only, with the seed names and the expected shapes', () => {
    const files = snapshotSecrets(stack);
    assert.deepEqual([...files.keys()], [
      '.gitignore', 'authenticator_password.txt', 'authenticator_scram.txt', 'jwt_secret.txt',
      'pesquel_admin_db_uri.txt', 'pesquel_admin_password.txt', 'pesquel_db_listen_uri.txt', 'pesquel_db_uri.txt', 'pgadmin_email.txt',
      'pgadmin_password.txt', 'pgadmin_servers.json', 'pgbouncer_userlist.txt', 'postgres_db.txt',
      'postgres_password.txt', 'postgres_user.txt', 'setup.json', 'traefik_dashboard_password.txt', 'traefik_users.txt',
    ]);
    for (const [name, f] of files) assert.equal(f.mode, 0o600, `${name} is 0600`);
    assert.equal(statSync(join(stack, 'secrets')).mode & 0o777, 0o700);
    const get = (n: string): string => files.get(n)?.content ?? '';
    assert.match(get('jwt_secret.txt'), /^[A-Za-z0-9]{64}$/);
    assert.match(get('postgres_password.txt'), /^[A-Za-z0-9]{32}$/);
    assert.equal(get('postgres_user.txt'), 'pesquel');
    assert.equal(get('postgres_db.txt'), 'pesquel');
    assert.equal(get('pgadmin_email.txt'), 'admin@pesquel.localhost');
    const pw = get('authenticator_password.txt');
    assert.equal(get('pesquel_db_uri.txt'), `postgres://authenticator:${pw}@pgbouncer:6432/pesquel`);
    assert.equal(get('pesquel_db_listen_uri.txt'), `postgres://authenticator:${pw}@postgres:5432/pesquel`);
    assert.equal(get('pesquel_admin_db_uri.txt'), `postgres://pesquel:${get('postgres_password.txt')}@postgres:5432/pesquel`);
    assert.ok(scramMatches(get('authenticator_scram.txt'), pw));
    assert.equal(get('pgbouncer_userlist.txt'), `"authenticator" "${get('authenticator_scram.txt')}"\n`);
    assert.match(get('traefik_users.txt'), /^admin:\$2y\$10\$[./0-9A-Za-z]{53}\n$/);
    const servers = JSON.parse(get('pgadmin_servers.json')) as { Servers: Record<string, Record<string, unknown>> };
    assert.deepEqual(
      { Host: servers.Servers['1']?.Host, Port: servers.Servers['1']?.Port, Username: servers.Servers['1']?.Username },
      { Host: 'postgres', Port: 5432, Username: 'pesquel' },
    );
  });

  it('never puts a secret in an argument, the environment or the output', async () => {
    const secrets = secretValues(stack);
    fake.clear();
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    for (const call of fake.calls()) {
      const text = JSON.stringify(call);
      for (const s of secrets) assert.ok(!text.includes(s), `secret leaked into ${call.argv.join(' ')}`);
    }
    for (const s of secrets) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'secret printed');
  });

  it('is idempotent: a second run keeps every file untouched and restarts nothing', async () => {
    const before = snapshotSecrets(stack);
    fake.script(RUNNING);
    fake.clear();
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(snapshotSecrets(stack), before);
    assert.match(r.stdout, /0 created, 9 kept\./);
    assert.deepEqual(fake.commands(), FRESH.filter((c) => c !== 'network create web'));
  });

  it('never overwrites an edited secret, tightens its mode, and restarts only the services that read changed files', async () => {
    const jwt = join(stack, 'secrets', 'jwt_secret.txt');
    const auth = join(stack, 'secrets', 'authenticator_password.txt');
    writeFileSync(jwt, 'my-own-jwt-secret-that-is-long-enough-for-hs256-0123456789\n');
    chmodSync(jwt, 0o644);
    unlinkSync(auth);
    fake.script(RUNNING);
    fake.clear();
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(jwt, 'utf8'), 'my-own-jwt-secret-that-is-long-enough-for-hs256-0123456789\n');
    assert.equal(statSync(jwt).mode & 0o777, 0o600);
    assert.match(r.stdout, /Restricted to owner-only \(0600\): jwt_secret\.txt/);
    const pw = readFileSync(auth, 'utf8');
    assert.match(pw, /^[A-Za-z0-9]{32}$/);
    assert.ok(readFileSync(join(stack, 'secrets', 'pesquel_db_uri.txt'), 'utf8').includes(`:${pw}@`));
    const cmds = fake.commands();
    assert.ok(cmds.indexOf(HOOK) < cmds.indexOf('compose restart pgbouncer pesquel'), cmds.join('\n'));
  });

  it('prints the credentials only with --show-credentials', async () => {
    const r = await runCli(['setup', '--show-credentials'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    for (const s of secretValues(stack).slice(0, 6)) assert.ok(r.stdout.includes(s));
  });
});

describe('pesquel setup options', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  before(() => { fake = new FakeDocker(); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });

  it('--domain, --api-db, --pgadmin, ports and --no-pull reach compose as variables and profiles', async () => {
    const args = ['setup', '--domain', 'TheDDT.localhost', '--api-db', 'pgbouncer', '--pgadmin', '--http-port', '8080', '--postgres-port', '15432', '--no-pull'];
    const r = await runCli(args, { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const cmds = fake.commands();
    assert.ok(!cmds.some((c) => c.includes(' pull')), 'no pull');
    assert.ok(cmds.includes('compose --profile pgadmin up --detach --remove-orphans'), cmds.join('\n'));
    const env = fake.calls().at(-1)?.env ?? {};
    assert.equal(env.PESQUEL_STACK_DOMAIN, 'theddt.localhost');
    assert.equal(env.PESQUEL_STACK_API_DB, 'pgbouncer');
    assert.equal(env.PESQUEL_STACK_HTTP_PORT, '8080');
    assert.equal(env.PESQUEL_STACK_POSTGRES_PORT, '15432');
    assert.equal(env.PESQUEL_STACK_API_URL, 'http://api.theddt.localhost:8080');
    assert.match(r.stdout, /http:\/\/pgadmin\.theddt\.localhost:8080\//);
    assert.match(r.stdout, /through pgBouncer/);
    assert.doesNotMatch(r.stdout, /hosts/);
    assert.equal(readFileSync(join(stack, 'secrets', 'pgadmin_email.txt'), 'utf8'), 'admin@theddt.localhost');
  });

  it('--monitoring and --backups layer their compose files and profile on the stack (pgAdmin is remembered)', async () => {
    fake.clear();
    const r = await runCli(['setup', '--monitoring', '--backups', '--no-pull'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const up = fake.calls().map((c) => c.argv.join(' ')).find((c) => c.endsWith('up --detach --remove-orphans')) ?? '';
    assert.match(up, /--file \S+docker-compose\.yml --file \S+monitoring\/docker-compose\.monitoring\.yml --file \S+backup\/docker-compose\.backup\.yml --profile pgadmin --profile monitoring up/);
    assert.match(r.stdout, /^Remembered from secrets\/setup\.json: --domain theddt\.localhost --api-db pgbouncer --pgadmin --http-port 8080 --postgres-port 15432 \(a flag overrides each\)\.$/m);
  });

  it('prints the exact hosts-file lines for a domain that does not resolve, and continues', async () => {
    const r = await runCli(['setup', '--domain', 'pesquel-test.invalid'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    for (const sub of ['api', 'admin', 'pgadmin', 'traefik']) assert.ok(lines.includes(`127.0.0.1 ${sub}.pesquel-test.invalid`), sub);
    assert.match(r.stdout, /\/etc\/hosts/);
    assert.match(r.stdout, /PeSquel is up/);
  });

  it('waits while services start, then succeeds', async () => {
    const starting = HEALTHY.replace(/"Health":"healthy"/g, '"Health":"starting"');
    fake.script([{ match: ' ps --all --format json$', responses: [{ stdout: starting }, { stdout: starting }, { stdout: HEALTHY }] }]);
    fake.clear();
    // The --no-… forms turn off what earlier tests left remembered (the compose command lines stay short).
    const r = await runCli(['setup', '--no-pull', '--no-monitoring', '--no-backups', '--no-pgadmin'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.commands().filter((c) => c === 'compose ps --all --format json').length, 4);
  });

  const failures: Array<[string, string, RegExp]> = [
    ['an exited service', '{"Service":"pesquel","State":"exited","Health":""}', /stopped: pesquel \(exited\)\. See `docker compose -p pesquel logs pesquel`/],
    ['an unhealthy service at the timeout', HEALTHY.replace('"Service":"pgbouncer","Name":"pesquel-pgbouncer-1","State":"running","Health":"healthy"', '"Service":"pgbouncer","State":"running","Health":"unhealthy"'), /not healthy after 1 s: pgbouncer \(unhealthy\)/],
  ];
  for (const [name, ps, message] of failures) {
    it(`fails with one line for ${name}`, async () => {
      const healthyPostgres = '{"Service":"postgres","State":"running","Health":"healthy"}\n';
      fake.script([{ match: ' ps --all --format json$', responses: [{ stdout: healthyPostgres }, { stdout: `${healthyPostgres}${ps}\n` }] }]);
      const r = await runCli(['setup', '--no-pull', '--timeout', '1'], { cwd: stack, path: [fake.dir] });
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^pesquel setup: /);
      assert.match(r.stderr, message);
    });
  }

  it('stops with one line when a compose step fails', async () => {
    fake.script([{ match: ' up --detach', responses: [{ code: 17, stderr: 'Error: port is already allocated\n' }] }]);
    const r = await runCli(['setup', '--no-pull'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^pesquel setup: Starting the stack failed \(docker compose up --detach --remove-orphans exited with 17\); see the output above\.\n$/m);
  });

  const bad: Array<[string[], RegExp, number]> = [
    [['--domain', 'bad domain!'], /'bad domain!' is not a valid domain name/, 1],
    [['--domain', 'x`);Host(`evil'], /is not a valid domain name/, 1],
    [['--api-db', 'pgpool'], /--api-db must be 'pgbouncer' or 'postgres'/, 2],
    [['--http-port', '99999'], /--http-port must be a port number/, 1],
    [['--frobnicate'], /Unknown option '--frobnicate'.*pesquel setup --help/, 2],
  ];
  for (const [args, message, code] of bad) {
    it(`rejects ${args.join(' ')} with one line before calling docker`, async () => {
      fake.clear();
      const r = await runCli(['setup', ...args], { cwd: stack, path: [fake.dir] });
      assert.equal(r.code, code);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.deepEqual(fake.commands(), []);
    });
  }

  it('--help prints usage and exits 0', async () => {
    const r = await runCli(['setup', '--help'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: pesquel setup/);
    assert.match(r.stdout, /--api-db/);
  });
});
