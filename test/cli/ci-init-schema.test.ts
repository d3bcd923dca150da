// The pipelines `pesquel ci init` writes, and PeSquel's own .github/workflows, against their providers'
// schemas: GitHub's through @action-validator/cli (offline, WebAssembly), GitLab's CI JSON schema
// (test/fixtures/gitlab-ci-schema.json, vendored from gitlab-org/gitlab) through ajv.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderPipeline } from '../../src/cli/ci/render.js';
import type { CiSettings } from '../../src/cli/ci/settings.js';

const root = join(import.meta.dirname, '..', '..');
const validatorCli = join(root, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
const require = createRequire(import.meta.url);

/** Runs the action-validator binary (as node_modules/.bin/action-validator does) on a workflow file. */
function actionValidator(path: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [validatorCli, path], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function validateWorkflowText(text: string, name = 'workflow.yml'): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-ci-schema-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    return actionValidator(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

function gitlabValidator(): Validate {
  const Ajv = require('ajv') as new (o: object) => { compile(schema: object): Validate };
  const addFormats = require('ajv-formats') as (ajv: object) => void;
  // strict: false, since GitLab's schema uses keywords of its editor (markdownDescription).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'gitlab-ci-schema.json'), 'utf8')));
}

const variants: CiSettings[] = [
  { provider: 'github', migrationsDir: 'migrations', nodeVersion: '22' },
  { provider: 'github', migrationsDir: 'db/migrations', nodeVersion: '24' },
  { provider: 'gitlab', migrationsDir: 'migrations', nodeVersion: '22' },
  { provider: 'gitlab', migrationsDir: 'db/migrations', nodeVersion: '24' },
];

describe('GitHub workflows validate with action-validator', () => {
  for (const s of variants.filter((v) => v.provider === 'github')) {
    it(`pesquel ci init github --migrations ${s.migrationsDir} --node ${s.nodeVersion}`, () => {
      const file = renderPipeline(s);
      const r = validateWorkflowText(file.text, 'pesquel.yml');
      assert.equal(r.status, 0, r.output);
      assert.deepEqual(parse(file.text), file.object, 'the YAML reads back as the generated object');
      for (const line of file.text.split('\n').filter((l) => l.startsWith('#'))) assert.ok(line.length <= 100, line);
    });
  }

  it("PeSquel's own .github/workflows/*.yml", () => {
    const dir = join(root, '.github', 'workflows');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
    assert.deepEqual(files.sort(), ['ci.yml', 'release.yml']);
    for (const f of files) {
      const r = actionValidator(join(dir, f));
      assert.equal(r.status, 0, `${f}: ${r.output}`);
    }
  });

  it('the validator refuses a broken workflow (so a pass means something)', () => {
    const broken = validateWorkflowText('on: push\njobs:\n  test:\n    steps:\n      - run: true\n');
    assert.notEqual(broken.status, 0);
    assert.match(broken.output, /runs-on|required/i);
  });

  it('the .bin/action-validator entry point runs offline here', () => {
    const out = execFileSync(join(root, 'node_modules', '.bin', 'action-validator'), [join(root, '.github', 'workflows', 'ci.yml')], { encoding: 'utf8' });
    assert.equal(out.trim(), '');
  });
});

describe("the GitLab pipeline validates against GitLab's CI schema", () => {
  const validate = gitlabValidator();
  for (const s of variants.filter((v) => v.provider === 'gitlab')) {
    it(`pesquel ci init gitlab --migrations ${s.migrationsDir} --node ${s.nodeVersion}`, () => {
      const file = renderPipeline(s);
      const data: unknown = parse(file.text);
      assert.equal(validate(data), true, JSON.stringify(validate.errors, null, 2));
      assert.deepEqual(data, file.object);
    });
  }

  it('the schema refuses a broken pipeline (a misspelt keyword, a script that is no list, a bad when)', () => {
    assert.equal(validate({ test: { script: ['npm test'], servics: ['postgres:17'] } }), false);
    assert.equal(validate({ test: { script: 5 } }), false);
    assert.equal(validate({ test: { script: ['npm test'], when: 'sometimes' } }), false);
  });
});
