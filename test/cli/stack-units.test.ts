// Unit tests of the stack helpers: SCRAM and htpasswd against reference values, random secrets,
// domains and hosts-file lines, `compose ps` parsing and health waiting, version checks, restarts,
// and the yes/no prompt.
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import bcrypt from 'bcryptjs';
import { describe, it } from 'node:test';
import { servicesToRestart } from '../../src/cli/stack/consumers.js';
import { atLeast } from '../../src/cli/stack/docker.js';
import { hostsFileLines, hostsFilePath, parseDomain, unresolvedHosts } from '../../src/cli/stack/domain.js';
import { parsePs, waitHealthy } from '../../src/cli/stack/health.js';
import type { ServiceState } from '../../src/cli/stack/health.js';
import { htpasswdLine, htpasswdMatches } from '../../src/cli/stack/htpasswd.js';
import { createAsker } from '../../src/cli/stack/prompt.js';
import { randomAlphanumeric } from '../../src/cli/stack/random.js';
import { scramMatches, scramSecret } from '../../src/cli/stack/scram.js';

describe('scram', () => {
  it('matches the keys of RFC 7677 (user "user", password "pencil")', () => {
    // RFC 7677 section 3: salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations. The StoredKey and
    // ServerKey below are the ones other SCRAM implementations (and Python's hashlib) derive.
    const secret = scramSecret('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
    assert.equal(secret, 'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=');
    assert.ok(scramMatches(secret, 'pencil'));
    assert.ok(!scramMatches(secret, 'pencil2'));
    assert.ok(!scramMatches('md5abc', 'pencil'));
    assert.ok(!scramMatches('SCRAM-SHA-256$999999999:W22ZaJ0SNY7soEsUEjb6gQ==$a:b', 'pencil'));
  });

  it('uses a fresh 16-byte salt each time', () => {
    const a = scramSecret('pw');
    const b = scramSecret('pw');
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a.split('$')[1]?.split(':')[1] ?? '', 'base64').length, 16);
  });
});

describe('htpasswd (bcrypt)', () => {
  it('writes $2y$ lines that check against a reference bcrypt hash', () => {
    // Computed by libxcrypt (Python's crypt.crypt('s3cret', '$2y$10$abcdefghijklmnopqrstuu')).
    const reference = '$2y$10$abcdefghijklmnopqrstuu3KWNuWLhBnmgYfnzONPueahDuedC/lu';
    assert.equal(bcrypt.hashSync('s3cret', '$2b$10$abcdefghijklmnopqrstuu'), reference.replace('$2y$', '$2b$'));
    assert.ok(htpasswdMatches(`admin:${reference}`, 'admin', 's3cret'));
    const line = htpasswdLine('admin', 's3cret');
    assert.match(line, /^admin:\$2y\$10\$[./0-9A-Za-z]{53}$/);
    assert.ok(htpasswdMatches(line, 'admin', 's3cret'));
    assert.ok(!htpasswdMatches(line, 'admin', 's3cret!'));
    assert.ok(!htpasswdMatches(line, 'root', 's3cret'));
    assert.ok(!htpasswdMatches('admin:{SHA}xyz', 'admin', 's3cret'));
    assert.notEqual(htpasswdLine('admin', 's3cret'), line, 'fresh salt each time');
  });
});

describe('randomAlphanumeric', () => {
  it('has the requested length and only letters and digits, and differs each time', () => {
    const values = Array.from({ length: 50 }, () => randomAlphanumeric(64));
    for (const v of values) assert.match(v, /^[A-Za-z0-9]{64}$/);
    assert.equal(new Set(values).size, 50);
  });
});

describe('domains', () => {
  it('accepts host names, lower-cases them, drops a final dot', () => {
    assert.equal(parseDomain('TheDDT.Localhost.'), 'theddt.localhost');
    assert.equal(parseDomain('my-app.example.com'), 'my-app.example.com');
  });

  for (const bad of ['', 'a b', 'x`)||Host(`y', '-x.com', 'x-.com', 'a..b', 'ünï.com', `${'a'.repeat(64)}.com`]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseDomain(bad), /not a valid domain name/));
  }

  it('never looks up *.localhost; lists the names that fail to resolve otherwise', async () => {
    const asked: string[] = [];
    const resolver = async (h: string): Promise<boolean> => { asked.push(h); return h.startsWith('api.'); };
    assert.deepEqual(await unresolvedHosts('pesquel.localhost', resolver), []);
    assert.deepEqual(asked, []);
    assert.deepEqual(await unresolvedHosts('theddt.local', resolver), ['admin.theddt.local', 'pgadmin.theddt.local', 'traefik.theddt.local']);
    assert.deepEqual(hostsFileLines(['api.x.test']), ['127.0.0.1 api.x.test']);
    assert.equal(hostsFilePath('win32'), 'C:\\Windows\\System32\\drivers\\etc\\hosts');
    assert.equal(hostsFilePath('darwin'), '/etc/hosts');
  });
});

