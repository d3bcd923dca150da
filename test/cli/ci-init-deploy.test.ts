// The generated deploy job run locally: `ssh` is a stand-in that runs the remote command in a folder
// playing the server (as the remote shell would), `npm`/`npx pesquel setup` are recorded, and
// `pesquel migrate` is real, against the harness's PostgreSQL through the stack's own secret file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { githubWorkflow, type Job } from '../../src/cli/ci/github.js';
import { gitlabPipeline, type GitlabJob } from '../../src/cli/ci/gitlab.js';
import type { CiSettings } from '../../src/cli/ci/settings.js';
import { git, runShell } from './ci-init-shell.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';

const root = join(import.meta.dirname, '..', '..');
const settings = (provider: CiSettings['provider']): CiSettings => ({ provider, migrationsDir: 'db/migrations', nodeVersion: '22' });
const deploy = (githubWorkflow(settings('github')) as { jobs: Record<string, Job> }).jobs.deploy as Job;
const deployStep = deploy.steps.find((s) => s.name === 'Migrate and deploy over SSH');
const agentStep = deploy.steps.find((s) => s.name === 'Load the deploy key into ssh-agent');
const gitlabDeploy = (gitlabPipeline(settings('gitlab')) as Record<string, GitlabJob>).deploy as GitlabJob & { before_script: string[] };

const KNOWN_HOSTS = 'deploy.example.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTestsOnly0000000000000000000';

// ssh [-o X]… [-p N] user@host command…: runs `command` with sh from the fake server's home, stdin passed on.
const SSH_STUB = `#!/bin/sh
printf 'ssh %s\\n' "$*" >> "$STUB_LOG"
while [ "$1" = -o ] || [ "$1" = -p ]; do shift 2; done
shift
cd "$FAKE_SERVER_HOME"
exec sh -c "$*"
`;
const NPM_STUB = `#!/bin/sh
printf 'npm %s\\n' "$*" >> "$STUB_LOG"
`;
const NPX_STUB = `#!/bin/sh
printf 'npx %s\\n' "$*" >> "$STUB_LOG"
if [ "$1 $2" = "pesquel migrate" ]; then shift; exec node "$PESQUEL_BIN" "$@"; fi
`;

let server: PgServer;
let work: string;
let runs = 0;

const bash = runShell;

/** A committed project, a fake server home with the stack's secret pointing at a fresh database, stubs. */
async function scene(opts: { secrets?: boolean } = {}) {
  const dir = join(work, `run-${++runs}`);
  const projectDir = join(dir, 'project');
  const home = join(dir, 'server');
  const stubs = join(dir, 'stubs');
  const tmp = join(dir, 'tmp');
  for (const d of [join(projectDir, 'db', 'migrations'), home, stubs, tmp]) mkdirSync(d, { recursive: true });
  writeFileSync(join(projectDir, 'package.json'), '{"name":"shop","private":true}\n');
  writeFileSync(join(projectDir, 'db', 'migrations', '20260101000000_items.sql'), 'create table api.items (id int);\ninsert into api.items values (1), (2);\n');
  git(projectDir, 'init', '-q', '-b', 'main');
  git(projectDir, 'add', '-A');
  git(projectDir, 'commit', '-q', '-m', 'shop');
  for (const [name, text] of [['ssh', SSH_STUB], ['npm', NPM_STUB], ['npx', NPX_STUB]] as const) {
    writeFileSync(join(stubs, name), text);
    chmodSync(join(stubs, name), 0o755);
  }
  const database = `deploy_${runs}`;
  const c = new pg.Client({ connectionString: server.superUrl });
  await c.connect();
  await c.query(`create database ${database}`).finally(() => c.end());
  if (opts.secrets !== false) {
    // What `pesquel setup` derives: the superuser's URI inside the compose network.
    mkdirSync(join(home, 'apps', 'shop', 'secrets'), { recursive: true });
    const uri = `postgres://${server.superUser}:${encodeURIComponent(server.superPassword)}@postgres:5432/${database}`;
    writeFileSync(join(home, 'apps', 'shop', 'secrets', 'pesquel_admin_db_uri.txt'), uri, { mode: 0o600 });
  }
  const log = join(dir, 'stub.log');
  writeFileSync(log, '');
  const env: Record<string, string | undefined> = {
    PATH: [stubs, ...(process.env.PATH ?? '').split(delimiter)].join(delimiter),
    HOME: process.env.HOME, TMPDIR: tmp, STUB_LOG: log, FAKE_SERVER_HOME: home, PESQUEL_BIN: join(root, 'bin', 'pesquel.js'),
    DEPLOY_HOST: 'deploy.example.invalid', DEPLOY_USER: 'deployer', DEPLOY_PATH: 'apps/shop', DEPLOY_KNOWN_HOSTS: KNOWN_HOSTS,
    DEPLOY_SSH_PORT: '', DEPLOY_POSTGRES_PORT: String(server.port), DEPLOY_SETUP_ARGS: '--domain shop.example.com --acme-email ops@example.com',
  };
  const count = async () => {
    const d = new pg.Client({ connectionString: server.url(server.superUser, server.superPassword, database) });
    await d.connect();
    try {
      return (await d.query<{ n: number }>('select count(*)::int as n from api.items')).rows[0]?.n;
    } finally {
      await d.end();
    }
  };
  return { projectDir, home, tmp, env, count, log: () => readFileSync(log, 'utf8') };
}

