// db-replica-uris and db-replica-max-lag: parsed from flags, env and _FILE, checked at start with
// messages that never quote a URI (it may carry a password); addresses shown without credentials.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { uriAddress } from '../../src/db/open.js';

const primary = 'postgres://app:primary-secret@db:5432/app';

describe('db-replica-uris', () => {
  it('is a comma-separated list beside db-uri, with a default max lag of 10 s', () => {
    const c = loadConfig({ flags: { 'db-uri': primary, 'db-replica-uris': 'postgres://app:s1@ro1/app, postgresql://app:s2@ro2:6432/app' } });
    assert.deepEqual(c.dbReplicaUris, ['postgres://app:s1@ro1/app', 'postgresql://app:s2@ro2:6432/app']);
    assert.equal(c.dbReplicaMaxLag, 10);
    assert.equal(loadConfig({ flags: { 'db-uri': primary } }).dbReplicaUris, null);
    assert.equal(loadConfig({ flags: { 'db-uri': primary, 'db-replica-max-lag': '2' } }).dbReplicaMaxLag, 2);
  });

  it('reads PESQUEL_DB_REPLICA_URIS_FILE (a secret file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-replica-config-'));
    writeFileSync(join(dir, 'uris'), 'postgres://app:file-secret@ro1/app,postgres://app:file-secret@ro2/app\n');
    const c = loadConfig({ env: { PESQUEL_DB_URI: primary, PESQUEL_DB_REPLICA_URIS_FILE: join(dir, 'uris') } });
    assert.deepEqual(c.dbReplicaUris, ['postgres://app:file-secret@ro1/app', 'postgres://app:file-secret@ro2/app']);
  });

  it('refuses replicas without db-uri, a URI that is not postgres://, and a lag below 1 s, naming the setting and not the URI', () => {
    const refuse = (flags: Record<string, string>, message: RegExp) => assert.throws(() => loadConfig({ flags }), (e: unknown) =>
      e instanceof ConfigError && message.test(e.message) && /db-replica/.test(e.message) && !e.message.includes('secret'));
    refuse({ 'db-replica-uris': 'postgres://app:secret@ro/app' }, /need db-uri/);
    refuse({ 'db-uri': primary, 'db-replica-uris': 'postgres://app:secret@ro/app,mysql://app:secret@ro/app' }, /URI 2 of 2: expected a URI starting with postgres:\/\//);
    refuse({ 'db-uri': primary, 'db-replica-uris': 'postgres://app:secret@ro/app\npostgres://app:secret@ro2/app' }, /URI 1 of 1/);
    refuse({ 'db-uri': primary, 'db-replica-max-lag': '0' }, /at least 1/);
  });

  it('shows a server as host:port/database, without credentials', () => {
    assert.equal(uriAddress('postgres://app:secret@ro-1:6432/app'), 'ro-1:6432/app');
    assert.equal(uriAddress('postgresql://app:secret@ro-1/app?sslmode=require'), 'ro-1:5432/app');
    assert.equal(uriAddress('postgres://app:secret@/app?host=/run/postgresql'), '/run/postgresql:5432/app');
    assert.equal(uriAddress('postgres://app:secret@[::1/app'), 'unparsable URI');
  });
});
