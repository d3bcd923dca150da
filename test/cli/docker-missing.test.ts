// Setup and teardown refuse to start, with one clear line and a non-zero exit, when Docker is not
// installed, its daemon is not running, or Compose v2 is missing or too old. Nothing is written.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './helpers/cli.js';
import { FakeDocker } from './helpers/fake-docker.js';
import type { FakeRule } from './helpers/fake-docker.js';
import { makeStackDir, removeStackDir } from './helpers/stack-dir.js';

const posix = process.platform !== 'win32';

const cases: Array<[string, FakeRule[] | 'absent', RegExp]> = [
  ['Docker is not installed', 'absent', /Docker is not installed \(no `docker` command on PATH\)/],
  ['the daemon is not running', [{ match: '^info', responses: [{ code: 1, stderr: '\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n' }] }],
    /Docker is installed but its daemon is not running or not reachable \(Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker\.sock\. Is the docker daemon running\?\)/],
  ['Compose v2 is missing', [{ match: '^compose version', responses: [{ code: 1, stderr: "docker: 'compose' is not a docker command.\n" }] }],
    /Docker Compose v2 is not available/],
  ['Compose is too old', [{ match: '^compose version', responses: [{ stdout: 'v2.12.2\n' }] }],
    /Docker Compose 2\.12\.2 is too old: PeSquel needs 2\.20\.0 or newer\./],
];

describe('when Docker is not usable', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let stack: string;
  let empty: string;
  before(() => { stack = makeStackDir(); empty = mkdtempSync(join(tmpdir(), 'pesquel-empty-path-')); });
  after(() => { removeStackDir(stack); rmSync(empty, { recursive: true, force: true }); });

  for (const command of ['setup', 'teardown']) {
    for (const [name, rules, message] of cases) {
      it(`${command}: ${name}`, async () => {
        const fake = rules === 'absent' ? undefined : new FakeDocker(rules);
        try {
          const r = await runCli([command, '--yes'].slice(0, command === 'setup' ? 1 : 2), { cwd: stack, path: [fake?.dir ?? empty] });
          assert.equal(r.code, 1);
          assert.match(r.stderr, new RegExp(`^pesquel ${command}: `));
          assert.match(r.stderr, message);
          assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
          assert.equal(existsSync(join(stack, 'secrets')), false, 'wrote nothing');
          if (fake) assert.ok(fake.commands().every((c) => c.startsWith('info') || c.startsWith('compose version')));
        } finally {
          fake?.dispose();
        }
      });
    }
  }
});