describe('the generated deploy job, run locally', { skip: !pgBinariesAvailable() && 'no PostgreSQL server binaries' }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'pesquel-ci-deploy-'));
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('GitHub and GitLab run the same deploy script', () => {
    assert.deepEqual(gitlabDeploy.script, [deployStep?.run]);
  });

  it('copies the commit, migrates through the stack\'s secret, then runs setup; prints no secret', async () => {
    const s = await scene();
    const r = await bash(deployStep?.run ?? '', s.projectDir, s.env);
    assert.equal(r.code, 0, r.out);
    assert.ok(existsSync(join(s.home, 'apps', 'shop', 'db', 'migrations', '20260101000000_items.sql')), 'files copied');
    assert.equal(await s.count(), 2, 'the migration ran on the stack\'s database');
    const lines = s.log().trim().split('\n');
    assert.match(lines[0] ?? '', /^ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -p 22 deployer@deploy\.example\.invalid mkdir -p apps\/shop && tar -x -C apps\/shop$/);
    assert.match(lines[1] ?? '', /^ssh .* deployer@deploy\.example\.invalid sh -s -- apps\/shop \d+ --domain shop\.example\.com --acme-email ops@example\.com$/);
    assert.deepEqual(lines.slice(2).map((l) => l.replace(/--db-url @\S+/, '--db-url @FILE')), [
      'npm ci --no-audit --no-fund',
      'npx pesquel migrate --dir db/migrations --db-url @FILE',
      'npx pesquel setup --no-pull --domain shop.example.com --acme-email ops@example.com',
    ]);
    assert.ok(!r.out.includes(server.superPassword) && !s.log().includes(server.superPassword), 'no password in output or arguments');
    assert.deepEqual(readdirSync(s.tmp).filter((f) => f.startsWith('tmp.')), [], 'the temporary URI file (mktemp) is removed');
  });

  it('missing settings, unsafe values, or a server never set up: one clear line, nothing run', async () => {
    const s = await scene({ secrets: false });
    const cases: [Record<string, string>, RegExp][] = [
      [{ DEPLOY_HOST: '' }, /^DEPLOY_HOST is not set: add it to the CI\/CD settings$/],
      [{ DEPLOY_KNOWN_HOSTS: '' }, /^DEPLOY_KNOWN_HOSTS is not set/],
      [{ DEPLOY_PATH: 'apps/shop; rm -rf ~' }, /^DEPLOY_PATH may hold only letters, digits and \. _ \/ -$/],
      [{ DEPLOY_SETUP_ARGS: '--domain $(id)' }, /^DEPLOY_SETUP_ARGS may hold only/],
      [{ DEPLOY_SSH_PORT: '22 -oProxyCommand=x' }, /must be port numbers$/],
    ];
    for (const [change, message] of cases) {
      const r = await bash(deployStep?.run ?? '', s.projectDir, { ...s.env, ...change });
      assert.equal(r.code, 1, r.out);
      assert.match(r.out.trim(), message);
      assert.equal(s.log(), '', 'nothing reached ssh');
    }
    const r = await bash(deployStep?.run ?? '', s.projectDir, s.env);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /no secrets\/pesquel_admin_db_uri\.txt in apps\/shop: run 'npx pesquel setup' there once first/);
    assert.doesNotMatch(s.log(), /npx pesquel/);
  });
});

