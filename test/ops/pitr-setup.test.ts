// `pesquel setup --pitr` / `--pitr-s3` and `pesquel restore --to-time` on the compose stack, against the
// recording stand-in for `docker`: the overlays, the stanza steps, the passphrase made once and never
// printed, the remembered choice, and the restore's exact compose commands.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../cli/helpers/cli.js';
import { FakeDocker, HEALTHY } from '../cli/helpers/fake-docker.js';
import { makeStackDir, removeStackDir } from '../cli/helpers/stack-dir.js';

const posix = process.platform !== 'win32';
const UP = [{ match: '^network inspect', responses: [{ stdout: 'web\n' }] }];
const cipher = (stack: string) => readFileSync(join(stack, 'secrets', 'pitr_cipher_pass.txt'), 'utf8');
const overlaysOf = (fake: FakeDocker) => fake.calls().filter((c) => c.argv[1] === '--project-name').map((c) => c.argv.filter((a) => /docker-compose\.[\w-]+\.yml$/.test(a)).map((a) => a.replace(/.*[\\/]/, '')))[0];

describe('pesquel setup --pitr', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  before(() => { fake = new FakeDocker(UP); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });

  it('adds the overlay, creates the passphrase once, creates and checks the stanza', async () => {
    const r = await runCli(['setup', '--pitr'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(overlaysOf(fake), ['docker-compose.pitr.yml']);
    const cmds = fake.commands().map((c) => c.replace(/ --file \S+/g, ''));
    const hook = cmds.findIndex((c) => c.includes('99-pesquel-passwords.sh'));
    assert.match(cmds[hook + 1] ?? '', /^compose exec -T postgres sh -c \/usr\/local\/bin\/pesquel-pgbackrest stanza-create \|\| /);
    assert.match(cmds[hook + 2] ?? '', /^compose exec -T postgres sh -c \/usr\/local\/bin\/pesquel-pgbackrest check && /);
    const pass = cipher(stack);
    assert.match(pass, /^[A-Za-z0-9]{64}$/);
    assert.equal(statSync(join(stack, 'secrets', 'pitr_cipher_pass.txt')).mode & 0o777, 0o600);
    assert.ok(!r.stdout.includes(pass) && !r.stderr.includes(pass), 'never printed');
    assert.ok(!JSON.stringify(fake.calls()).includes(pass), 'never on a command line or in the environment');
    assert.match(r.stdout, /passphrase created in secrets\/pitr_cipher_pass\.txt/);
  });

  it('keeps the choice and the passphrase on a later run without flags', async () => {
    const before = cipher(stack);
    fake.clear();
    const r = await runCli(['setup'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cipher(stack), before);
    assert.deepEqual(overlaysOf(fake), ['docker-compose.pitr.yml']);
    assert.match(r.stdout, /passphrase kept/);
  });

  it('--pitr-s3 names the missing secrets files, then layers the S3 overlay', async () => {
    fake.clear();
    const missing = await runCli(['setup', '--pitr-s3', 'my-backups/prod/db'], { cwd: stack, path: [fake.dir] });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /secrets\/pitr_s3_endpoint\.txt, secrets\/pitr_s3_region\.txt, secrets\/pitr_s3_key\.txt, secrets\/pitr_s3_key_secret\.txt/);
    const keys = { endpoint: 's3.example.test', region: 'eu-west-1', key: 'AKIAEXAMPLEKEY0001', key_secret: 'very-secret-key-value-0001' };
    for (const [k, v] of Object.entries(keys)) writeFileSync(join(stack, 'secrets', `pitr_s3_${k}.txt`), `${v}\n`, { mode: 0o600 });
    fake.clear();
    const r = await runCli(['setup', '--pitr-s3', 'my-backups/prod/db'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(overlaysOf(fake), ['docker-compose.pitr.yml', 'docker-compose.pitr-s3.yml']);
    const env = fake.calls().find((c) => c.argv[1] === '--project-name')?.env;
    assert.equal(env?.PESQUEL_STACK_PITR_REPO, 's3');
    assert.equal(env?.PESQUEL_STACK_PITR_S3_BUCKET, 'my-backups');
    assert.equal(env?.PESQUEL_STACK_PITR_S3_PATH, '/prod/db');
    for (const v of [keys.key, keys.key_secret]) assert.ok(!(r.stdout + r.stderr + JSON.stringify(fake.calls())).includes(v));
    assert.match(r.stdout, /s3:\/\/my-backups\/prod\/db/);
  });

  it('rejects a bad bucket and contradicting flags in one line', async () => {
    for (const args of [['--pitr-s3', 'Bad_Bucket/x'], ['--pitr', '--no-pitr']]) {
      const r = await runCli(['setup', ...args], { cwd: stack, path: [fake.dir] });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('restore --to-time stops, restores with --delta, starts, waits for the promotion and checks', async () => {
    fake.script([
      ...UP,
      { match: 'pg_is_in_recovery', responses: [{ stdout: 't\n' }, { stdout: 'f\n' }] },
      { match: 'query_to_xml', responses: [{ stdout: 'api.todos|3\npesquel.internal_migrations|5\n' }] },
      { match: 'exec -T pesquel node', responses: [{ stdout: '200\n' }] },
      { match: ' ps --all --format json$', responses: [{ stdout: `${HEALTHY}\n` }] },
    ]);
    fake.clear();
    const r = await runCli(['restore', '--to-time', '2026-12-04 10:15:00+00'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const cmds = fake.commands().filter((c) => !c.includes(' ps --all')).map((c) => c.replace(/ --file \S+/g, ''));
    assert.equal(cmds[0], 'compose stop pesquel pgbouncer pgbackrest postgres');
    assert.ok(cmds[1]!.endsWith('run --rm --no-deps -T --entrypoint /usr/local/bin/pesquel-pgbackrest pgbackrest restore --type=time --target=2026-12-04 10:15:00+00 --target-action=promote --delta'), cmds[1]);
    assert.ok(cmds[2]!.endsWith('start postgres'));
    assert.match(r.stdout, /api\.todos: 3 rows/);
    assert.match(r.stdout, /2 tables, 8 rows/);
    assert.match(r.stdout, /The API answers \(200\)/);
  });

  it('restore refuses a bad time before running anything, and a stack without PITR', async () => {
    fake.clear();
    const bad = await runCli(['restore', '--to-time', '2026-12-04 25:00:00+00'], { cwd: stack, path: [fake.dir] });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--to-time is not a valid date and time, got '2026-12-04 25:00:00\+00'/);
    assert.deepEqual(fake.calls(), []);
    const r = await runCli(['setup', '--no-pitr'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(cipher(stack).length === 64, 'the passphrase stays: the repository still needs it');
    const none = await runCli(['restore', '--to-latest'], { cwd: stack, path: [fake.dir] });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no point-in-time recovery: run `pesquel setup --pitr` first/);
  });
});
