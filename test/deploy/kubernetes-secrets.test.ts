// deploy/kubernetes/create-secrets.sh against a recording stand-in for `kubectl`: the three Secrets
// with matching passwords (the URIs carry the passwords the database roles get, on the -rw and -ro
// Services), no value in any argument or in the output, and nothing replaced on a second run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployDir } from '../../src/cli/stack/paths.js';

const SCRIPT = join(deployDir(), 'kubernetes', 'create-secrets.sh');
// Keeps each created Secret (its type and the files' contents) in store.json; `get secret` answers from it.
const FAKE = `
const fs = require('fs');
const path = require('path');
const argv = process.argv.slice(2);
fs.appendFileSync(path.join(__dirname, 'calls.jsonl'), JSON.stringify(argv) + '\\n');
const storePath = path.join(__dirname, 'store.json');
const store = fs.existsSync(storePath) ? JSON.parse(fs.readFileSync(storePath, 'utf8')) : {};
const words = argv.filter((a) => !a.startsWith('-'));
const i = words.indexOf('secret');
const name = words[words.indexOf('secret') + (words[i + 1] === 'generic' ? 2 : 1)];
if (argv.includes('get')) process.exit(store[name] ? 0 : 1);
if (argv.includes('create')) {
  const data = {};
  for (const a of argv) {
    const m = /^--from-file=([^=]+)=(.*)$/.exec(a);
    if (m) data[m[1]] = fs.readFileSync(m[2], 'utf8');
  }
  const type = (argv.find((a) => a.startsWith('--type=')) || '').slice(7);
  store[name] = { type, data, flags: argv.filter((a) => a.startsWith('--namespace')) };
  fs.writeFileSync(storePath, JSON.stringify(store));
}
`;

type Stored = Record<string, { type: string; data: Record<string, string>; flags: string[] }>;

describe('deploy/kubernetes/create-secrets.sh', { skip: process.platform === 'win32' && 'POSIX sh' }, () => {
  let bin: string;
  const run = () => spawnSync('sh', [SCRIPT, '--namespace=pesquel'], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
  const store = (): Stored => JSON.parse(readFileSync(join(bin, 'store.json'), 'utf8')) as Stored;
  const calls = (): string[][] => readFileSync(join(bin, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
  before(() => {
    bin = mkdtempSync(join(tmpdir(), 'pesquel-fake-kubectl-'));
    writeFileSync(join(bin, 'kubectl'), `#!${process.execPath}\n${FAKE}`);
    chmodSync(join(bin, 'kubectl'), 0o755);
  });
  after(() => rmSync(bin, { recursive: true, force: true }));

  it('creates the two basic-auth Secrets and the pesquel Secret, with one password per role everywhere', () => {
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    const s = store();
    assert.deepEqual(Object.keys(s).sort(), ['pesquel', 'pesquel-db-authenticator', 'pesquel-db-superuser']);
    const auth = s['pesquel-db-authenticator'];
    const su = s['pesquel-db-superuser'];
    const app = s.pesquel;
    assert.ok(auth && su && app);
    assert.equal(auth.type, 'kubernetes.io/basic-auth');
    assert.equal(su.type, 'kubernetes.io/basic-auth');
    assert.equal(auth.data.username, 'authenticator');
    assert.equal(su.data.username, 'postgres');
    assert.match(auth.data.password ?? '', /^[A-Za-z0-9]{32}$/);
    assert.match(su.data.password ?? '', /^[A-Za-z0-9]{32}$/);
    assert.equal(app.data['db-uri'], `postgres://authenticator:${auth.data.password}@pesquel-db-rw:5432/pesquel`);
    assert.equal(app.data['db-replica-uris'], `postgres://authenticator:${auth.data.password}@pesquel-db-ro:5432/pesquel`);
    assert.equal(app.data['admin-db-uri'], `postgres://postgres:${su.data.password}@pesquel-db-rw:5432/pesquel`);
    assert.match(app.data['jwt-secret'] ?? '', /^[A-Za-z0-9]{64}$/);
    assert.match(app.data['admin-password'] ?? '', /^[A-Za-z0-9]{24}$/);
    for (const v of Object.values(s)) assert.deepEqual(v.flags, ['--namespace=pesquel'], 'kubectl flags are passed on');
    const values = Object.values(s).flatMap((v) => Object.values(v.data)).filter((v) => v.length >= 24);
    for (const argv of calls()) for (const v of values) assert.ok(!argv.join(' ').includes(v), `secret in argv: ${argv.join(' ')}`);
    for (const v of values) assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v), 'secret printed');
    assert.match(r.stdout, /Secret pesquel created\./);
  });

  it('a second run keeps all three Secrets as they are', () => {
    const before = store();
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(store(), before);
    assert.match(r.stdout, /Secret pesquel-db-authenticator exists: kept\./);
    assert.ok(!calls().slice(-6).some((a) => a.includes('create')));
  });

  it('refuses to pair new passwords with a Secret that is left from before', () => {
    const s = store();
    delete s.pesquel;
    writeFileSync(join(bin, 'store.json'), JSON.stringify(s));
    const r = run();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Only some of the Secrets exist \(pesquel-db-authenticator pesquel-db-superuser\)/);
    assert.equal(existsSync(join(bin, 'store.json')) && 'pesquel' in store(), false);
  });
});
