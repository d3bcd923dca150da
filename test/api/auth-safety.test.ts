// The start-time safety net: PeSquel refuses to serve when a request role is a superuser or has
// BYPASSRLS (RLS would be silently ignored), unless db-allow-privileged-roles is set.
// Starts its own databases: a fresh embedded one, and a PostgreSQL server when available.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { initScripts } from '../../src/db/init.js';
import { startPesquel } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { fixturesDir } from '../helpers/backends.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';

const ports = { 'server-port': '0', 'admin-server-port': '0', 'admin-ui-port': '0', 'embedded-psql-port': '0', 'log-level': 'error' };
const start = (flags: Record<string, string>) => startPesquel(loadConfig({ env: {}, flags: { ...ports, ...flags } }), { logger: createLogger('error') });

describe('safety net (pglite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-auth-safety-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start when db-anon-role is a superuser, and says how to fix it', async () => {
    await assert.rejects(start({ 'data-dir': dir, 'db-anon-role': 'postgres' }), (err: Error) => {
      assert.match(err.message, /refuses to start: role "postgres" \(db-anon-role\) is a superuser: row-level security does not apply/);
      assert.match(err.message, /NOSUPERUSER NOBYPASSRLS/);
      assert.match(err.message, /db-allow-privileged-roles=true/);
      return true;
    });
  });

  it('starts when the risk is accepted explicitly', async () => {
    const running = await start({ 'data-dir': dir, 'db-anon-role': 'postgres', 'db-allow-privileged-roles': 'true' });
    await running.close();
  });

  it('starts with the default roles', async () => {
    const running = await start({ 'data-dir': dir });
    const r = await fetch(`${running.apiUrl}/todos`);
    assert.equal(r.status, 200);
    await running.close();
  });
});

describe('safety net (postgres)', { skip: !pgBinariesAvailable() && 'PostgreSQL binaries not installed' }, () => {
  let server: PgServer;
  let uri: string;
  before(async () => {
    server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.superUrl });
    await admin.connect();
    for (const s of initScripts()) await admin.query(s.sql);
    await admin.query(readFileSync(join(fixturesDir, 'auth.sql'), 'utf8'));
    await admin.query(`ALTER ROLE authenticator PASSWORD 'safety-test-password'`);
    await admin.end();
    uri = server.url('authenticator', 'safety-test-password');
  });
  after(async () => { await server?.stop(); });

  it('refuses a BYPASSRLS anonymous role', async () => {
    await assert.rejects(start({ 'db-uri': uri, 'db-init': 'false', 'db-anon-role': 'api_bypass' }),
      /role "api_bypass" \(db-anon-role\) is a BYPASSRLS role/);
  });

  it('refuses to connect as a superuser unless explicitly allowed', async () => {
    await assert.rejects(start({ 'db-uri': server.superUrl, 'db-init': 'false' }),
      /PeSquel connects as "postgres", a superuser: a function could RESET ROLE/);
    const running = await start({ 'db-uri': server.superUrl, 'db-init': 'false', 'db-allow-privileged-roles': 'true' });
    await running.close();
  });

  it('refuses a BYPASSRLS role for the auth service users', async () => {
    await assert.rejects(start({ 'db-uri': uri, 'db-init': 'false', 'auth-default-role': 'api_bypass' }),
      /role "api_bypass" \(auth-default-role\) is a BYPASSRLS role/);
  });
});
