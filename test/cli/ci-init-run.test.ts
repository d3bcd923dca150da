// Runs the test-stage commands of the generated pipelines as written, in a throwaway project, against a
// real PostgreSQL from the test harness standing in for the CI service: migrations, npm test, and the
// check on the previous commit's schema, which must fail for an edited or out-of-order migration.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { githubWorkflow, type Job } from '../../src/cli/ci/github.js';
import { gitlabPipeline, type GitlabJob } from '../../src/cli/ci/gitlab.js';
import { INSTALL_COMMAND } from '../../src/cli/ci/scripts.js';
import type { CiSettings } from '../../src/cli/ci/settings.js';
import { git, GIT_ENV, runShell, type Run } from './ci-init-shell.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';

const root = join(import.meta.dirname, '..', '..');
const settings = (provider: CiSettings['provider']): CiSettings => ({ provider, migrationsDir: 'db/migrations', nodeVersion: '22' });
const gh = githubWorkflow(settings('github')) as { jobs: Record<string, Job> };
const gl = gitlabPipeline(settings('gitlab')) as Record<string, GitlabJob & { variables?: Record<string, string> }>;

const ITEMS = '20260101000000_items.sql';
const SEED = '20260102000000_seed.sql';
const FILES: Record<string, string> = {
  [ITEMS]: 'create table api.items (id serial primary key, name text not null);\ngrant select on api.items to api_anon;\n',
  [SEED]: "insert into api.items (name) values ('a'), ('b');\n",
};
// The project's own test: reads what the migrations made, from the database the pipeline gives it.
const CHECK = `import pg from 'pg';
const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
await c.connect();
const { rows } = await c.query('select count(*)::int as n from api.items');
await c.end();
console.log('items:', rows[0].n);
process.exit(rows[0].n === 2 ? 0 : 1);
`;

let server: PgServer;
let work: string;
let databases = 0;


