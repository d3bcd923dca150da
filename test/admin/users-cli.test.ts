// `pesquel admin add-user | list-users | set-role | remove-user` on an embedded data directory:
// a password from standard input is never printed, a generated one is printed once, the first
// account must be an owner, and the admin UI then signs the accounts in with their roles.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgliteDb } from '../../src/db/pglite.js';
import { prepareDatabase } from '../../src/db/init.js';
import { startAdminUi } from '../../src/admin/server.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { signInAs } from './helpers.js';

const entry = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

function pesquel(args: string[], stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PESQUEL|PGRST)_/.test(k)));
  const child = spawn(process.execPath, ['--import', tsx, entry, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('pesquel admin add-user and friends (embedded data directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-admin-cli-'));
  const dataDir = join(dir, 'data');
  const secret = 'typed-on-stdin-password-9';
  before(async () => {
    const db = await PgliteDb.open(dataDir);
    await prepareDatabase(db);
    await db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists, changes and removes accounts; passwords never echoed', async () => {
    const d = ['--data-dir', dataDir];
    const noRole = await pesquel(['admin', 'add-user', 'x@example.com', ...d]);
    assert.equal(noRole.code, 2);
    assert.match(noRole.err, /--role/);
    const editorFirst = await pesquel(['admin', 'add-user', 'ed@example.com', '--role', 'editor', ...d]);
    assert.equal(editorFirst.code, 1);
    assert.match(editorFirst.err, /add an owner first/);

    const ada = await pesquel(['admin', 'add-user', 'Ada@Example.com', '--role', 'owner', '--password-stdin', ...d], `${secret}\n`);
    assert.equal(ada.code, 0, ada.err);
    assert.doesNotMatch(ada.out + ada.err, new RegExp(secret));
    assert.match(ada.err, /Added ada@example.com as owner/);

    const bob = await pesquel(['admin', 'add-user', 'bob@example.com', '--role', 'viewer', ...d]);
    assert.equal(bob.code, 0, bob.err);
    const generated = /^Password for bob@example.com: ([\w-]{24})$/m.exec(bob.out)?.[1];
    assert.ok(generated, bob.out);

    const dup = await pesquel(['admin', 'add-user', 'bob@example.com', '--role', 'viewer', ...d]);
    assert.equal(dup.code, 1);
    assert.match(dup.err, /already an account/);
    const badRole = await pesquel(['admin', 'set-role', 'bob@example.com', 'root', ...d]);
    assert.equal(badRole.code, 1);
    assert.match(badRole.err, /owner, editor or viewer/);

    assert.equal((await pesquel(['admin', 'set-role', 'bob@example.com', 'editor', ...d])).code, 0);
    const list = await pesquel(['admin', 'list-users', ...d]);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /^ada@example.com {2}owner/m);
    assert.match(list.out, /^bob@example.com {2}editor/m);

    const db = await PgliteDb.open(dataDir);
    try {
      const ui = await startAdminUi({
        config: loadConfig({ flags: { 'data-dir': dataDir } }),
        db, apiUrl: 'http://127.0.0.1:1', logger: createLogger('error'), reloadSchema: async () => undefined, port: 0, host: '127.0.0.1',
      });
      try {
        assert.equal(ui.generatedPassword, null, 'accounts exist: nothing generated');
        const a = await signInAs(ui.url, 'ada@example.com', secret);
        assert.equal((await a.call<{ account: { role: string } }>('GET', '/api/session')).account.role, 'owner');
        const b = await signInAs(ui.url, 'bob@example.com', generated);
        assert.equal((await b.call<{ account: { role: string } }>('GET', '/api/session')).account.role, 'editor');
      } finally {
        await ui.close();
      }
    } finally {
      await db.close();
    }

    const lastOwner = await pesquel(['admin', 'remove-user', 'ada@example.com', ...d]);
    assert.equal(lastOwner.code, 1);
    assert.match(lastOwner.err, /no owner/);
    const removed = await pesquel(['admin', 'remove-user', 'bob@example.com', ...d]);
    assert.equal(removed.code, 0, removed.err);
    assert.doesNotMatch((await pesquel(['admin', 'list-users', ...d])).out, /bob@/);
  });
});
