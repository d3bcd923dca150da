// Setup's choices without Docker: flags over secrets/setup.json over the defaults (chooseSetup,
// chooseTls), the lines that report them, and the record file's validation and atomic, owner-only writes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { choiceLines, chooseSetup, DEFAULT_CHOICES } from '../../src/cli/stack/setup-choices.js';
import type { ChoiceFlags } from '../../src/cli/stack/setup-choices.js';
import { readSetupRecord, renderSetupRecord, SETUP_RECORD_FILE, writeSetupRecord } from '../../src/cli/stack/setup-record.js';
import type { SetupChoices } from '../../src/cli/stack/setup-record.js';
import { makeStackDir, removeStackDir } from './helpers/stack-dir.js';

const PROD: SetupChoices = {
  ...DEFAULT_CHOICES, domain: 'example.com', pgadmin: true, apiDb: 'pgbouncer', httpsPort: 8443,
  tls: { mode: 'acme', email: 'ops@example.com', staging: true, challenge: 'tls-alpn' },
};

describe('chooseSetup: flags over the record over the defaults', () => {
  it('no record, no flag: the defaults, nothing remembered', () => {
    assert.deepEqual(chooseSetup({}, undefined), { choices: DEFAULT_CHOICES, remembered: [] });
  });

  it('a plain run keeps every recorded choice and names the ones that differ from the defaults', () => {
    const { choices, remembered } = chooseSetup({}, PROD);
    assert.deepEqual(choices, PROD);
    assert.deepEqual(remembered, [
      '--domain example.com', '--api-db pgbouncer', '--pgadmin',
      '--acme-email ops@example.com', '--acme-staging', '--acme-challenge tls-alpn', '--https-port 8443',
    ]);
  });

  it('a flag overrides its choice only; the --no-… forms turn add-ons and staging off', () => {
    const { choices, remembered } = chooseSetup({ 'no-pgadmin': true, monitoring: true, 'no-acme-staging': true, 'http-port': '8080' }, PROD);
    assert.deepEqual(choices, { ...PROD, pgadmin: false, monitoring: true, httpPort: 8080, tls: { ...PROD.tls, staging: false } as SetupChoices['tls'] });
    assert.deepEqual(remembered, ['--domain example.com', '--api-db pgbouncer', '--acme-email ops@example.com', '--acme-challenge tls-alpn', '--https-port 8443']);
  });

  it('another --acme-email keeps the recorded challenge; --tls off and --tls self-signed leave ACME entirely', () => {
    assert.deepEqual(chooseSetup({ 'acme-email': 'admin@example.com' }, PROD).choices.tls, { mode: 'acme', email: 'admin@example.com', staging: true, challenge: 'tls-alpn' });
    assert.deepEqual(chooseSetup({ tls: 'off' }, PROD).choices, { ...PROD, tls: { mode: 'off' } });
    assert.deepEqual(chooseSetup({ tls: 'self-signed', domain: 'pesquel.localhost' }, PROD).choices.tls, { mode: 'self-signed' });
    assert.deepEqual(chooseSetup({ 'acme-challenge': 'http' }, PROD).choices.tls, { mode: 'acme', email: 'ops@example.com', staging: true, challenge: 'http' });
  });

  it('a recorded local CA stays on; the HTTPS port is kept, unmentioned, while HTTPS is off', () => {
    const self: SetupChoices = { ...DEFAULT_CHOICES, tls: { mode: 'self-signed' }, httpsPort: 8443 };
    assert.deepEqual(chooseSetup({}, self), { choices: self, remembered: ['--tls self-signed', '--https-port 8443'] });
    assert.deepEqual(chooseSetup({ tls: 'off' }, self), { choices: { ...self, tls: { mode: 'off' } }, remembered: [] });
  });

  const bad: Array<[string, ChoiceFlags, SetupChoices | undefined, RegExp]> = [
    ['--pgadmin with --no-pgadmin', { pgadmin: true, 'no-pgadmin': true }, undefined, /^--pgadmin cannot go with --no-pgadmin\.$/],
    ['--acme-staging with --no-acme-staging', { 'acme-staging': true, 'no-acme-staging': true }, PROD, /cannot go with --no-acme-staging/],
    ['--https-port over remembered plain HTTP', { 'https-port': '8443' }, DEFAULT_CHOICES, /--https-port needs HTTPS/],
    ['a local domain with remembered Let\'s Encrypt', { domain: 'shop.localhost' }, PROD,
      /^Let's Encrypt cannot issue certificates for shop\.localhost: .* \(Let's Encrypt is the choice recorded by the last setup: --tls off or --tls self-signed changes it\.\)$/],
    ['--acme-staging over a remembered local CA', { 'acme-staging': true }, { ...DEFAULT_CHOICES, tls: { mode: 'self-signed' } }, /--acme-staging .* --tls self-signed/],
    ['a bad port', { 'postgres-port': '0' }, PROD, /--postgres-port must be a port number/],
  ];
  for (const [name, flags, recorded, message] of bad) it(`refuses ${name}`, () => assert.throws(() => chooseSetup(flags, recorded), { message }));
});

