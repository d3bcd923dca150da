// Signing key rotation across processes over one PostgreSQL database (workers, instances): two
// signers due for rotation at the same moment store one new key and both sign with it, so no
// process hands out tokens under a kid the others have never seen.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { StoredKeys } from '../../src/auth/service/signing-keys.js';
import { loadConfig } from '../../src/config/config.js';
import { initScripts } from '../../src/db/init.js';
import { openDb } from '../../src/db/open.js';
import type { Db } from '../../src/db/types.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';

const password = 'authenticator-keys-test';

describe('signing key rotation by several processes (postgres)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let dbs: Db[] = [];
  const superQuery = async (text: string) => {
    const c = new pg.Client({ connectionString: server.superUrl });
    await c.connect();
    try { return await c.query(text); } finally { await c.end(); }
  };

  before(async () => {
    server = await startPostgres();
    for (const s of initScripts()) await superQuery(s.sql);
    await superQuery(`ALTER ROLE authenticator PASSWORD '${password}'`);
    const config = loadConfig({ flags: { 'db-uri': server.url('authenticator', password), 'db-pool': '2' } });
    dbs = [await openDb(config), await openDb(config)];
  });
  after(async () => {
    for (const db of dbs) await db.close();
    await server?.stop();
  });

  it('stores one key when two signers rotate at once, and both sign with it', async () => {
    let t = Date.now();
    const signers = dbs.map((db) => new StoredKeys(db, { alg: 'ES256', rotationMs: 60_000, accessLifetimeMs: 900_000, now: () => t }));
    const kids = async () => (await Promise.all(signers.flatMap((s) => [s.sign({}), s.sign({})]))).map((jwt) => decodeProtectedHeader(jwt).kid);
    const count = async () => Number((await superQuery('SELECT count(*) AS n FROM auth.signing_keys')).rows[0].n);
    const first = await kids();
    assert.equal(new Set(first).size, 1, `first keys: ${first}`);
    assert.equal(await count(), 1);
    t += 61_000; // both due for rotation
    const second = await kids();
    assert.equal(new Set(second).size, 1, `rotated keys: ${second}`);
    assert.notEqual(second[0], first[0]);
    assert.equal(await count(), 2);
  });
});
