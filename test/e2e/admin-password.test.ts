// The generated admin password is stored only once it has been shown: a start that never got to its
// banner leaves nothing behind, and the next start generates (and shows) a password again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../helpers/backends.js';
import { startAdminUi } from '../../src/admin/server.js';
import { createLogger } from '../../src/observability/logger.js';
import { adminClient, signIn } from '../admin/helpers.js';

describe('a generated admin password (embedded)', () => {
  let api: TestApi;
  before(async () => { api = await startTestApi('pglite'); });
  after(() => api.close());

  const start = () => startAdminUi({
    config: { ...api.config, adminPassword: null },
    db: api.running.db, apiUrl: api.url, logger: createLogger('error'), reloadSchema: async () => undefined, port: 0, host: '127.0.0.1',
  });
  // The generated password becomes the owner account admin's, hashed (argon2id).
  const storedHash = async () => (await api.sql("SELECT password_hash AS value FROM pesquel_admin.users WHERE email = 'admin' AND role = 'owner'"))[0]?.value ?? null;

  it('is not stored until keepGeneratedPassword(), and works meanwhile', async () => {
    const unseen = await start();
    try {
      assert.match(unseen.generatedPassword ?? '', /^[\w-]{24}$/);
      assert.equal(await storedHash(), null);
      assert.equal((await signIn(adminClient(unseen.url), unseen.generatedPassword!)).status, 200);
    } finally {
      await unseen.close();
    }
    const shown = await start();
    try {
      assert.ok(shown.generatedPassword && shown.generatedPassword !== unseen.generatedPassword, 'a new password is generated');
      await shown.keepGeneratedPassword();
      assert.match(String(await storedHash()), /^\$argon2id\$/);
    } finally {
      await shown.close();
    }
    const later = await start();
    try {
      assert.equal(later.generatedPassword, null);
      assert.equal((await signIn(adminClient(later.url), unseen.generatedPassword!)).status, 401);
      assert.equal((await signIn(adminClient(later.url), shown.generatedPassword)).status, 200);
    } finally {
      await later.close();
    }
  });
});