/** A project folder as CI checks it out, with PeSquel and pg installed (linked to this repository). */
function project(name: string, files: Record<string, string> = FILES): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'db', 'migrations'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'pesquel'));
  symlinkSync(join(root, 'node_modules', 'pg'), join(dir, 'node_modules', 'pg'));
  symlinkSync('../pesquel/bin/pesquel.js', join(dir, 'node_modules', '.bin', 'pesquel'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module', scripts: { test: 'node check.mjs' } }));
  writeFileSync(join(dir, 'check.mjs'), CHECK);
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  for (const [file, sql] of Object.entries(files)) writeFileSync(join(dir, 'db', 'migrations', file), sql);
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

function commit(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A fresh database, as each CI job gets a fresh service; returns the URL that replaces the service's. */
async function freshDatabase(): Promise<string> {
  const name = `ci_${++databases}`;
  const c = new pg.Client({ connectionString: server.superUrl });
  await c.connect();
  try {
    await c.query(`create database ${name}`);
  } finally {
    await c.end();
  }
  return server.url(server.superUser, server.superPassword, name);
}

/** One command as the runner runs it, with the job's environment over this process's. */
function sh(script: string, cwd: string, env: Record<string, string | undefined>): Promise<Run> {
  return runShell(script, cwd, { ...process.env, npm_config_update_notifier: 'false', ...GIT_ENV, ...env });
}

async function runSteps(scripts: string[], cwd: string, env: Record<string, string | undefined>): Promise<Run> {
  let out = '';
  for (const script of scripts) {
    const r = await sh(script, cwd, env);
    out += r.out;
    if (r.code !== 0) return { code: r.code, out };
  }
  return { code: 0, out };
}

/** A GitHub job's run steps after `npm ci` (the project is installed already), with the service's URL replaced. */
async function githubJob(name: string, cwd: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  const job = gh.jobs[name] as Job;
  const install = job.steps.findIndex((s) => s.run === INSTALL_COMMAND);
  assert.ok(install > 0, 'dependencies are installed before the job runs its commands');
  const url = await freshDatabase();
  let out = '';
  for (const step of job.steps.slice(install + 1)) {
    const env = { ...(job.env as Record<string, string>), PESQUEL_DB_URI: url, DATABASE_URL: url, ...step.env, ...extraEnv };
    const r = await sh(step.run ?? '', cwd, env);
    out += r.out;
    if (r.code !== 0) return { code: r.code, out };
  }
  return { code: 0, out };
}

async function gitlabJob(name: string, cwd: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  const job = gl[name] as GitlabJob & { variables?: Record<string, string> };
  const template = gl[job.extends as string] as unknown as { variables: Record<string, string>; before_script: string[] };
  assert.deepEqual(template.before_script, [INSTALL_COMMAND]);
  const url = await freshDatabase();
  return runSteps(job.script, cwd, { ...template.variables, ...job.variables, PESQUEL_DB_URI: url, DATABASE_URL: url, ...extraEnv });
}

describe('the generated pipelines, run locally', { skip: !pgBinariesAvailable() && 'no PostgreSQL server binaries' }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'pesquel-ci-run-'));
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('GitHub, job test: migrations applied to the service, then npm test sees them', async () => {
    const dir = project('gh-test');
    commit(dir, 'items');
    const r = await githubJob('test', dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Applied 2 migration\(s\)/);
    assert.match(r.out, /items: 2/);
  });

  it('GitLab, job test: the same commands', async () => {
    const dir = project('gl-test');
    commit(dir, 'items');
    const r = await gitlabJob('test', dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /items: 2/);
  });

  it('upgrade check: the previous commit\'s migrations, then this commit\'s on top (base from HEAD^, the event, or 000…)', async () => {
    const dir = project('upgrade', { [ITEMS]: FILES[ITEMS] as string });
    const first = commit(dir, 'items');
    writeFileSync(join(dir, 'db', 'migrations', SEED), FILES[SEED] as string);
    commit(dir, 'seed');
    for (const base of ['', first, '0000000000000000000000000000000000000000']) {
      const r = await githubJob('migrations-upgrade', dir, { MIGRATIONS_BASE_SHA: base });
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, new RegExp(`Previous schema: the migrations of ${first.slice(0, 7)}`));
      assert.match(r.out, /applied 20260101000000_items\.sql[\s\S]*This commit's migrations on top of it[\s\S]*applied 20260102000000_seed\.sql/);
    }
    const lab = await gitlabJob('migrations:upgrade', dir, { CI_COMMIT_BEFORE_SHA: first });
    assert.equal(lab.code, 0, lab.out);
    assert.match(lab.out, /Applied 1 migration\(s\)/);
  });

  it('upgrade check fails for an applied migration edited afterwards, which a fresh database accepts', async () => {
    const dir = project('edited');
    const before = commit(dir, 'items');
    writeFileSync(join(dir, 'db', 'migrations', ITEMS), `${FILES[ITEMS]}alter table api.items add column note text;\n`);
    commit(dir, 'edit an applied migration');
    const fresh = await githubJob('test', dir);
    assert.equal(fresh.code, 0, fresh.out);
    const gh1 = await githubJob('migrations-upgrade', dir, { MIGRATIONS_BASE_SHA: before });
    assert.notEqual(gh1.code, 0);
    assert.match(gh1.out, /migration 20260101000000_items\.sql was edited after it was applied/);
    const gl1 = await gitlabJob('migrations:upgrade', dir, { CI_MERGE_REQUEST_DIFF_BASE_SHA: before });
    assert.notEqual(gl1.code, 0);
    assert.match(gl1.out, /was edited after it was applied/);
  });

  it('upgrade check fails for a new migration ordered before one the base applied', async () => {
    const dir = project('order');
    commit(dir, 'items');
    writeFileSync(join(dir, 'db', 'migrations', '20251231000000_late.sql'), 'create table api.late (id int);\n');
    commit(dir, 'a migration from an old branch');
    const r = await githubJob('migrations-upgrade', dir);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /20251231000000_late\.sql is ordered before the already applied 20260102000000/);
  });

  it('first commit, or no migrations in the base: nothing to fail on', async () => {
    const dir = project('first');
    commit(dir, 'first');
    const only = await githubJob('migrations-upgrade', dir);
    assert.equal(only.code, 0, only.out);
    assert.match(only.out, /No previous commit: nothing to upgrade from/);
    const bare = project('bare', {});
    const empty = commit(bare, 'no migrations yet');
    for (const [file, sql] of Object.entries(FILES)) writeFileSync(join(bare, 'db', 'migrations', file), sql);
    commit(bare, 'migrations');
    const r = await githubJob('migrations-upgrade', bare, { MIGRATIONS_BASE_SHA: empty });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Applied 2 migration\(s\)/);
  });
});
