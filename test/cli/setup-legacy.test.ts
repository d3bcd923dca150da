// A stack set up before secrets/setup.json existed: the Traefik configuration an older setup generated
// names its domain and HTTPS mode, and a plain run refuses to drop them (one line, before Docker).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_CHOICES, chooseSetup } from '../../src/cli/stack/setup-choices.js';
import type { ChoiceFlags } from '../../src/cli/stack/setup-choices.js';
import { checkLegacyStack, legacyChoices } from '../../src/cli/stack/setup-legacy.js';
import { writeTraefikConfig } from '../../src/cli/stack/tls-files.js';
import { traefikConfigDir } from '../../src/cli/stack/tls.js';
import type { TlsSettings } from '../../src/cli/stack/tls.js';
import { runCli } from './helpers/cli.js';
import { FakeDocker } from './helpers/fake-docker.js';
import { makeStackDir, removeStackDir } from './helpers/stack-dir.js';

const ACME: TlsSettings = { mode: 'acme', email: 'ops@example.com', staging: true, challenge: 'tls-alpn' };

describe('legacyChoices and checkLegacyStack', () => {
  let stack: string;
  let secrets: string;
  beforeEach(() => {
    stack = makeStackDir();
    secrets = join(stack, 'secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'postgres_password.txt'), 'x');
  });
  afterEach(() => removeStackDir(stack));
  const generate = (domain: string, tls: TlsSettings, httpsPort = 443, apiInstances = 1) =>
    writeTraefikConfig(traefikConfigDir(stack), { domain, tls, httpsPort, apiInstances });
  const check = (flags: ChoiceFlags) => () => checkLegacyStack(stack, secrets, flags, chooseSetup(flags, undefined).choices);

  it('reads the domain and Let\'s Encrypt settings back as flags', () => {
    generate('example.com', ACME, 8443);
    assert.deepEqual(legacyChoices(stack), {
      domain: 'example.com', tlsFlags: ['--acme-email ops@example.com', '--acme-staging', '--acme-challenge tls-alpn', '--https-port 8443'],
    });
  });

  it('a plain run is refused with the flags to give; any HTTPS flag, or --tls off, goes through', () => {
    generate('example.com', { ...ACME, staging: false, challenge: 'http' });
    assert.throws(check({ pgadmin: true }), {
      message: `No choices recorded in secrets/setup.json (a stack set up by an older pesquel), but ${traefikConfigDir(stack)} shows --domain example.com --acme-email ops@example.com: give them once more, or the ones you want now (e.g. --tls off); later runs remember them.`,
    });
    assert.throws(check({ domain: 'example.com' }), /shows --domain example\.com --acme-email ops@example\.com/);
    assert.doesNotThrow(check({ domain: 'example.com', 'acme-email': 'ops@example.com' }));
    assert.doesNotThrow(check({ tls: 'off', domain: 'pesquel.localhost' }));
  });

  it('the local CA on the default domain: only --tls self-signed is missing', () => {
    generate('pesquel.localhost', { mode: 'self-signed' });
    assert.deepEqual(legacyChoices(stack), { domain: 'pesquel.localhost', tlsFlags: ['--tls self-signed'] });
    assert.throws(check({}), /shows --tls self-signed:/);
    assert.doesNotThrow(check({ tls: 'self-signed' }));
  });

  it('plain HTTP with several API containers: the domain alone', () => {
    generate('example.org', { mode: 'off' }, 443, 3);
    assert.deepEqual(legacyChoices(stack), { domain: 'example.org', tlsFlags: [] });
    assert.throws(check({}), /shows --domain example\.org:/);
    assert.doesNotThrow(check({ domain: 'pesquel.localhost' }));
  });

  it('nothing to go by: no generated files, files edited beyond reading, or no secrets (a fresh stack)', () => {
    assert.equal(legacyChoices(stack), undefined);
    assert.doesNotThrow(check({}));
    generate('example.com', ACME);
    writeFileSync(join(traefikConfigDir(stack), 'traefik.yml'), 'entryPoints:\n  web: {}\n');
    assert.equal(legacyChoices(stack), undefined);
    generate('example.com', ACME);
    removeStackDir(secrets);
    assert.doesNotThrow(check({}));
    assert.deepEqual(chooseSetup({}, undefined).choices, DEFAULT_CHOICES);
  });
});

describe('pesquel setup on a stack of an older pesquel', { skip: process.platform === 'win32' && 'the docker stand-in is a POSIX executable' }, () => {
  const stack = makeStackDir();
  const fake = new FakeDocker();
  after(() => { fake.dispose(); removeStackDir(stack); });

  it('stops with one line before Docker instead of falling back to plain HTTP on pesquel.localhost', async () => {
    mkdirSync(join(stack, 'secrets'));
    writeFileSync(join(stack, 'secrets', 'postgres_password.txt'), 'x');
    writeTraefikConfig(traefikConfigDir(stack), { domain: 'example.com', tls: ACME, httpsPort: 443 });
    const r = await runCli(['setup', '--pgadmin'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pesquel setup: No choices recorded .* shows --domain example\.com --acme-email ops@example\.com --acme-staging --acme-challenge tls-alpn: give them once more/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.deepEqual(fake.commands(), []);
  });
});
