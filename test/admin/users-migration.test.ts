// Upgrading an install that had the single shared admin password: its database has the old
// store (the scrypt hash in pesquel_admin.settings) and no accounts. After the upgrade the old
// password signs in as the owner account admin, and its hash becomes argon2id at that sign-in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminUi, type AdminUi } from '../../src/admin/server.js';
import { hashPassword as scryptHash } from '../../src/admin/auth/password.js';
import { prepareDatabase } from '../../src/db/init.js';
import { createLogger } from '../../src/observability/logger.js';
import { startTestApi, type TestApi } from '../helpers/backends.js';
import { adminClient, adminKinds, signIn, signInAs, superuserUri } from './helpers.js';

const oldPassword = 'the-old-shared-password-1';

for (const kind of adminKinds()) {
  describe(`upgrade from the single admin password (${kind})`, () => {
    let api: TestApi;
    let ui: AdminUi | null = null;
    before(async () => {
      api = await startTestApi(kind);
      // The database as the version before accounts left it: its store, no accounts, 0005 not applied.
      await api.sql('DROP TABLE IF EXISTS pesquel_admin.users, pesquel_admin.invites, pesquel_admin.audit_log');
      await api.sql('DELETE FROM pesquel.internal_migrations WHERE version = 5');
      await api.sql('CREATE SCHEMA IF NOT EXISTS pesquel_admin');
      await api.sql('CREATE TABLE IF NOT EXISTS pesquel_admin.settings (key text PRIMARY KEY, value text NOT NULL)');
      await api.sql("INSERT INTO pesquel_admin.settings (key, value) VALUES ('password_hash', $1)", [await scryptHash(oldPassword)]);
    });
    after(async () => {
      await ui?.close();
      await api?.close();
    });

    it('keeps the old password working as the owner admin, then stores it as argon2id', async () => {
      // The admin UI applies internal migration 5's file itself when its tables are missing (here,
      // before `pesquel start`'s upgrade ran); the upgrade then records it over the existing tables.
      const config = kind === 'pglite' ? api.config : { ...api.config, adminDbUri: await superuserUri(api) };
      ui = await startAdminUi({
        config: { ...config, adminPassword: null }, db: api.running.db, apiUrl: api.url, logger: createLogger('error'),
        reloadSchema: async () => undefined, port: 0, host: '127.0.0.1',
      });
      assert.equal(ui.generatedPassword, null, 'no new password: the old one stands');
      if (kind === 'pglite') assert.deepEqual((await prepareDatabase(api.running.db)).upgraded, ['0005-admin-users.sql']);
      const [before] = await api.sql("SELECT role, password_hash FROM pesquel_admin.users WHERE email = 'admin'");
      assert.equal(before?.role, 'owner');
      assert.match(String(before?.password_hash), /^scrypt\$/);

      const c = adminClient(ui.url);
      assert.equal((await signIn(c, 'wrong-password-123')).status, 401);
      assert.equal((await signIn(c, oldPassword)).status, 200);
      const s = await c.call<{ account: { email: string; role: string } }>('GET', '/api/session');
      assert.deepEqual(s.account, { email: 'admin', role: 'owner' });
      const [after] = await api.sql("SELECT password_hash FROM pesquel_admin.users WHERE email = 'admin'");
      assert.match(String(after?.password_hash), /^\$argon2id\$/);
      await signInAs(ui.url, 'admin', oldPassword);
      // The owner can now add accounts.
      await c.call('POST', '/api/users', { email: 'second@example.com', role: 'viewer', password: 'second-password-1' });
      await signInAs(ui.url, 'second@example.com', 'second-password-1');
    });
  });
}

// A role that may keep the admin's store but not read the accounts (made by another role): the UI
// still starts, and the admin password signs in as the owner, as before accounts.
for (const kind of adminKinds().filter((k) => k === 'postgres')) {
  describe(`accounts the admin's role may not read (${kind})`, () => {
    let api: TestApi;
    let ui: AdminUi | null = null;
    before(async () => { api = await startTestApi(kind); });
    after(async () => {
      await ui?.close();
      await api?.close();
    });

    it('starts without accounts and signs the admin password in as owner', async () => {
      await api.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'admin_limited') THEN CREATE ROLE admin_limited LOGIN PASSWORD 'limited-pw'; END IF; END $$");
      const [db] = await api.sql('SELECT current_database() AS name');
      await api.sql(`GRANT CREATE ON DATABASE "${String(db?.name)}" TO admin_limited`);
      await api.sql('GRANT USAGE, CREATE ON SCHEMA pesquel_admin TO admin_limited');
      const uri = new URL(api.config.dbUri as string);
      uri.username = 'admin_limited';
      uri.password = 'limited-pw';
      ui = await startAdminUi({
        config: { ...api.config, adminDbUri: uri.toString(), adminPassword: oldPassword }, db: api.running.db, apiUrl: api.url,
        logger: createLogger('error'), reloadSchema: async () => undefined, port: 0, host: '127.0.0.1',
      });
      const c = adminClient(ui.url);
      assert.equal((await signIn(c, oldPassword)).status, 200);
      const s = await c.call<{ account: { email: string; role: string }; accounts: boolean }>('GET', '/api/session');
      assert.deepEqual([s.account, s.accounts], [{ email: 'admin', role: 'owner' }, false]);
      assert.equal((await c.fetch('/api/users')).status, 503);
      assert.equal((await c.fetch('/api/audit')).status, 503);
      // The store itself works (its tables are the role's own): only the accounts are off.
      await c.call('PUT', '/api/sql/tabs', { id: 'limited', title: 'Query', sql: 'select 1', position: 0 });
    });
  });
}
