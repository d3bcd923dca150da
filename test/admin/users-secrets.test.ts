// No admin password, generated password, invitation token or sign-in token reaches a log: not
// PeSquel's (warn level and above, as a server runs) and not PostgreSQL's, even with
// log_statement = 'all' (every statement and its bind values logged). Passwords are hashed before
// any SQL, invitation tokens stored as their SHA-256, and values always travel as parameters.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startAdminUi, type AdminUi } from '../../src/admin/server.js';
import { createLogger } from '../../src/observability/logger.js';
import { startTestApi, type TestApi } from '../helpers/backends.js';
import { adminClient, adminKinds, signIn, signInAs, superuserUri } from './helpers.js';

const kinds = adminKinds().filter((k) => k === 'postgres'); // PGlite keeps no server log

for (const kind of kinds) {
  describe(`admin secrets stay out of the logs (${kind})`, () => {
    let api: TestApi;
    let ui: AdminUi;
    let logFile: string;
    const ownLog: string[] = [];
    const marker = randomBytes(6).toString('hex');
    const ownerPassword = `owner-${marker}`;
    before(async () => {
      api = await startTestApi(kind);
      await api.sql("ALTER SYSTEM SET log_statement = 'all'");
      await api.sql('SELECT pg_reload_conf()');
      const [dir] = await api.sql(`SELECT current_setting('data_directory') AS dir`);
      logFile = join(dirname(String(dir?.dir)), 'postgres.log');
      const out = new PassThrough();
      out.on('data', (d: Buffer) => ownLog.push(d.toString()));
      ui = await startAdminUi({
        config: { ...api.config, adminDbUri: await superuserUri(api), adminPassword: ownerPassword }, db: api.running.db, apiUrl: api.url,
        logger: createLogger('warn', out), reloadSchema: async () => undefined, port: 0, host: '127.0.0.1',
      });
    });
    after(async () => {
      await api?.sql('ALTER SYSTEM RESET log_statement').catch(() => undefined);
      await api?.sql('SELECT pg_reload_conf()').catch(() => undefined);
      await ui?.close();
      await api?.close();
    });

    it('logs statements and their values, never a password or token', async () => {
      const owner = adminClient(ui.url);
      assert.equal((await signIn(owner, ownerPassword)).status, 200);
      const chosen = `chosen-${marker}`;
      await owner.call('POST', '/api/users', { email: 'ada@example.com', role: 'editor', password: chosen });
      const gen = await owner.call<{ generatedPassword: string }>('POST', '/api/users', { email: 'bob@example.com', role: 'viewer' });
      const inv = await owner.call<{ path: string }>('POST', '/api/users/invite', { email: 'cy@example.com', role: 'viewer' });
      const token = inv.path.split('/').pop() ?? '';
      const invited = `invited-${marker}`;
      const accept = await fetch(ui.url + '/api/invite/accept', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, password: invited }) });
      assert.equal(accept.status, 200);
      const ada = await signInAs(ui.url, 'ada@example.com', chosen);
      const next = `next-${marker}`;
      await ada.call('POST', '/api/account/password', { current: chosen, password: next });
      const wrong = `wrong-${marker}`;
      await fetch(ui.url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: wrong }) });
      // A failing statement too: the duplicate account (23505) is logged with its statement.
      const dup = await owner.fetch('/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', role: 'viewer', password: `dup-${marker}` }) });
      assert.equal(dup.status, 409);

      const log = readFileSync(logFile, 'utf8');
      assert.match(log, /pesquel_admin\.users/, 'statements are logged (log_statement = all)');
      const own = ownLog.join('');
      for (const secret of [ownerPassword, chosen, gen.generatedPassword, token, invited, next, wrong, `dup-${marker}`]) {
        assert.ok(!log.includes(secret), `PostgreSQL's log holds ${secret.slice(0, 8)}…`);
        assert.ok(!own.includes(secret), `PeSquel's log holds ${secret.slice(0, 8)}…`);
      }
    });
  });
}