describe('compose ps', () => {
  const rows = [{ Service: 'postgres', State: 'running', Health: 'healthy' }, { Service: 'traefik', State: 'running', Health: '' }];
  it('reads both the JSON array (Compose < 2.21) and one object per line', () => {
    const want: ServiceState[] = [{ service: 'postgres', state: 'running', health: 'healthy' }, { service: 'traefik', state: 'running', health: '' }];
    assert.deepEqual(parsePs(JSON.stringify(rows)), want);
    assert.deepEqual(parsePs(rows.map((r) => JSON.stringify(r)).join('\n')), want);
    assert.deepEqual(parsePs('\n'), []);
  });

  it('waits until every expected service is ready, then stops polling', async () => {
    const answers: ServiceState[][] = [
      [{ service: 'postgres', state: 'running', health: 'starting' }],
      [{ service: 'postgres', state: 'running', health: 'healthy' }, { service: 'traefik', state: 'restarting', health: '' }],
      [{ service: 'postgres', state: 'running', health: 'healthy' }, { service: 'traefik', state: 'running', health: '' }],
    ];
    let polls = 0;
    await waitHealthy(async () => answers[Math.min(polls++, 2)] ?? [], ['postgres', 'traefik'], { timeoutMs: 60_000, intervalMs: 1, sleep: async () => {} });
    assert.equal(polls, 3);
  });

  it('names every pending service at the timeout', async () => {
    await assert.rejects(
      waitHealthy(async () => [{ service: 'pesquel', state: 'running', health: 'unhealthy' }], ['pesquel', 'traefik'], { timeoutMs: 0, intervalMs: 1 }),
      /not healthy after 0 s: pesquel \(unhealthy\), traefik \(not created\)\. See `docker compose -p pesquel logs pesquel`\./,
    );
  });
});

describe('versions and restarts', () => {
  it('compares Compose versions', () => {
    assert.ok(atLeast('2.20.0', [2, 20, 0]));
    assert.ok(atLeast('2.29.7-desktop.1', [2, 20, 0]));
    assert.ok(atLeast('3.0.0', [2, 20, 0]));
    assert.ok(!atLeast('2.19.9', [2, 20, 0]));
    assert.ok(!atLeast('1.29.2', [2, 20, 0]));
    assert.ok(!atLeast('', [2, 20, 0]));
  });

  it('restarts running readers of changed files, never PostgreSQL', () => {
    assert.deepEqual(servicesToRestart(['pgbouncer_userlist.txt', 'pesquel_db_uri.txt', 'authenticator_scram.txt'], ['postgres', 'pgbouncer', 'pesquel', 'traefik']), ['pgbouncer', 'pesquel']);
    assert.deepEqual(servicesToRestart(['jwt_secret.txt'], ['postgres', 'traefik']), []);
    assert.deepEqual(servicesToRestart([], ['pesquel']), []);
  });
});

describe('prompt', () => {
  function sink(): Writable & { text: string } {
    const w = new Writable({ write(chunk, _enc, cb) { w.text += String(chunk); cb(); } }) as Writable & { text: string };
    w.text = '';
    return w;
  }

  it('reads one answer per line, asks again after an unclear one, and says no at end of input', async () => {
    const input = new PassThrough();
    input.end('yes\nwhat\nN\n');
    const out = sink();
    const asker = createAsker(input, out);
    assert.equal(await asker.ask('One?'), true);
    assert.equal(await asker.ask('Two?'), false);
    assert.equal(await asker.ask('Three?'), false);
    asker.close();
    assert.match(out.text, /Two\? \[y\/N\] what\nPlease answer y or n\.\nTwo\? \[y\/N\] N\n/);
    assert.match(out.text, /Three\? \[y\/N\] \(no answer: no\)\n/);
  });

  it('takes answers that arrive before the question is asked', async () => {
    const input = new PassThrough();
    input.write('y\nn\n');
    await new Promise((r) => setTimeout(r, 10));
    const asker = createAsker(input, sink());
    assert.deepEqual([await asker.ask('a'), await asker.ask('b')], [true, false]);
    asker.close();
    input.end();
  });
});
