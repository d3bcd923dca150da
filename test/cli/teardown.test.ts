// `pesquel teardown` end to end against the recording `docker` stand-in: what it stops and deletes
// for each combination of flags and typed (piped) answers; nothing is deleted without an answer.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { FakeDocker } from './helpers/fake-docker.js';
import { makeStackDir, removeStackDir } from './helpers/stack-dir.js';

const posix = process.platform !== 'win32';
const CHECKS = ['info --format {{json .SecurityOptions}}', 'compose version --short'];
const DOWN = 'compose --profile pgadmin down --remove-orphans';
const NETWORK_RM = ['network inspect --format {{.Name}} web', 'network rm web'];
const NETWORK_EXISTS = { match: '^network inspect', responses: [{ stdout: 'web\n' }] };

describe('pesquel teardown', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  const secrets = (): string => join(stack, 'secrets');

  beforeEach(async () => {
    fake = new FakeDocker();
    stack = makeStackDir();
    const r = await runCli(['setup', '--no-pull'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    fake.script([NETWORK_EXISTS]);
    fake.clear();
  });
  afterEach(() => { fake.dispose(); removeStackDir(stack); });

  it('with --yes deletes volumes, network and only the secret files setup wrote', async () => {
    writeFileSync(join(secrets(), 'my-notes.txt'), 'keep me');
    const r = await runCli(['teardown', '--yes'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.commands(), [...CHECKS, `${DOWN} --volumes`, ...NETWORK_RM]);
    assert.deepEqual(readdirSync(secrets()), ['my-notes.txt']);
    assert.doesNotMatch(r.stdout, /\[y\/N\]/, 'asks nothing');
  });

  it('the three flags together delete everything without asking; the folder goes when empty', async () => {
    const r = await runCli(['teardown', '--volumes', '--network', '--secrets'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.commands(), [...CHECKS, `${DOWN} --volumes`, ...NETWORK_RM]);
    assert.equal(existsSync(secrets()), false);
  });

  const answered: Array<[string, string, { volumes: boolean; network: boolean; secrets: boolean }]> = [
    ['y n n', 'y\nn\nn\n', { volumes: true, network: false, secrets: false }],
    ['n y n', 'n\nyes\nn\n', { volumes: false, network: true, secrets: false }],
    ['N, empty, Y', 'N\n\nY\n', { volumes: false, network: false, secrets: true }],
    ['no input at all', '', { volumes: false, network: false, secrets: false }],
    ['one answer then end of input', 'y\n', { volumes: true, network: false, secrets: false }],
    ['an unclear answer, asked again', 'maybe\ny\nn\nn\n', { volumes: true, network: false, secrets: false }],
  ];
  for (const [name, stdin, want] of answered) {
    it(`respects typed answers: ${name}`, async () => {
      const r = await runCli(['teardown'], { cwd: stack, path: [fake.dir], stdin });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(fake.commands(), [
        ...CHECKS,
        want.volumes ? `${DOWN} --volumes` : DOWN,
        ...(want.network ? NETWORK_RM : []),
      ]);
      assert.equal(existsSync(join(secrets(), 'jwt_secret.txt')), !want.secrets);
      assert.equal((r.stdout.match(/\[y\/N\]/g) ?? []).length, name.startsWith('an unclear') ? 4 : 3);
      assert.match(r.stdout, want.volumes ? /deleted its data volumes/ : /the data volumes are kept/);
    });
  }

  it('asks only the questions that no flag answered', async () => {
    const r = await runCli(['teardown', '--secrets'], { cwd: stack, path: [fake.dir], stdin: 'n\nn\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stdout.match(/\[y\/N\]/g) ?? []).length, 2);
    assert.doesNotMatch(r.stdout, /Delete the secrets/);
    assert.equal(existsSync(join(secrets(), 'jwt_secret.txt')), false);
    assert.deepEqual(fake.commands(), [...CHECKS, DOWN]);
  });

  it('reports a network still in use and still succeeds', async () => {
    fake.script([NETWORK_EXISTS, { match: '^network rm', responses: [{ code: 1, stderr: 'Error response from daemon: error while removing network: network web has active endpoints\n' }] }]);
    const r = await runCli(['teardown', '--network'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Kept the Docker network 'web': Error response from daemon: .*active endpoints/);
  });

  it('fails with one line when compose down fails, deleting nothing', async () => {
    fake.script([{ match: ' down ', responses: [{ code: 1, stderr: 'boom\n' }] }]);
    const r = await runCli(['teardown', '--yes'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 1);
    // docker's own output comes first (streamed), then PeSquel's one line.
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'boom',
      'pesquel teardown: Stopping the stack failed (docker compose down --remove-orphans --volumes exited with 1); see the output above.',
    ]);
    assert.ok(existsSync(join(secrets(), 'jwt_secret.txt')));
    assert.ok(!fake.commands().some((c) => c.startsWith('network')));
  });

  it('--help prints usage; an unknown flag is a usage error', async () => {
    const help = await runCli(['teardown', '--help'], { cwd: stack, path: [fake.dir] });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--volumes/);
    const bad = await runCli(['teardown', '--everything'], { cwd: stack, path: [fake.dir] });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^pesquel teardown: Unknown option '--everything'/);
    assert.deepEqual(fake.commands(), []);
  });
});