const haveSshTools = ['ssh-agent', 'ssh-add', 'ssh-keygen'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);

describe('the deploy key step (GitHub)', { skip: !haveSshTools && 'openssh-client (ssh-agent, ssh-add, ssh-keygen) not installed' }, () => {
  it('loads the key into ssh-agent and writes known_hosts outside the checkout, printing neither', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-ci-agent-'));
    const socket = join(dir, 'agent.sock');
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ci-test', '-f', join(dir, 'key')]);
      const key = readFileSync(join(dir, 'key'), 'utf8');
      const home = join(dir, 'home');
      mkdirSync(home);
      const env = { PATH: process.env.PATH, HOME: home, SSH_AUTH_SOCK: socket, DEPLOY_SSH_KEY: key, DEPLOY_KNOWN_HOSTS: KNOWN_HOSTS };
      const r = await bash(agentStep?.run ?? '', dir, env);
      assert.equal(r.code, 0, r.out);
      assert.ok(!r.out.includes('PRIVATE KEY') && !r.out.includes(key.split('\n')[1] ?? 'x'), 'the key is not printed');
      const listed = execFileSync('ssh-add', ['-l'], { env: { ...env, DEPLOY_SSH_KEY: '' }, encoding: 'utf8' });
      assert.match(listed, /ci-test \(ED25519\)/);
      assert.equal(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8'), `${KNOWN_HOSTS}\n`);
      assert.equal(statSync(join(home, '.ssh', 'known_hosts')).mode & 0o777, 0o600);
      assert.equal(statSync(join(home, '.ssh')).mode & 0o777, 0o700);
    } finally {
      stopAgent(socket);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the deploy key step (GitLab)', { skip: !haveSshTools && 'openssh-client (ssh-agent, ssh-add, ssh-keygen) not installed' }, () => {
  it('decodes the base64 key (masked variable) into its own ssh-agent; known_hosts in ~/.ssh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-ci-agent-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ci-test-gitlab', '-f', join(dir, 'key')]);
      const encoded = readFileSync(join(dir, 'key')).toString('base64');
      const home = join(dir, 'home');
      mkdirSync(home);
      // The job's before_script, then what the test checks, then the agent ends (ssh-agent -k: its own pid).
      const script = [...gitlabDeploy.before_script, 'ssh-add -l', 'ssh-agent -k > /dev/null'].join('\n');
      const r = await bash(script, dir, { PATH: process.env.PATH, HOME: home, DEPLOY_SSH_KEY_BASE64: encoded, DEPLOY_KNOWN_HOSTS: KNOWN_HOSTS });
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /ci-test-gitlab \(ED25519\)/);
      assert.ok(!r.out.includes(encoded.slice(0, 40)), 'the key is not printed');
      assert.equal(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8'), `${KNOWN_HOSTS}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Ends the ssh-agent this test started: the one process whose command line names our socket. */
function stopAgent(socket: string): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('ssh-agent') && args.includes(socket)) process.kill(Number(pid));
    } catch {
      // The process ended meanwhile.
    }
  }
}
