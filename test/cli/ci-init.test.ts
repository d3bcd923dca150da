// `pesquel ci init` as a user runs it: files written where they belong, no overwrite without --force,
// one-line errors with exit codes for a bad provider or option; and what the generated pipelines hold.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { runCli, type CliResult } from './helpers/cli.js';
import { githubWorkflow, type Job } from '../../src/cli/ci/github.js';
import { gitlabPipeline } from '../../src/cli/ci/gitlab.js';
import type { CiSettings } from '../../src/cli/ci/settings.js';

const PATH = [dirname(process.execPath), '/usr/bin', '/bin'];
let work: string;

before(() => { work = mkdtempSync(join(tmpdir(), 'pesquel-ci-init-')); });
after(() => rmSync(work, { recursive: true, force: true }));

function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  return dir;
}

const ci = (args: string[], cwd: string): Promise<CliResult> => runCli(['ci', ...args], { cwd, path: PATH });

function oneLineError(r: CliResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

describe('pesquel ci init', () => {
  it('github writes .github/workflows/pesquel.yml, and says which secrets to set', async () => {
    const dir = project('gh');
    const r = await ci(['init', 'github'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wrote \.github\/workflows\/pesquel\.yml/);
    assert.match(r.stdout, /DEPLOY_SSH_KEY/);
    const wf = parse(readFileSync(join(dir, '.github/workflows/pesquel.yml'), 'utf8')) as { jobs: Record<string, unknown> };
    assert.deepEqual(Object.keys(wf.jobs), ['test', 'migrations-upgrade', 'deploy']);
  });

  it('gitlab writes .gitlab-ci.yml under --dir, with --migrations and --node', async () => {
    const dir = project('gl');
    const r = await ci(['init', 'gitlab', '--dir', dir, '--migrations', 'db/migrations', '--node', '24'], work);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /db\/migrations\/ does not exist yet/);
    const text = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8');
    assert.match(text, /image: node:24-bookworm/);
    assert.match(text, /npx pesquel migrate --dir db\/migrations --db-url "\$PESQUEL_DB_URI"/);
  });

  it('refuses to overwrite an existing file without --force, and overwrites with it', async () => {
    const dir = project('again');
    const file = join(dir, '.gitlab-ci.yml');
    writeFileSync(file, 'stages: [mine]\n');
    const refused = await ci(['init', 'gitlab'], dir);
    oneLineError(refused, 1, /^pesquel ci: \.gitlab-ci\.yml already exists in .*; run again with --force to overwrite it$/m);
    assert.equal(readFileSync(file, 'utf8'), 'stages: [mine]\n');
    const forced = await ci(['init', 'gitlab', '--force'], dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(file, 'utf8'), /migrations:upgrade:/);
  });

  it('bad input: one line and a non-zero exit, nothing written', async () => {
    const dir = project('bad');
    oneLineError(await ci(['init', 'bitbucket'], dir), 2, /unknown CI provider 'bitbucket' \(one of: github, gitlab\)/);
    oneLineError(await ci(['init'], dir), 2, /usage: pesquel ci init github\|gitlab/);
    oneLineError(await ci([], dir), 2, /usage: pesquel ci init github\|gitlab/);
    oneLineError(await ci(['setup', 'github'], dir), 2, /unknown action 'setup'/);
    oneLineError(await ci(['init', 'github', '--migrations', '../elsewhere'], dir), 2, /--migrations must be a folder inside the project/);
    oneLineError(await ci(['init', 'github', '--migrations', 'a dir;rm'], dir), 2, /--migrations must be a folder inside the project/);
    oneLineError(await ci(['init', 'github', '--node', '18'], dir), 2, /--node 18: PeSquel needs Node\.js 20 or newer/);
    oneLineError(await ci(['init', 'github', '--dir', join(dir, 'missing')], dir), 2, /is not a folder/);
    oneLineError(await ci(['init', 'github', '--db-url', 'postgres://x'], dir), 2, /unknown option --db-url/);
    assert.equal(existsSync(join(dir, '.github')), false);
  });

  it('--help describes the command, and pesquel --help lists it', async () => {
    const help = await ci(['--help'], work);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: pesquel ci init github\|gitlab/);
    for (const line of help.stdout.split('\n')) assert.ok(line.length <= 100, line);
    const all = await runCli(['--help'], { cwd: work, path: PATH });
    assert.match(all.stdout, /^ {2}ci {9}Write a CI\/CD pipeline/m);
  });
});