describe('choiceLines', () => {
  const path = 'secrets/setup.json';
  it('one line for the remembered choices, none without any', () => {
    assert.deepEqual(choiceLines(path, chooseSetup({}, undefined), undefined), []);
    assert.deepEqual(choiceLines(path, chooseSetup({}, DEFAULT_CHOICES), DEFAULT_CHOICES), []);
    assert.deepEqual(choiceLines(path, chooseSetup({ 'no-acme-staging': true, 'acme-challenge': 'http', 'no-pgadmin': true, 'api-db': 'postgres', 'https-port': '443' }, PROD), PROD),
      ['Remembered from secrets/setup.json: --domain example.com --acme-email ops@example.com (a flag overrides each).']);
  });

  it('says so when the domain leaves a recorded real domain, and when HTTPS is turned off (with HSTS after Let\'s Encrypt)', () => {
    const lines = choiceLines(path, chooseSetup({ domain: 'pesquel.localhost', tls: 'off' }, PROD), PROD);
    assert.ok(lines.includes("Changing the domain from example.com (recorded) to pesquel.localhost: the stack no longer answers at example.com's names."), lines.join('\n'));
    assert.ok(lines.some((l) => /^Turning HTTPS off: the last setup served HTTPS from Let's Encrypt's staging CA, this one serves plain HTTP only\. .*HSTS/.test(l)), lines.join('\n'));
    const local = { ...DEFAULT_CHOICES, domain: 'theddt.localhost' };
    assert.deepEqual(choiceLines(path, chooseSetup({ domain: 'pesquel.localhost', tls: 'self-signed' }, local), local), ['Switching from plain HTTP to HTTPS from the local CA.']);
  });
});

describe('secrets/setup.json', () => {
  let dir: string; // stands for a stack's secrets/
  before(() => { dir = makeStackDir(); });
  after(() => removeStackDir(dir));
  const file = () => join(dir, SETUP_RECORD_FILE);

  it('is absent until written; then written owner-only, read back equal, rewritten only on a change', () => {
    assert.equal(readSetupRecord(dir), undefined);
    assert.equal(writeSetupRecord(dir, PROD), true);
    if (process.platform !== 'win32') assert.equal(statSync(file()).mode & 0o777, 0o600);
    assert.deepEqual(readSetupRecord(dir), PROD);
    const mtime = statSync(file()).mtimeMs;
    assert.equal(writeSetupRecord(dir, PROD), false);
    assert.equal(statSync(file()).mtimeMs, mtime);
    assert.equal(writeSetupRecord(dir, { ...PROD, pgadmin: false }), true);
    assert.equal(readSetupRecord(dir)?.pgadmin, false);
    assert.deepEqual(readdirSync(dir), [SETUP_RECORD_FILE], 'no temporary file left behind');
    assert.equal(JSON.parse(readFileSync(file(), 'utf8')).version, 1);
  });

  const damaged: Array<[string, string, RegExp]> = [
    ['not JSON', '{"version":1,', /is not valid \(not a JSON object\)/],
    ['an older shape', '{"domain":"example.com"}', /is not valid \(version must be 1\)/],
    ['a newer version', '{"version":2}', /was written by a newer pesquel \(version 2\): upgrade pesquel, or delete the file/],
    ['a bad port', renderSetupRecord(PROD).replace('"httpPort": 80', '"httpPort": 0'), /\(httpPort must be a port number/],
    ['a bad domain', renderSetupRecord(PROD).replace('"domain": "example.com"', '"domain": "x`);Host(`evil"'), /is not valid \('x`\);Host\(`evil' is not a valid domain name/],
    ['a bad address', renderSetupRecord(PROD).replace('ops@example.com', 'ops at example'), /is not valid \(--acme-email 'ops at example' is not an e-mail address\)/],
    ['an unknown TLS mode', renderSetupRecord(DEFAULT_CHOICES).replace('"mode": "off"', '"mode": "letsencrypt"'), /is not valid \(--tls must be 'off'/],
    ['a string for a flag', renderSetupRecord(PROD).replace('"pgadmin": true', '"pgadmin": "yes"'), /\(pgadmin must be true or false\)/],
  ];
  for (const [name, text, message] of damaged) {
    it(`a file with ${name} is a one-line error naming it`, () => {
      writeFileSync(file(), text);
      assert.throws(() => readSetupRecord(dir), (e: Error) => message.test(e.message) && e.message.startsWith(file()) && !e.message.includes('\n'));
    });
  }
});
