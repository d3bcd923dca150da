// `pesquel setup` run again, end to end against the recording docker stand-in: a plain run keeps the
// production choices of the first (domain, Let's Encrypt, add-ons, ports), flags change one choice at a
// time, a damaged secrets/setup.json stops setup before Docker, and teardown --secrets deletes it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tlsOverlayPaths } from '../../src/cli/stack/tls.js';
import { runCli } from './helpers/cli.js';
import type { CliResult } from './helpers/cli.js';
import { FakeDocker } from './helpers/fake-docker.js';
import type { FakeCall } from './helpers/fake-docker.js';
import { makeStackDir, removeStackDir, secretValues } from './helpers/stack-dir.js';

const posix = process.platform !== 'win32';
const ACME = { mode: 'acme', email: 'ops@example.com', staging: false, challenge: 'tls-alpn' } as const;
const RUNNING = [{ match: '^network inspect', responses: [{ stdout: 'web\n' }] }];

describe('pesquel setup remembers its choices', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  before(() => { fake = new FakeDocker(RUNNING); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });

  const record = () => join(stack, 'secrets', 'setup.json');
  async function setup(...args: string[]): Promise<{ r: CliResult; up: FakeCall }> {
    fake.clear();
    const r = await runCli(['setup', '--no-pull', ...args], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const up = fake.calls().find((c) => c.argv.includes('up'));
    assert.ok(up, fake.commands().join('\n'));
    return { r, up };
  }
  const files = (c: FakeCall) => c.argv.filter((_, i) => c.argv[i - 1] === '--file').slice(1);
  const profiles = (c: FakeCall) => c.argv.filter((_, i) => c.argv[i - 1] === '--profile');

  it('records the first run\'s choices owner-only, with no secret in the file', async () => {
    const { r } = await setup('--domain', 'example.com', '--acme-email', 'ops@example.com', '--acme-challenge', 'tls-alpn', '--http-port', '8080', '--monitoring');
    assert.doesNotMatch(r.stdout, /Remembered/);
    assert.equal(statSync(record()).mode & 0o777, 0o600);
    const text = readFileSync(record(), 'utf8');
    assert.deepEqual(JSON.parse(text), {
      version: 1, domain: 'example.com', tls: ACME, apiDb: 'postgres', pgadmin: false, monitoring: true, backups: false,
      httpPort: 8080, httpsPort: 443, postgresPort: 5432,
    });
    for (const s of secretValues(stack)) assert.ok(!text.includes(s), 'a secret in setup.json');
  });

  it('a plain run to add pgAdmin keeps the domain, Let\'s Encrypt, monitoring and the port, and says so in one line', async () => {
    const before = statSync(record()).mtimeMs;
    const { r, up } = await setup('--pgadmin');
    assert.equal(up.env.PESQUEL_STACK_DOMAIN, 'example.com');
    assert.equal(up.env.PESQUEL_STACK_HTTP_PORT, '8080');
    assert.equal(up.env.PESQUEL_STACK_HTTPS_PORT, '443');
    assert.equal(up.env.PESQUEL_STACK_API_URL, 'https://api.example.com');
    assert.deepEqual(files(up).slice(0, 2), tlsOverlayPaths(ACME));
    assert.deepEqual(profiles(up), ['pgadmin', 'monitoring']);
    const remembered = r.stdout.split('\n').filter((l) => l.startsWith('Remembered'));
    assert.deepEqual(remembered, ['Remembered from secrets/setup.json: --domain example.com --monitoring --http-port 8080 --acme-email ops@example.com --acme-challenge tls-alpn (a flag overrides each).']);
    assert.match(r.stdout, /https:\/\/pgadmin\.example\.com\//);
    assert.match(r.stdout, /TLS-ALPN-01 challenge/);
    assert.notEqual(statSync(record()).mtimeMs, before, 'pgAdmin is recorded');
    assert.equal(JSON.parse(readFileSync(record(), 'utf8')).pgadmin, true);
  });

  it('running again with no flag changes nothing in the file', async () => {
    const before = readFileSync(record(), 'utf8');
    const mtime = statSync(record()).mtimeMs;
    const { up } = await setup();
    assert.deepEqual(profiles(up), ['pgadmin', 'monitoring']);
    assert.equal(readFileSync(record(), 'utf8'), before);
    assert.equal(statSync(record()).mtimeMs, mtime);
  });

  it('--no-pgadmin and --no-monitoring turn the add-ons off; the rest stays', async () => {
    const { up } = await setup('--no-pgadmin', '--no-monitoring');
    assert.deepEqual(profiles(up), []);
    assert.ok(!files(up).some((f) => f.includes('monitoring')));
    assert.equal(up.env.PESQUEL_STACK_DOMAIN, 'example.com');
    assert.deepEqual(files(up), tlsOverlayPaths(ACME));
  });

  it('a local domain while Let\'s Encrypt is remembered is refused with one line, before Docker', async () => {
    fake.clear();
    const r = await runCli(['setup', '--domain', 'shop.localhost'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Let's Encrypt cannot issue certificates for shop\.localhost.*recorded by the last setup: --tls off or --tls self-signed changes it/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.deepEqual(fake.commands(), []);
  });

  it('--tls off and another domain are allowed, and said clearly', async () => {
    const { r, up } = await setup('--tls', 'off', '--domain', 'pesquel.localhost');
    assert.match(r.stdout, /Changing the domain from example\.com \(recorded\) to pesquel\.localhost/);
    assert.match(r.stdout, /Turning HTTPS off: the last setup served HTTPS from Let's Encrypt, this one serves plain HTTP only\..*HSTS/);
    assert.equal(up.env.PESQUEL_STACK_HTTPS_PORT, undefined);
    assert.equal(up.env.PESQUEL_STACK_API_URL, 'http://api.pesquel.localhost:8080');
    assert.deepEqual(files(up), []);
    const next = await setup();
    assert.match(next.r.stdout, /^Remembered from secrets\/setup\.json: --http-port 8080 \(a flag overrides each\)\.$/m);
    assert.doesNotMatch(next.r.stdout, /Changing|Turning/);
  });

  it('a damaged setup.json stops setup with one line naming it, before Docker', async () => {
    writeFileSync(record(), '{"version": 1, "domain": "example.com"');
    fake.clear();
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `pesquel setup: ${record()} is not valid (not a JSON object): fix it, or delete it and give setup's flags again.\n`);
    assert.deepEqual(fake.commands(), []);
  });

  it('teardown --secrets deletes it; the next setup starts from the defaults', async () => {
    fake.clear();
    const t = await runCli(['teardown', '--secrets'], { cwd: stack, path: [fake.dir], stdin: 'n\nn\n' });
    assert.equal(t.code, 0, t.stderr);
    assert.equal(existsSync(record()), false);
    const { r, up } = await setup();
    assert.equal(up.env.PESQUEL_STACK_HTTP_PORT, '80');
    assert.doesNotMatch(r.stdout, /Remembered/);
  });
});