const settings = (provider: CiSettings['provider']): CiSettings => ({ provider, migrationsDir: 'migrations', nodeVersion: '22' });

describe('what the generated pipelines hold', () => {
  const gh = githubWorkflow(settings('github')) as { jobs: Record<string, Job> };
  const gl = gitlabPipeline(settings('gitlab')) as Record<string, Record<string, unknown>>;

  it('PostgreSQL 17 as the service of the test jobs', () => {
    for (const job of ['test', 'migrations-upgrade']) {
      assert.equal((gh.jobs[job]?.services as { postgres: { image: string } }).postgres.image, 'postgres:17');
    }
    assert.deepEqual(gl['.with-postgres']?.services, [{ name: 'postgres:17', alias: 'postgres' }]);
    assert.equal(gl.test?.extends, '.with-postgres');
    assert.equal(gl['migrations:upgrade']?.extends, '.with-postgres');
  });

  it('deploys only from the default branch, after both checks, one at a time', () => {
    const deploy = gh.jobs.deploy as Job;
    assert.deepEqual(deploy.needs, ['test', 'migrations-upgrade']);
    assert.equal(deploy.if, "github.event_name == 'push' && github.ref_name == github.event.repository.default_branch");
    assert.equal(deploy.environment, 'production');
    assert.deepEqual(gl.deploy?.rules, [{ if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    assert.equal(gl.deploy?.resource_group, 'production');
  });

  it('secrets come from the secret store into the steps that use them, and are never printed', () => {
    const deploy = gh.jobs.deploy as Job;
    const agent = deploy.steps.find((s) => s.name?.includes('ssh-agent'));
    assert.equal(agent?.env?.DEPLOY_SSH_KEY, '${{ secrets.DEPLOY_SSH_KEY }}');
    assert.match(agent?.run ?? '', /\| ssh-add -/);
    for (const [name, job] of Object.entries(gh.jobs)) {
      if (name !== 'deploy') assert.doesNotMatch(JSON.stringify(job), /secrets\./, `${name} reads no secret`);
    }
    const scripts = [
      ...Object.values(gh.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')),
      ...[gl.deploy?.before_script, gl.deploy?.script].flat().map(String),
    ].join('\n');
    const printing = scripts.split('\n').filter((l) => /\b(echo|printf)\b.*\$\{?(DEPLOY_SSH_KEY|DEPLOY_SSH_KEY_BASE64|DEPLOY_HOST|DEPLOY_USER)\b/.test(l));
    for (const line of printing) assert.match(line, /\| ssh-add -$/, `only into ssh-add: ${line}`);
    assert.equal(printing.length, 2);
    assert.doesNotMatch(scripts, /set -x|--verbose/);
    // The key goes straight into the agent; known_hosts into ~/.ssh, outside the checkout.
    assert.match(String((gl.deploy?.before_script as string[])[1]), /^printf '%s' "\$DEPLOY_SSH_KEY_BASE64" \| base64 -d \| ssh-add -$/);
    assert.match(scripts, /> ~\/\.ssh\/known_hosts/);
    assert.match(scripts, /StrictHostKeyChecking=yes/);
  });

  it('the upgrade check has the whole history and knows the base commit', () => {
    const up = gh.jobs['migrations-upgrade'] as Job;
    assert.deepEqual(up.steps[0], { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    assert.equal(up.steps.at(-1)?.env?.MIGRATIONS_BASE_SHA, '${{ github.event.pull_request.base.sha || github.event.before }}');
    assert.deepEqual(gl['migrations:upgrade']?.variables, { GIT_DEPTH: '0' });
    assert.match(String((gl['migrations:upgrade']?.script as string[])[0]), /CI_MERGE_REQUEST_DIFF_BASE_SHA:-\$\{CI_COMMIT_BEFORE_SHA/);
  });
});
