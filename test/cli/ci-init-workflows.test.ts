// PeSquel's own GitHub Actions: ci.yml runs .ci/run on Debian 12; release.yml publishes the image and
// the npm package only for a tag that matches package.json. The release's version check runs here as written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { githubWorkflow } from '../../src/cli/ci/github.js';

type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { steps?: Step[]; uses?: string; needs?: string[]; container?: { image: string }; permissions?: Record<string, string> }> };

const root = join(import.meta.dirname, '..', '..');
const read = (name: string) => parse(readFileSync(join(root, '.github', 'workflows', name), 'utf8')) as Workflow;
const ci = read('ci.yml');
const release = read('release.yml');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

const allUses = (w: Workflow) => Object.values(w.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.uses).filter((u): u is string => u !== undefined));

function versionCheck(tag: string, versionTs = readFileSync(join(root, 'src', 'version.ts'), 'utf8')): Promise<{ code: number; out: string; output: string }> {
  const step = release.jobs.version?.steps?.find((s) => s.id === 'check');
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-release-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pesquel', version: pkg.version }));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'version.ts'), versionTs);
  const output = join(dir, 'github_output');
  writeFileSync(output, '');
  return new Promise((resolve) => {
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'exit 99'],
      { cwd: dir, env: { PATH: process.env.PATH, GITHUB_REF_NAME: tag, GITHUB_OUTPUT: output } },
      (err, stdout, stderr) => {
        const result = { code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}`, output: readFileSync(output, 'utf8') };
        rmSync(dir, { recursive: true, force: true });
        resolve(result);
      });
  });
}

describe("PeSquel's own workflows", () => {
  it('ci.yml: bash .ci/run on pushes and pull requests, in Debian 12, and callable by the release', () => {
    assert.deepEqual(Object.keys(ci.on).sort(), ['pull_request', 'push', 'workflow_call']);
    const job = ci.jobs.test;
    assert.match(job?.container?.image ?? '', /-bookworm$/);
    assert.equal(job?.steps?.at(-1)?.run, 'bash .ci/run');
  });

  it('release.yml: on v* tags, CI first, then the multi-arch image to ghcr.io and npm with provenance', () => {
    assert.deepEqual(release.on, { push: { tags: ['v*'] } });
    assert.equal(release.jobs.ci?.uses, './.github/workflows/ci.yml');
    for (const job of ['docker', 'npm']) assert.deepEqual(release.jobs[job]?.needs, ['version', 'ci']);
    const build = release.jobs.docker?.steps?.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    assert.equal(build?.with?.file, 'deploy/Dockerfile');
    assert.equal(build?.with?.platforms, 'linux/amd64,linux/arm64');
    assert.equal(build?.with?.push, true);
    for (const action of ['docker/setup-qemu-action', 'docker/setup-buildx-action', 'docker/login-action']) {
      assert.ok(allUses(release).some((u) => u.startsWith(`${action}@`)), action);
    }
    assert.equal(release.jobs.docker?.permissions?.packages, 'write');
    assert.equal(release.jobs.npm?.permissions?.['id-token'], 'write');
    const publish = release.jobs.npm?.steps?.find((s) => s.run?.includes('npm publish'));
    assert.match(publish?.run ?? '', /npm publish --provenance --access public/);
    assert.equal(publish?.env?.NODE_AUTH_TOKEN, '${{ secrets.NPM_TOKEN }}');
  });

  it('every action is pinned to a major version at least (here and in generated workflows)', () => {
    const generated = githubWorkflow({ provider: 'github', migrationsDir: 'migrations', nodeVersion: '22' }) as unknown as Workflow;
    const uses = [...allUses(ci), ...allUses(release), ...allUses(generated)];
    assert.ok(uses.length >= 10);
    for (const u of uses) assert.match(u, /^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, u);
  });

  it("the release's version check accepts the tag of package.json's version, refuses another tag or a stale src/version.ts", async () => {
    const ok = await versionCheck(`v${pkg.version}`);
    assert.equal(ok.code, 0, ok.out);
    assert.equal(ok.output, `version=${pkg.version}\n`);
    const bad = await versionCheck('v99.0.0');
    assert.equal(bad.code, 1);
    assert.match(bad.out, new RegExp(`^::error::tag v99\\.0\\.0 does not match package\\.json's version ${pkg.version.replace(/\./g, '\\.')} \\(expected v`));
    assert.equal(bad.output, '');
    const stale = await versionCheck(`v${pkg.version}`, "export const version = '0.0.1';\n");
    assert.equal(stale.code, 1);
    assert.match(stale.out, /^::error::src\/version\.ts does not hold version/);
  });
});
